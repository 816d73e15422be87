/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The loaded modules as the dump has them (kernel_priv.h): each module's
 * name, text, kallsyms functions (struct mod_kallsyms: an Elf64_Sym array
 * and a string table), init function and build-id, from the kernel's
 * `modules` list.  Every pointer of that walk may be garbage: it is
 * bounded and a module that cannot be read is skipped.  Layouts are
 * probed in DWARF: core_layout / mem[MOD_TEXT] (6.4+), init_layout /
 * mem[MOD_INIT_TEXT], module_notes_attrs with a count (up to 6.x) or a
 * NULL-terminated grp.bin_attrs (7.x).
 */
#include <elf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel_priv.h"

#define MAX_MODULES 4096
#define MAX_MODULE_SYMS 200000
/* Notes of one module (a handful in practice) and the bytes of one. */
#define MAX_NOTES 64
#define MAX_NOTE_SIZE 1024

struct ss_modlist_layout {
	uint64_t list, name, base, size, kallsyms;
	uint64_t ks_symtab, ks_num_symtab, ks_strtab;
	bool has_init_fn, has_init_text;
	uint64_t init_fn, init_base, init_size;
	/* notes_attrs */
	bool notes_resolved, has_notes;
	uint64_t notes_attrs; /* in struct module */
	bool notes_count; /* module_notes_attrs.notes (else grp.bin_attrs) */
	uint64_t notes, bin_attrs, attrs, attr_size;
	uint64_t ba_name, ba_size, ba_private;
};

static struct ss_error *member_off(struct ss_dbg *dbg, const char *type,
				   const char *path, uint64_t *off)
{
	struct ss_member m;
	struct ss_error *err =
		ss_dbg_member(dbg, SS_TYPE_STRUCT, type, path, &m);
	if (!err)
		*off = m.offset;
	return err;
}

/* A member the kernel may lack: false (and no error) when it does. */
static bool probe(struct ss_dbg *dbg, const char *type, const char *path,
		  uint64_t *off)
{
	struct ss_error *err = member_off(dbg, type, path, off);
	ss_error_destroy(err);
	return !err;
}

/* base and size of one of the module's memory regions: up to 6.3 a
 * struct module_layout (old), 6.4+ mem[enumerator] (struct
 * module_memory). */
static struct ss_error *region(struct ss_dbg *dbg, const char *old,
			       const char *enumerator, uint64_t *base,
			       uint64_t *size)
{
	char b[48], s[48];
	snprintf(b, sizeof(b), "%s.base", old);
	snprintf(s, sizeof(s), "%s.size", old);
	struct ss_error *err = member_off(dbg, "module", b, base);
	if (!err)
		return member_off(dbg, "module", s, size);
	if (err->code != SS_ERR_NOTFOUND)
		return err;
	ss_error_destroy(err);
	int64_t idx = 0;
	err = ss_dbg_enumerator(dbg, enumerator, &idx);
	if (!err && (idx < 0 || idx > 64))
		err = ss_error_create(SS_ERR_FORMAT, "%s is %" PRId64,
				      enumerator, idx);
	if (!err) {
		snprintf(b, sizeof(b), "mem[%" PRId64 "].base", idx);
		snprintf(s, sizeof(s), "mem[%" PRId64 "].size", idx);
		err = member_off(dbg, "module", b, base);
	}
	if (!err)
		err = member_off(dbg, "module", s, size);
	return err;
}

/* Where the build-id note is reached from: kernel/module/sysfs.c's types
 * (its unit is made a hint first, so that a kernel without them costs no
 * scan of every unit). */
static void resolve_notes(struct ss_dbg *dbg, struct ss_modlist_layout *o)
{
	if (o->notes_resolved)
		return;
	o->notes_resolved = true;
	ss_error_destroy(ss_dbg_add_hint_symbol(dbg, "mod_sysfs_setup"));
	if (!probe(dbg, "module", "notes_attrs", &o->notes_attrs) ||
	    !ss_dbg_has_type_near(dbg, SS_TYPE_STRUCT, "module_notes_attrs") ||
	    !probe(dbg, "module_notes_attrs", "attrs", &o->attrs) ||
	    !probe(dbg, "bin_attribute", "attr.name", &o->ba_name) ||
	    !probe(dbg, "bin_attribute", "size", &o->ba_size) ||
	    !probe(dbg, "bin_attribute", "private", &o->ba_private))
		return;
	struct ss_error *err = ss_dbg_type_size(dbg, SS_TYPE_STRUCT,
						"bin_attribute", &o->attr_size);
	ss_error_destroy(err);
	if (err || !o->attr_size)
		return;
	o->notes_count = probe(dbg, "module_notes_attrs", "notes", &o->notes);
	if (!o->notes_count &&
	    !probe(dbg, "module_notes_attrs", "grp.bin_attrs", &o->bin_attrs))
		return;
	o->has_notes = true;
}

