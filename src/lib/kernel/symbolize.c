/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Symbolization of code addresses: the vmlinux symbol table, and for
 * module text the module's own kallsyms read from the dump (modlist.c),
 * once, on first use.
 *
 * A module's init text is freed once its init function returned, and its
 * symbols leave kallsyms with it; the kernel keeps struct module.init, the
 * address of the module_init() function.  With the module's .ko
 * (modfiles.c) that places the whole .init.text: its runtime base is
 * module.init minus init_module's offset in the .ko's .init.text.  The .ko
 * is only looked for when an address needs it: one in the module area no
 * loaded text covers (near a module's init function), or the source line
 * of a module frame.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <slabscope/symbolize.h>

#include "kernel_priv.h"

/* x86_64's module area (MODULES_VADDR..MODULES_END). */
#define X86_64_MODULES_START 0xffffffffc0000000ULL
#define X86_64_MODULES_END 0xffffffffff000000ULL
/* arm64's module region beside the kernel image, from module_alloc_base
 * (MODULES_VSIZE, 6.1). */
#define AARCH64_MODULES_VSIZE (128ULL << 20)
/* A module's freed init text is looked for within this distance of its
 * init function (init text is a few KiB; the bound keeps unrelated
 * modules' .ko files closed). */
#define MAX_INIT_SPAN (1u << 20)
/* Source lines remembered (stacks share frames). */
#define MAX_MEMO 4096

/* What the symbolizer learnt of one loaded module's .ko. */
struct mod_state {
	bool ko_tried;
	struct ss_dbg *ko; /* owned by the modfiles */
	/* Freed init text placed through the .ko: runtime base, size, and
	 * the .ko's own address of .init.text. */
	bool init_placed;
	uint64_t init_base, init_size, init_link;
};

struct memo {
	uint64_t addr;
	char *src; /* NULL: no line */
};

struct ss_symbolizer {
	const struct ss_target *t;
	/* Where module code is (for naming code that is gone):
	 * [modules_start, modules_end) and, on arm64 with KASLR, the region
	 * at module_alloc_base too. */
	uint64_t modules_start, modules_end, modules_alloc_base;
	/* arm64 pointer authentication: the bits of a signed return
	 * address (VMCOREINFO KERNELPACMASK), set again before symbolizing;
	 * 0 elsewhere. */
	uint64_t pac_mask;
	/* The kernel image at run time, [image_start, image_end). */
	uint64_t image_start, image_end;
	bool modules_loaded;
	struct ss_modlist mods;
	struct mod_state *ms;
	struct ss_modfiles *files;
	struct memo *memo; /* open addressing, MAX_MEMO * 2 slots */
	size_t nmemo;
};

static void module_area_init(struct ss_symbolizer *s)
{
	const struct ss_target *t = s->t;
	uint64_t a, b;
	struct ss_error *e1 = ss_dbg_symbol(t->dbg, "_text", &a);
	struct ss_error *e2 = ss_dbg_symbol(t->dbg, "_end", &b);
	if (!e1 && !e2 && a < b) {
		s->image_start = a + t->kaslr_offset;
		s->image_end = b + t->kaslr_offset;
	}
	ss_error_destroy(e1);
	ss_error_destroy(e2);
	if (ss_dbg_arch(t->dbg) != SS_ARCH_AARCH64) {
		s->modules_start = X86_64_MODULES_START;
		s->modules_end = X86_64_MODULES_END;
		return;
	}
	/* absent: 0, no such area, no such bits */
	ss_target_vmcoreinfo_number(t, "NUMBER(MODULES_VADDR)",
				    &s->modules_start);
	ss_target_vmcoreinfo_number(t, "NUMBER(MODULES_END)", &s->modules_end);
	ss_target_vmcoreinfo_number(t, "NUMBER(KERNELPACMASK)", &s->pac_mask);
	uint64_t at;
	struct ss_error *err = ss_target_symbol(t, "module_alloc_base", &at);
	if (!err)
		err = ss_mem_read_u64(t->mem, at, &s->modules_alloc_base);
	ss_error_destroy(err);
}

/* A kernel code address as the CPU uses it: arm64's signed return
 * addresses get their authentication bits back (all ones in kernel
 * space), as the kernel's own unwinder strips them. */
static uint64_t strip_pac(const struct ss_symbolizer *s, uint64_t addr)
{
	return s->pac_mask && (addr >> 55 & 1) ? addr | s->pac_mask : addr;
}

static bool in_module_area(const struct ss_symbolizer *s, uint64_t addr)
{
	if (addr >= s->modules_start && addr < s->modules_end)
		return true;
	return s->modules_alloc_base && addr >= s->modules_alloc_base &&
	       addr - s->modules_alloc_base < AARCH64_MODULES_VSIZE;
}

bool ss_symbolizer_maybe_code(const struct ss_symbolizer *s, uint64_t addr)
{
	addr = strip_pac(s, addr);
	return (addr >= s->image_start && addr < s->image_end) ||
	       in_module_area(s, addr);
}

struct ss_error *ss_symbolizer_create(const struct ss_target *t,
				      struct ss_symbolizer **ret)
{
	struct ss_symbolizer *s = calloc(1, sizeof(*s));
	if (!s)
		return &ss_error_nomem;
	s->t = t;
	module_area_init(s);
	*ret = s;
	return NULL;
}

void ss_symbolizer_destroy(struct ss_symbolizer *s)
{
	if (!s)
		return;
	ss_modfiles_destroy(s->files);
	ss_modlist_deinit(&s->mods);
	free(s->ms);
	if (s->memo)
		for (size_t i = 0; i < 2 * MAX_MEMO; i++)
			free(s->memo[i].src);
	free(s->memo);
	free(s);
}

static struct ss_error *load_modules(struct ss_symbolizer *s)
{
	if (s->modules_loaded)
		return NULL;
	s->modules_loaded = true;
	struct ss_error *err = ss_modlist_load(s->t, &s->mods);
	if (!err &&
	    !(s->ms = calloc(s->mods.n ? s->mods.n : 1, sizeof(*s->ms))))
		err = &ss_error_nomem;
	if (!err)
		err = ss_modfiles_create(s->t->debuginfo, &s->mods, &s->files);
	return err;
}

/* The .ko of module i, looked for once; and where its freed init text
 * is. */
static struct ss_error *module_ko(struct ss_symbolizer *s, size_t i,
				  struct ss_dbg **ret)
{
	struct mod_state *st = &s->ms[i];
	const struct ss_loaded_module *m = &s->mods.mods[i];
	if (st->ko_tried) {
		*ret = st->ko;
		return NULL;
	}
	st->ko_tried = true;
	ss_modlist_build_id(s->t, &s->mods, i);
	struct ss_error *err = ss_modfiles_open(s->files, m, &st->ko);
	*ret = st->ko;
	if (err || !st->ko || !m->init_fn || m->init_base)
		return err;
	/* module_init() makes init_module an alias of the init function. */
	uint64_t at, size;
	struct ss_dbg_section_info sec;
	struct ss_error *e2 =
		ss_dbg_symbol_section(st->ko, "init_module", &at, &size, &sec);
	if (!e2 && strcmp(sec.name, ".init.text") == 0 && at >= sec.addr &&
	    at - sec.addr < sec.size && m->init_fn >= at - sec.addr) {
		st->init_placed = true;
		st->init_link = sec.addr;
		st->init_size = sec.size;
		st->init_base = m->init_fn - (at - sec.addr);
	}
	ss_error_destroy(e2);
	return NULL;
}

/* Where in the modules an address is. */
struct place {
	size_t mod;
	bool init; /* in init text */
	bool from_ko; /* freed init text, placed through the .ko */
	bool have_sym;
	char sym[128];
	uint64_t off; /* from sym, else from the text's start */
	uint64_t base; /* the text's start */
};

/* The nearest kallsyms function at or below addr, named from the dump. */
static void kallsyms_sym(struct ss_symbolizer *s,
			 const struct ss_loaded_module *m, uint64_t addr,
			 struct place *p)
{
	const struct ss_mod_sym *best = NULL;
	for (size_t j = 0; j < m->nsyms; j++) {
		const struct ss_mod_sym *ms = &m->syms[j];
		if (ms->value <= addr && (!best || ms->value > best->value))
			best = ms;
	}
	p->off = addr - p->base;
	if (!best)
		return;
	struct ss_error *err = ss_mem_read(s->t->mem, best->name_addr, p->sym,
					   sizeof(p->sym) - 1);
	p->sym[sizeof(p->sym) - 1] = '\0';
	if (err || !p->sym[0]) {
		ss_error_destroy(err);
		return;
	}
	p->have_sym = true;
	p->off = addr - best->value;
}

/* Freed init text of a module whose init function is near addr, nearest
 * first. */
static struct ss_error *freed_init(struct ss_symbolizer *s, uint64_t addr,
				   struct place *p, bool *found)
{
	bool *tried = calloc(s->mods.n ? s->mods.n : 1, sizeof(*tried));
	if (!tried)
		return &ss_error_nomem;
	struct ss_error *err = NULL;
	for (;;) {
		size_t best = s->mods.n;
		uint64_t best_d = MAX_INIT_SPAN;
		for (size_t i = 0; i < s->mods.n; i++) {
			const struct ss_loaded_module *m = &s->mods.mods[i];
			uint64_t d = addr > m->init_fn ? addr - m->init_fn
						       : m->init_fn - addr;
			if (!tried[i] && m->init_fn && !m->init_base &&
			    d < best_d) {
				best = i;
				best_d = d;
			}
		}
		if (best == s->mods.n)
			break;
		tried[best] = true;
		struct ss_dbg *ko;
		err = module_ko(s, best, &ko);
		const struct mod_state *st = &s->ms[best];
		if (err)
			break;
		if (!st->init_placed || addr < st->init_base ||
		    addr - st->init_base >= st->init_size)
			continue;
		*found = true;
		p->mod = best;
		p->init = p->from_ko = true;
		p->base = st->init_base;
		p->off = addr - st->init_base;
		const char *name;
		uint64_t off;
		struct ss_error *e2 =
			ss_dbg_symbolize(ko,
					 st->init_link + (addr - st->init_base),
					 &name, &off);
		if (!e2) {
			snprintf(p->sym, sizeof(p->sym), "%s", name);
			p->have_sym = true;
			p->off = off;
		}
		ss_error_destroy(e2);
		break;
	}
	free(tried);
	return err;
}

static struct ss_error *locate(struct ss_symbolizer *s, uint64_t addr,
			       struct place *p, bool *found)
{
	memset(p, 0, sizeof(*p));
	*found = false;
	struct ss_error *err = load_modules(s);
	if (err)
		return err;
	/* Loaded text first: freed init memory may hold another module
	 * since. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < s->mods.n; i++) {
			const struct ss_loaded_module *m = &s->mods.mods[i];
			uint64_t base = pass ? m->init_base : m->base;
			uint64_t size = pass ? m->init_size : m->size;
			if (!base || addr < base || addr - base >= size)
				continue;
			*found = true;
			p->mod = i;
			p->init = pass == 1;
			p->base = base;
			kallsyms_sym(s, m, addr, p);
			return NULL;
		}
	}
	return freed_init(s, addr, p, found);
}

static struct ss_error *module_symbolize(struct ss_symbolizer *s,
					 uint64_t addr, char **ret)
{
	struct place p;
	bool found;
	struct ss_error *err = locate(s, addr, &p, &found);
	if (err)
		return err;
	int n;
	if (found) {
		const char *mod = s->mods.mods[p.mod].name;
		const char *init = p.init ? ", init" : "";
		n = p.have_sym ? asprintf(ret, "%s+0x%" PRIx64 " [%s%s]", p.sym,
					  p.off, mod, init)
			       : asprintf(ret, "0x%" PRIx64 " [%s%s]", addr,
					  mod, init);
	} else if (in_module_area(s, addr)) {
		/* Code that is gone: a module's __init functions, freed
		 * once its init returned (and no .ko to place them), or an
		 * unloaded module's. */
		n = asprintf(ret,
			     "0x%" PRIx64 " [module area: freed init "
			     "code or an unloaded module]",
			     addr);
	} else {
		return ss_error_create(SS_ERR_NOTFOUND,
				       "0x%" PRIx64 " is in no symbol", addr);
	}
	return n < 0 ? &ss_error_nomem : NULL;
}

