/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Code addresses to "symbol+0xoff" names: the vmlinux symbol table, and
 * for module text the module's own kallsyms read from the dump.  A
 * module's freed init code is named from its .ko, found as the target's
 * debuginfo search says (slabscope/debuginfo.h), and so are the source
 * lines of module frames; vmlinux frames' source lines come from the
 * vmlinux's DWARF.
 */
#ifndef SLABSCOPE_SYMBOLIZE_H
#define SLABSCOPE_SYMBOLIZE_H

#include <stddef.h>
#include <stdint.h>

#include <slabscope/error.h>
#include <slabscope/target.h>

#ifdef __cplusplus
extern "C" {
#endif

struct ss_symbolizer;

struct ss_error *ss_symbolizer_create(const struct ss_target *t,
				      struct ss_symbolizer **ret);
void ss_symbolizer_destroy(struct ss_symbolizer *s);

/*
 * "name+0xoff" (vmlinux), "name+0xoff [module]", "name+0xoff [module,
 * init]" (init code: still loaded, or freed and placed through the .ko),
 * or for an address of the module area nothing explains "0x... [module
 * area: freed init code or an unloaded module]"; NULL with
 * SS_ERR_NOTFOUND when nothing covers addr.  *ret is malloc'd.
 */
struct ss_error *ss_symbolize(struct ss_symbolizer *s, uint64_t addr,
			      char **ret);

/* Whether addr may be code: in the kernel image or where modules are
 * (a cheap test before ss_symbolize() on words that may be anything). */
bool ss_symbolizer_maybe_code(const struct ss_symbolizer *s, uint64_t addr);

/*
 * "file:line" of the call a return address (a stack frame, a track's
 * caller) comes back to: the line of addr - 1, from the vmlinux's DWARF
 * or the module's .ko.  SS_ERR_NOTFOUND when no line table covers it
 * (a module without a .ko with DWARF).  Lazy: a .ko is opened and a line
 * table decoded only for the frames asked about; answers are remembered.
 * *ret is malloc'd.
 */
struct ss_error *ss_symbolize_source(struct ss_symbolizer *s, uint64_t addr,
				     char **ret);

/*
 * Why debug files were passed over (a .ko whose build-id is not the loaded
 * module's, a given --module that is no loaded module, ...), one line
 * each, so far.
 */
size_t ss_symbolizer_nwarnings(const struct ss_symbolizer *s);
const char *ss_symbolizer_warning(const struct ss_symbolizer *s, size_t i);
/* The same, copied into a malloc'd array of malloc'd strings (*ret NULL
 * when there are none), for a result that outlives s. */
struct ss_error *ss_symbolizer_take_warnings(const struct ss_symbolizer *s,
					     char ***ret, size_t *n_ret);

#ifdef __cplusplus
}
#endif

#endif