static struct ss_error *resolve(struct ss_dbg *dbg, struct ss_modlist_layout *o)
{
	struct ss_error *err = member_off(dbg, "module", "list", &o->list);
	if (!err)
		err = member_off(dbg, "module", "name", &o->name);
	if (!err)
		err = region(dbg, "core_layout", "MOD_TEXT", &o->base,
			     &o->size);
	if (!err)
		err = member_off(dbg, "module", "kallsyms", &o->kallsyms);
	if (!err)
		err = member_off(dbg, "mod_kallsyms", "symtab", &o->ks_symtab);
	if (!err)
		err = member_off(dbg, "mod_kallsyms", "num_symtab",
				 &o->ks_num_symtab);
	if (!err)
		err = member_off(dbg, "mod_kallsyms", "strtab", &o->ks_strtab);
	if (err)
		return err;
	/* What freed init code is symbolized from; optional. */
	o->has_init_fn = probe(dbg, "module", "init", &o->init_fn);
	err = region(dbg, "init_layout", "MOD_INIT_TEXT", &o->init_base,
		     &o->init_size);
	o->has_init_text = !err;
	ss_error_destroy(err);
	return NULL;
}

/* Reads where failing only means "not known": the error is dropped. */
static bool rd(const struct ss_memory *mem, uint64_t at, void *buf, size_t n)
{
	struct ss_error *err = ss_mem_read(mem, at, buf, n);
	ss_error_destroy(err);
	return !err;
}

static bool rd64(const struct ss_memory *mem, uint64_t at, uint64_t *v)
{
	return rd(mem, at, v, 8);
}

/* A 32-bit size. */
static bool read_u32(const struct ss_memory *mem, uint64_t at, uint64_t *v)
{
	uint32_t x;
	if (!rd(mem, at, &x, 4))
		return false;
	*v = x;
	return true;
}

/* The GNU build-id in one note's bytes (namesz, descsz, type, name,
 * desc; 4-byte aligned), if it is one. */
static void parse_build_id(const unsigned char *p, size_t len,
			   struct ss_loaded_module *mi)
{
	uint32_t namesz, descsz, type;
	if (len < 16)
		return;
	memcpy(&namesz, p, 4);
	memcpy(&descsz, p + 4, 4);
	memcpy(&type, p + 8, 4);
	if (type != NT_GNU_BUILD_ID || namesz != 4 ||
	    memcmp(p + 12, "GNU", 4) != 0 || descsz == 0 ||
	    descsz > SS_BUILD_ID_MAX || descsz > len - 16)
		return;
	memcpy(mi->build_id, p + 16, descsz);
	mi->build_id_len = descsz;
}

/* The note called ".note.gnu.build-id" among the module's notes. */
static void read_build_id(const struct ss_memory *mem,
			  const struct ss_modlist_layout *o, uint64_t mod,
			  struct ss_loaded_module *mi)
{
	uint64_t na;
	if (!o->has_notes || !rd64(mem, mod + o->notes_attrs, &na))
		return;
	uint32_t count = MAX_NOTES;
	uint64_t list = 0;
	if (o->notes_count) {
		if (!rd(mem, na + o->notes, &count, 4) || count > MAX_NOTES)
			return;
	} else if (!rd64(mem, na + o->bin_attrs, &list) || !list) {
		return;
	}
	for (uint32_t i = 0; i < count; i++) {
		uint64_t attr = na + o->attrs + i * o->attr_size;
		if (!o->notes_count &&
		    (!rd64(mem, list + 8 * i, &attr) || !attr))
			return; /* the end of grp.bin_attrs */
		uint64_t name_ptr, size, priv;
		char name[24] = "";
		if (!rd64(mem, attr + o->ba_name, &name_ptr) ||
		    !rd(mem, name_ptr, name, sizeof(name) - 1) ||
		    !rd64(mem, attr + o->ba_size, &size) ||
		    !rd64(mem, attr + o->ba_private, &priv))
			continue;
		if (strcmp(name, ".note.gnu.build-id") != 0 || size < 16 ||
		    size > MAX_NOTE_SIZE)
			continue;
		unsigned char buf[MAX_NOTE_SIZE];
		if (rd(mem, priv, buf, size))
			parse_build_id(buf, size, mi);
		return;
	}
}

