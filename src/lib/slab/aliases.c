/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Aliases of merged caches: SLUB merges a new cache into a compatible
 * one (find_mergeable()) and gives it only a name in sysfs, a symlink
 * /sys/kernel/slab/ALIAS -> the cache's directory (sysfs_slab_alias()).
 * Those symlinks are kernfs nodes among the children of slab_kset's
 * directory: a node of type KERNFS_LINK whose target's priv is the
 * cache's kobject (kmem_cache.kobj).  As drgn's get_slab_cache_aliases()
 * does, read them there.  A kernel without slab_kset (SLAB, !SYSFS) has
 * no aliases to read; the rbtree walk is bounded and every pointer
 * checked, since a garbage tree must not stop the load.
 */
#include <stdlib.h>
#include <string.h>

#include "model_priv.h"

#define MAX_NODES 100000
#define MAX_DEPTH 128 /* an rbtree of 100000 nodes is < 40 deep */

struct kernfs_layout {
	struct ss_member name, rb, flags, children, target_kn, priv;
	struct ss_member rb_left, rb_right;
	uint64_t kobj_off; /* kmem_cache.kobj */
	int64_t link; /* KERNFS_LINK */
	uint64_t kobj_sd; /* kobject.sd */
	uint64_t kset_kobj;
};

static struct ss_error *resolve(struct ss_dbg *dbg, struct kernfs_layout *l)
{
	struct {
		const char *type, *path;
		struct ss_member *m;
	} want[] = {
		{ "kernfs_node", "name", &l->name },
		{ "kernfs_node", "rb", &l->rb },
		{ "kernfs_node", "flags", &l->flags },
		{ "kernfs_node", "dir.children", &l->children },
		{ "kernfs_node", "symlink.target_kn", &l->target_kn },
		{ "kernfs_node", "priv", &l->priv },
		{ "rb_node", "rb_left", &l->rb_left },
		{ "rb_node", "rb_right", &l->rb_right },
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct ss_error *err =
			ss_dbg_member(dbg, SS_TYPE_STRUCT, want[i].type,
				      want[i].path, want[i].m);
		if (err)
			return err;
	}
	struct ss_member m;
	struct ss_error *err =
		ss_dbg_member(dbg, SS_TYPE_STRUCT, "kmem_cache", "kobj", &m);
	if (!err) {
		l->kobj_off = m.offset;
		err = ss_dbg_member(dbg, SS_TYPE_STRUCT, "kobject", "sd", &m);
	}
	if (!err) {
		l->kobj_sd = m.offset;
		err = ss_dbg_member(dbg, SS_TYPE_STRUCT, "kset", "kobj", &m);
	}
	if (!err) {
		l->kset_kobj = m.offset;
		/* The units that use it often carry no DWARF of the enum
		 * (no variable has its type); its value has been 0x0004
		 * since kernfs began (3.14): no scan of every unit for it. */
		bool found = false;
		err = ss_dbg_enumerator_near(dbg, "KERNFS_LINK", &l->link,
					     &found);
		if (!err && !found)
			l->link = 0x0004;
	}
	return err;
}

static int cmp_alias(const void *a, const void *b)
{
	return strcmp(((const struct ss_cache_alias *)a)->name,
		      ((const struct ss_cache_alias *)b)->name);
}

/* One child node kn of the slab directory: an alias when it is a link to
 * a cache's kobject. */
