/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The struct ss_host of a crash session: libslabscope reads kernel memory,
 * symbols and VMCOREINFO through crash's own readmem(), symbol table and
 * dump reader, so that the analysis sees exactly what crash sees (a live
 * system, any dump format crash opens) without opening the dump again.
 */
#ifndef SLABSCOPE_CRASH_HOST_H
#define SLABSCOPE_CRASH_HOST_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include <slabscope/slabscope.h>

struct ss_crash_host {
	struct ss_host host; /* host.arg points back here */
	/* VMCOREINFO values handed to the library: crash returns them
	 * malloc'ed, the library keeps them while the analysis is open. */
	char **strings;
	size_t nstrings;
	/* A page that maps but cannot be read is one makedumpfile left out
	 * only in a filtered dump (dump level > 1), as libslabscope's own
	 * dump reader decides; otherwise it is not in the dump. */
	bool filtered;
	/* Set by the extension's SIGINT handler: every read fails from then
	 * on, so that the library returns soon and crash's handler never
	 * longjmps out of it. */
	const volatile sig_atomic_t *interrupted;
	/* The dump's directory: its *.ko are the modules' debug files, as
	 * the CLI takes them (NULL on a live system). */
	char *dump_dir;
};

/* Fill h for the current crash session. */
void ss_crash_host_init(struct ss_crash_host *h,
			const volatile sig_atomic_t *interrupted);

/* Free what h handed out (after ss_analysis_close()). */
void ss_crash_host_release(struct ss_crash_host *h);

/* Forget what h handed out without freeing it: an analysis that crash
 * abandoned by a longjmp may still point to it. */
void ss_crash_host_abandon(struct ss_crash_host *h);

/* The vmlinux that holds crash's DWARF: the separate debuginfo file when
 * crash was given one (or found one by its debuglink), else the namelist. */
const char *ss_crash_vmlinux(void);

#endif /* SLABSCOPE_CRASH_HOST_H */