struct ss_error *ss_symbolize(struct ss_symbolizer *s, uint64_t addr,
			      char **ret)
{
	const char *name;
	uint64_t off;
	*ret = NULL;
	addr = strip_pac(s, addr);
	struct ss_error *err = ss_dbg_symbolize(
		s->t->dbg, addr - s->t->kaslr_offset, &name, &off);
	if (!err)
		return asprintf(ret, "%s+0x%" PRIx64, name, off) < 0
			       ? &ss_error_nomem
			       : NULL;
	if (err->code != SS_ERR_NOTFOUND)
		return err;
	ss_error_destroy(err);
	return module_symbolize(s, addr, ret);
}

/* ---- source lines ---- */

/* The .ko's address of a module address, if its .ko knows it. */
static struct ss_error *ko_address(struct ss_symbolizer *s, uint64_t addr,
				   struct ss_dbg **ko_ret, uint64_t *link_ret)
{
	struct place p;
	bool found;
	*ko_ret = NULL;
	struct ss_error *err = locate(s, addr, &p, &found);
	if (err || !found)
		return err;
	struct ss_dbg *ko;
	err = module_ko(s, p.mod, &ko);
	if (err || !ko)
		return err;
	const struct mod_state *st = &s->ms[p.mod];
	if (p.from_ko) {
		*ko_ret = ko;
		*link_ret = st->init_link + (addr - st->init_base);
		return NULL;
	}
	/* Loaded text: through the kallsyms symbol, by name in the .ko. */
	uint64_t at, size;
	struct ss_dbg_section_info sec;
	if (!p.have_sym)
		return NULL;
	struct ss_error *e2 =
		ss_dbg_symbol_section(ko, p.sym, &at, &size, &sec);
	if (!e2 && (!size || p.off < size)) {
		*ko_ret = ko;
		*link_ret = at + p.off;
	}
	ss_error_destroy(e2);
	return NULL;
}

