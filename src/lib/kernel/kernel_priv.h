/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to src/lib/kernel: the loaded modules as the dump has them
 * (modlist.c) and the debug files that may belong to them (modfiles.c),
 * both for the symbolizer (symbolize.c).
 */
#ifndef SLABSCOPE_KERNEL_PRIV_H
#define SLABSCOPE_KERNEL_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <slabscope/dbg.h>
#include <slabscope/debuginfo.h>
#include <slabscope/error.h>
#include <slabscope/target.h>

#define SS_MODULE_NAME_LEN 56

/* A function of a module's kallsyms (its name stays in the dump). */
struct ss_mod_sym {
	uint64_t value, size;
	uint64_t name_addr;
};

/* One module on the kernel's `modules` list. */
struct ss_loaded_module {
	char name[SS_MODULE_NAME_LEN + 1];
	uint64_t base, size; /* core text */
	/* Init text while the module is still initialising (its kallsyms
	 * cover it then); 0 once do_init_module() freed it. */
	uint64_t init_base, init_size;
	/* struct module.init, the module_init() function: the kernel keeps
	 * it after the init text is freed, which places the .ko's
	 * .init.text.  0 if none or unknown. */
	uint64_t init_fn;
	/* The loaded image's GNU build-id (its .note.gnu.build-id, reached
	 * through notes_attrs), read by ss_modlist_build_id(); len 0:
	 * unknown. */
	uint8_t build_id[SS_BUILD_ID_MAX];
	size_t build_id_len;
	bool build_id_read;
	uint64_t addr; /* the struct module */
	struct ss_mod_sym *syms; /* kallsyms functions */
	size_t nsyms;
};

struct ss_modlist_layout;

struct ss_modlist {
	struct ss_loaded_module *mods;
	size_t n;
	/* Offset of struct module.name (for a .ko's
	 * .gnu.linkonce.this_module); 0 if unknown. */
	uint64_t name_off;
	struct ss_modlist_layout *layout; /* for ss_modlist_build_id() */
};

/*
 * Read the `modules` list: every pointer is bounded and a module that
 * cannot be read is left out; a kernel whose layout is not understood
 * gives an empty list.  Never fails but for memory.
 */
struct ss_error *ss_modlist_load(const struct ss_target *t,
				 struct ss_modlist *ret);
void ss_modlist_deinit(struct ss_modlist *l);

/* Read module i's build-id, once: only when a .ko is to be matched, for
 * its types (kernel/module/sysfs.c's unit) cost a unit's indexing. */
void ss_modlist_build_id(const struct ss_target *t, struct ss_modlist *l,
			 size_t i);

/*
 * The debug files of modules (modfiles.c): for a loaded module, by name
 * and build-id, in the order of ss_modfiles_open().  Each file is opened
 * at most once, on first need.
 */
struct ss_modfiles;

struct ss_error *ss_modfiles_create(const struct ss_debuginfo_search *search,
				    const struct ss_modlist *loaded,
				    struct ss_modfiles **ret);
void ss_modfiles_destroy(struct ss_modfiles *mf);

/*
 * The debug file of loaded module m (owned by mf; NULL: none found).
 * Looked for in: the given files, the *.ko beside the dump (both matched
 * by the module name they declare), SYSROOT/usr/lib/debug/.build-id,
 * SYSROOT/usr/lib/debug/lib/modules/REL, SYSROOT/lib/modules/REL (by file
 * name), then debuginfod.  A file whose build-id is not the loaded
 * module's is passed over with a warning.
 */
struct ss_error *ss_modfiles_open(struct ss_modfiles *mf,
				  const struct ss_loaded_module *m,
				  struct ss_dbg **ret);

/* What was passed over, and why (one line each). */
size_t ss_modfiles_nwarnings(const struct ss_modfiles *mf);
const char *ss_modfiles_warning(const struct ss_modfiles *mf, size_t i);

#endif /* SLABSCOPE_KERNEL_PRIV_H */