/* The kallsyms functions of a module (names stay in the dump). */
static bool read_kallsyms(const struct ss_memory *mem,
			  const struct ss_modlist_layout *o, uint64_t mod,
			  struct ss_loaded_module *mi)
{
	uint64_t ks, symtab, strtab;
	uint32_t num;
	if (!rd64(mem, mod + o->kallsyms, &ks) ||
	    !rd64(mem, ks + o->ks_symtab, &symtab) ||
	    !rd(mem, ks + o->ks_num_symtab, &num, 4) ||
	    !rd64(mem, ks + o->ks_strtab, &strtab) || num > MAX_MODULE_SYMS)
		return false;
	Elf64_Sym *raw = calloc(num ? num : 1, sizeof(*raw));
	mi->syms = calloc(num ? num : 1, sizeof(*mi->syms));
	if (!raw || !mi->syms ||
	    (num && !rd(mem, symtab, raw, num * sizeof(*raw)))) {
		free(raw);
		free(mi->syms);
		mi->syms = NULL;
		return false;
	}
	for (uint32_t i = 0; i < num; i++) {
		if (ELF64_ST_TYPE(raw[i].st_info) != STT_FUNC ||
		    !raw[i].st_value)
			continue;
		struct ss_mod_sym *ms = &mi->syms[mi->nsyms++];
		ms->value = raw[i].st_value;
		ms->size = raw[i].st_size;
		ms->name_addr = strtab + raw[i].st_name;
	}
	free(raw);
	return true;
}

struct walk {
	const struct ss_target *t;
	const struct ss_modlist_layout *o;
	struct ss_modlist *l;
	size_t cap;
	bool nomem;
};

static void load_module(struct walk *w, uint64_t mod)
{
	const struct ss_memory *mem = w->t->mem;
	const struct ss_modlist_layout *o = w->o;
	struct ss_loaded_module mi;
	memset(&mi, 0, sizeof(mi));
	if (!rd(mem, mod + o->name, mi.name, SS_MODULE_NAME_LEN) ||
	    !rd64(mem, mod + o->base, &mi.base) ||
	    !read_u32(mem, mod + o->size, &mi.size) ||
	    !read_kallsyms(mem, o, mod, &mi))
		return;
	mi.name[SS_MODULE_NAME_LEN] = '\0';
	if (o->has_init_fn && !rd64(mem, mod + o->init_fn, &mi.init_fn))
		mi.init_fn = 0;
	if (o->has_init_text &&
	    (!rd64(mem, mod + o->init_base, &mi.init_base) ||
	     !read_u32(mem, mod + o->init_size, &mi.init_size) ||
	     !mi.init_base))
		mi.init_base = mi.init_size = 0;
	mi.addr = mod;
	if (w->l->n == w->cap) {
		size_t ncap = w->cap ? w->cap * 2 : 16;
		struct ss_loaded_module *n =
			realloc(w->l->mods, ncap * sizeof(*n));
		if (!n) {
			free(mi.syms);
			w->nomem = true;
			return;
		}
		w->l->mods = n;
		w->cap = ncap;
	}
	w->l->mods[w->l->n++] = mi;
}

static struct ss_error *module_entry(void *arg, uint64_t entry)
{
	struct walk *w = arg;
	load_module(w, entry - w->o->list);
	return w->nomem ? &ss_error_nomem : NULL;
}

struct ss_error *ss_modlist_load(const struct ss_target *t,
				 struct ss_modlist *ret)
{
	memset(ret, 0, sizeof(*ret));
	struct ss_modlist_layout *o = calloc(1, sizeof(*o));
	if (!o)
		return &ss_error_nomem;
	ret->layout = o;
	uint64_t head;
	struct ss_error *err = resolve(t->dbg, o);
	if (!err)
		err = ss_target_symbol(t, "modules", &head);
	if (!err) {
		ret->name_off = o->name;
		struct walk w = { .t = t, .o = o, .l = ret };
		err = ss_list_walk(t->mem, head, MAX_MODULES, false,
				   module_entry, &w, NULL);
		if (w.nomem) {
			ss_error_destroy(err);
			ss_modlist_deinit(ret);
			return &ss_error_nomem;
		}
	}
	/* Without the list, module addresses stay numeric. */
	ss_error_destroy(err);
	return NULL;
}

void ss_modlist_build_id(const struct ss_target *t, struct ss_modlist *l,
			 size_t i)
{
	struct ss_loaded_module *m = &l->mods[i];
	if (m->build_id_read || !l->layout)
		return;
	m->build_id_read = true;
	resolve_notes(t->dbg, l->layout);
	read_build_id(t->mem, l->layout, m->addr, m);
}

void ss_modlist_deinit(struct ss_modlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->mods[i].syms);
	free(l->mods);
	free(l->layout);
	memset(l, 0, sizeof(*l));
}