static struct ss_error *find_source(struct ss_symbolizer *s, uint64_t addr,
				    char **ret)
{
	/* A return address: the call is the byte before it. */
	uint64_t a = addr - 1;
	struct ss_dbg *dbg = s->t->dbg;
	uint64_t link = a - s->t->kaslr_offset;
	const char *name;
	uint64_t off;
	struct ss_error *err = ss_dbg_symbolize(dbg, link, &name, &off);
	if (err && err->code != SS_ERR_NOTFOUND)
		return err;
	if (err) {
		ss_error_destroy(err);
		err = ko_address(s, a, &dbg, &link);
		if (err || !dbg)
			return err;
	}
	char *file;
	unsigned line;
	err = ss_dbg_source_line(dbg, link, &file, &line);
	if (err) {
		/* No line is no error: most modules have no DWARF. */
		bool none = err->code == SS_ERR_NOTFOUND ||
			    err->code == SS_ERR_NODEBUG ||
			    err->code == SS_ERR_FORMAT;
		if (none) {
			ss_error_destroy(err);
			err = NULL;
		}
		return err;
	}
	int n = asprintf(ret, "%s:%u", file, line);
	free(file);
	return n < 0 ? &ss_error_nomem : NULL;
}

static struct memo *memo_slot(struct ss_symbolizer *s, uint64_t addr)
{
	size_t mask = 2 * MAX_MEMO - 1;
	size_t i = (size_t)((addr * 0x9e3779b97f4a7c15ULL) >> 32) & mask;
	while (s->memo[i].addr && s->memo[i].addr != addr)
		i = (i + 1) & mask;
	return &s->memo[i];
}