static struct ss_error *one_node(struct ss_model *m,
				 const struct kernfs_layout *l,
				 const struct ss_addrmap *by_kobj, uint64_t kn,
				 size_t *cap)
{
	uint16_t flags;
	uint64_t target, kobj, name_ptr;
	struct ss_error *err = ss_mem_read(m->mem, kn + l->flags.offset, &flags,
					   sizeof(flags));
	if (err || !(flags & (uint16_t)l->link)) {
		ss_error_destroy(err);
		return NULL;
	}
	err = ss_mem_read_u64(m->mem, kn + l->target_kn.offset, &target);
	if (!err)
		err = ss_mem_read_u64(m->mem, target + l->priv.offset, &kobj);
	if (!err)
		err = ss_mem_read_u64(m->mem, kn + l->name.offset, &name_ptr);
	uint32_t ci;
	if (err || !ss_addrmap_get(by_kobj, kobj, &ci)) {
		ss_error_destroy(err);
		return NULL;
	}
	char *name;
	err = ss_model_read_name(m, name_ptr, &name);
	if (err) {
		if (err->code == SS_ERR_NOMEM)
			return err;
		ss_error_destroy(err);
		return NULL;
	}
	/* A mergeable cache's directory has a unique name (":t-0000128")
	 * and its own name is a link too: not an alias. */
	if (strcmp(name, m->caches[ci].name) == 0) {
		free(name);
		return NULL;
	}
	if (m->naliases == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		struct ss_cache_alias *a =
			realloc(m->aliases, ncap * sizeof(*a));
		if (!a) {
			free(name);
			return &ss_error_nomem;
		}
		m->aliases = a;
		*cap = ncap;
	}
	m->aliases[m->naliases++] = (struct ss_cache_alias){ name, ci };
	return NULL;
}

struct ss_error *ss_model_read_aliases(struct ss_model *m)
{
	uint64_t kset_ptr, kset;
	struct ss_error *err = ss_target_symbol(m->t, "slab_kset", &kset_ptr);
	if (err) {
		ss_error_destroy(err); /* no sysfs for slabs: no aliases */
		return NULL;
	}
	struct kernfs_layout l;
	err = resolve(m->t->dbg, &l);
	uint64_t dir = 0, node = 0;
	if (!err)
		err = ss_mem_read_u64(m->mem, kset_ptr, &kset);
	if (!err)
		err = ss_mem_read_u64(m->mem, kset + l.kset_kobj + l.kobj_sd,
				      &dir);
	if (!err)
		err = ss_mem_read_u64(m->mem, dir + l.children.offset, &node);
	if (err) {
		/* aliases are a convenience: no load fails for them */
		bool nomem = err->code == SS_ERR_NOMEM;
		ss_error_destroy(err);
		return nomem ? &ss_error_nomem : NULL;
	}
	struct ss_addrmap by_kobj = { 0 };
	for (size_t i = 0; i < m->ncaches; i++)
		if (ss_addrmap_put(&by_kobj, m->caches[i].addr + l.kobj_off,
				   (uint32_t)i) < 0) {
			ss_addrmap_free(&by_kobj);
			return &ss_error_nomem;
		}
	/* In-order walk of the children's rbtree: an explicit stack of
	 * rb_node addresses, bounded in depth and in nodes. */
	uint64_t stack[MAX_DEPTH];
	size_t depth = 0, visited = 0, cap = 0;
	uint64_t cur = node;
	while (!err && (cur || depth) && visited < MAX_NODES) {
		while (cur && depth < MAX_DEPTH) {
			stack[depth++] = cur;
			struct ss_error *e = ss_mem_read_u64(
				m->mem, cur + l.rb_left.offset, &cur);
			if (e) {
				ss_error_destroy(e);
				cur = 0;
			}
		}
		if (!depth)
			break;
		uint64_t rb = stack[--depth];
		visited++;
		err = one_node(m, &l, &by_kobj, rb - l.rb.offset, &cap);
		struct ss_error *e =
			ss_mem_read_u64(m->mem, rb + l.rb_right.offset, &cur);
		if (e) {
			ss_error_destroy(e);
			cur = 0;
		}
	}
	ss_addrmap_free(&by_kobj);
	if (!err && m->naliases)
		qsort(m->aliases, m->naliases, sizeof(*m->aliases), cmp_alias);
	return err;
}

size_t ss_model_aliases(const struct ss_model *m,
			const struct ss_cache_alias **ret)
{
	*ret = m->aliases;
	return m->naliases;
}
