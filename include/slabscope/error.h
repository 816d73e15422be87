/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Errors as values.
 *
 * Every fallible library function returns a struct ss_error *: NULL means
 * success, anything else describes what went wrong and belongs to the caller
 * (release it with ss_error_destroy()).  The library never prints and never
 * exits; front ends turn an error into one line on stderr and an exit status.
 * Messages are one line: control characters in what they quote (a parser's
 * excerpt, a file name) become spaces.
 *
 * Messages chain: a caller that adds context prepends it ("reading slab_caches:
 * address 0x... excluded by makedumpfile"), so the final text reads like a
 * backtrace from the outermost operation to the root cause.
 */
#ifndef SLABSCOPE_ERROR_H
#define SLABSCOPE_ERROR_H

#include <stdarg.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum ss_errcode {
	SS_ERR_NOMEM = 1,  /* out of memory */
	SS_ERR_INVALID,    /* bad argument from the caller */
	SS_ERR_IO,         /* a file could not be opened or read */
	SS_ERR_FORMAT,     /* the file is not (or not a usable) dump / ELF */
	SS_ERR_FAULT,      /* address not present in the dump at all */
	SS_ERR_EXCLUDED,   /* page present in memory but excluded by makedumpfile */
	SS_ERR_NODEBUG,    /* the vmlinux has no usable debug info */
	SS_ERR_MISSING,    /* a required type, member, symbol or key is absent */
	SS_ERR_MISMATCH,   /* the vmlinux does not belong to the dump */
	SS_ERR_CORRUPT,    /* kernel data too inconsistent to go on with */
	SS_ERR_NOTFOUND,   /* a lookup found nothing (not necessarily fatal) */
};

struct ss_error {
	enum ss_errcode code;
	char *message;
	/* Address the error is about, where there is one (else 0). */
	uint64_t address;
};

/*
 * The out-of-memory error is statically allocated so that reporting it needs
 * no allocation; ss_error_destroy() leaves it alone.
 */
extern struct ss_error ss_error_nomem;

/*
 * Not an error: what a callback returns to end a walk early (libdrgn's
 * drgn_stop).  Walkers hand it back unchanged and callers compare the
 * pointer; ss_error_destroy() leaves it alone.
 */
extern struct ss_error ss_walk_stop;

struct ss_error *ss_error_create(enum ss_errcode code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
struct ss_error *ss_error_vcreate(enum ss_errcode code, const char *fmt,
				  va_list ap);
/* Like ss_error_create(), with " (errno text)" appended from errnum. */
struct ss_error *ss_error_errno(int errnum, enum ss_errcode code,
				const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Prepend "context: " to err's message and return err.  If err is NULL,
 * return NULL (so it can wrap a call).  On allocation failure the original
 * message is kept unchanged.
 */
struct ss_error *ss_error_prepend(struct ss_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Record the address an error is about; returns err (safe on the static
 * out-of-memory error, which is left alone). */
struct ss_error *ss_error_set_address(struct ss_error *err, uint64_t address);

void ss_error_destroy(struct ss_error *err);

/* Stable short name of a code, e.g. "excluded" (for JSON and tests). */
const char *ss_errcode_name(enum ss_errcode code);

#ifdef __cplusplus
}
#endif

#endif /* SLABSCOPE_ERROR_H */