struct ss_error *ss_symbolize_source(struct ss_symbolizer *s, uint64_t addr,
				     char **ret)
{
	*ret = NULL;
	addr = strip_pac(s, addr);
	if (!addr)
		return ss_error_create(SS_ERR_NOTFOUND, "no source for 0x0");
	if (!s->memo && !(s->memo = calloc(2 * MAX_MEMO, sizeof(*s->memo))))
		return &ss_error_nomem;
	struct memo *m = memo_slot(s, addr);
	char *src = NULL;
	if (m->addr) {
		src = m->src;
	} else {
		struct ss_error *err = find_source(s, addr, &src);
		if (err)
			return err;
		if (s->nmemo < MAX_MEMO) {
			m->addr = addr;
			m->src = src;
			s->nmemo++;
		} else {
			*ret = src; /* not remembered: the caller's */
			return src ? NULL
				   : ss_error_create(SS_ERR_NOTFOUND,
						     "no source line for "
						     "0x%" PRIx64,
						     addr);
		}
	}
	if (!src)
		return ss_error_create(SS_ERR_NOTFOUND,
				       "no source line for 0x%" PRIx64, addr);
	return (*ret = strdup(src)) ? NULL : &ss_error_nomem;
}

size_t ss_symbolizer_nwarnings(const struct ss_symbolizer *s)
{
	return ss_modfiles_nwarnings(s->files);
}

const char *ss_symbolizer_warning(const struct ss_symbolizer *s, size_t i)
{
	return ss_modfiles_warning(s->files, i);
}

struct ss_error *ss_symbolizer_take_warnings(const struct ss_symbolizer *s,
					     char ***ret, size_t *n_ret)
{
	size_t n = ss_symbolizer_nwarnings(s);
	*ret = NULL;
	*n_ret = 0;
	if (!n)
		return NULL;
	char **v = calloc(n, sizeof(*v));
	if (!v)
		return &ss_error_nomem;
	for (size_t i = 0; i < n; i++) {
		if (!(v[i] = strdup(ss_symbolizer_warning(s, i)))) {
			while (i--)
				free(v[i]);
			free(v);
			return &ss_error_nomem;
		}
	}
	*ret = v;
	*n_ret = n;
	return NULL;
}
