/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Code addresses to "symbol+0xoff" names: the vmlinux symbol table, and
 * for module text the module's own kallsyms read from the dump.
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
 * "name+0xoff" (vmlinux) or "name+0xoff [module]"; NULL with
 * SS_ERR_NOTFOUND when nothing covers addr.  *ret is malloc'd.
 */
struct ss_error *ss_symbolize(struct ss_symbolizer *s, uint64_t addr,
			      char **ret);

#ifdef __cplusplus
}
#endif

#endif
