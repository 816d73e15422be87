/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The debug files of modules (kernel_priv.h): which .ko belongs to which
 * loaded module.  Given files and the *.ko beside the dump say their
 * module's name themselves (.modinfo "name=", else the name in
 * .gnu.linkonce.this_module, else the file name); files under the system
 * directories are known by their file name; a file of the .build-id tree
 * or from debuginfod by its build-id.  Wherever both build-ids are known
 * they must be equal: a .ko of another build would put wrong names on
 * the addresses, so it is passed over with a warning.
 *
 * Everything happens on the first call that needs it: no file is opened
 * and no directory read before a module address asks for its .ko.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kernel_priv.h"

/* Bounds on the walk of a system module tree. */
#define MAX_TREE_DEPTH 8
#define MAX_TREE_FILES 200000

struct candidate {
	char *path;
	struct ss_dbg *dbg; /* NULL: not opened yet, or it failed */
	bool tried;
	char name[SS_MODULE_NAME_LEN + 1];
	uint8_t id[SS_BUILD_ID_MAX];
	size_t id_len;
	bool warned;
};

struct list {
	struct candidate *v;
	size_t n, cap;
};

struct ss_modfiles {
	const struct ss_debuginfo_search *search;
	const struct ss_modlist *loaded;
	bool indexed;
	struct list own; /* given files, then the dump's directory */
	bool walked;
	struct list tree; /* the system module trees, by file name */
	struct list other; /* found by build-id (paths, debuginfod) */
	char **warnings;
	size_t nwarnings;
	bool nomem;
};

static void warn(struct ss_modfiles *mf, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void warn(struct ss_modfiles *mf, const char *fmt, ...)
{
	char *w;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&w, fmt, ap);
	va_end(ap);
	char **v =
		n < 0 ? NULL
		      : realloc(mf->warnings, (mf->nwarnings + 1) * sizeof(*v));
	if (!v) {
		if (n >= 0)
			free(w);
		mf->nomem = true;
		return;
	}
	v[mf->nwarnings++] = w;
	mf->warnings = v;
}

static struct candidate *list_add(struct ss_modfiles *mf, struct list *l,
				  const char *path)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		struct candidate *v = realloc(l->v, cap * sizeof(*v));
		if (!v) {
			mf->nomem = true;
			return NULL;
		}
		l->v = v;
		l->cap = cap;
	}
	struct candidate *c = &l->v[l->n];
	memset(c, 0, sizeof(*c));
	if (!(c->path = strdup(path))) {
		mf->nomem = true;
		return NULL;
	}
	l->n++;
	return c;
}

static void list_free(struct list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].path);
		ss_dbg_close(l->v[i].dbg);
	}
	free(l->v);
}

/* The module name a file name suggests: "snd-hda.ko.debug" is module
 * snd_hda (the kernel turns '-' into '_'). */
static void name_from_path(const char *path, char *name)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strcspn(base, ".");
	if (n > SS_MODULE_NAME_LEN)
		n = SS_MODULE_NAME_LEN;
	for (size_t i = 0; i < n; i++)
		name[i] = base[i] == '-' ? '_' : base[i];
	name[n] = '\0';
}

/* "name=" of .modinfo (NUL-separated key=value strings). */
static bool name_from_modinfo(struct ss_dbg *dbg, char *name)
{
	struct ss_dbg_section_info s;
	struct ss_error *err = ss_dbg_section(dbg, ".modinfo", &s);
	ss_error_destroy(err);
	if (err || !s.data)
		return false;
	const char *p = s.data, *end = p + s.size;
	while (p < end) {
		size_t len = strnlen(p, (size_t)(end - p));
		if (len > 5 && len - 5 <= SS_MODULE_NAME_LEN &&
		    strncmp(p, "name=", 5) == 0) {
			memcpy(name, p + 5, len - 5);
			name[len - 5] = '\0';
			return true;
		}
		p += len + 1;
	}
	return false;
}

/* The name in the .ko's own struct module (at the dump's offset of
 * module.name: the .ko was built for that kernel if it is any use). */
static bool name_from_this_module(struct ss_dbg *dbg, uint64_t name_off,
				  char *name)
{
	struct ss_dbg_section_info s;
	struct ss_error *err =
		ss_dbg_section(dbg, ".gnu.linkonce.this_module", &s);
	ss_error_destroy(err);
	if (err || !s.data || !name_off || name_off >= s.size)
		return false;
	const char *p = (const char *)s.data + name_off;
	size_t max = s.size - name_off < SS_MODULE_NAME_LEN
			     ? (size_t)(s.size - name_off)
			     : SS_MODULE_NAME_LEN;
	size_t len = strnlen(p, max);
	if (!len || len == max)
		return false;
	memcpy(name, p, len);
	name[len] = '\0';
	return true;
}

/* Open c once and read its name and build-id; false if it cannot be used
 * (with a warning when warn_open). */
static bool open_candidate(struct ss_modfiles *mf, struct candidate *c,
			   bool warn_open)
{
	if (c->tried)
		return c->dbg != NULL;
	c->tried = true;
	struct ss_error *err = ss_dbg_open_module(c->path, &c->dbg);
	if (err) {
		if (warn_open)
			warn(mf, "%s", err->message);
		ss_error_destroy(err);
		c->dbg = NULL;
		return false;
	}
	if (!name_from_modinfo(c->dbg, c->name) &&
	    !name_from_this_module(c->dbg, mf->loaded->name_off, c->name))
		name_from_path(c->path, c->name);
	err = ss_dbg_build_id(c->dbg, c->id, sizeof(c->id), &c->id_len);
	ss_error_destroy(err);
	return true;
}

static const struct ss_loaded_module *loaded_named(const struct ss_modfiles *mf,
						   const char *name)
{
	for (size_t i = 0; i < mf->loaded->n; i++)
		if (strcmp(mf->loaded->mods[i].name, name) == 0)
			return &mf->loaded->mods[i];
	return NULL;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n > k && strcmp(s + n - k, suffix) == 0;
}

static bool is_ko(const char *name)
{
	return ends_with(name, ".ko") || ends_with(name, ".ko.debug");
}

/* The given files and the *.ko beside the dump, opened: they are few, and
 * only their contents say which module they are. */
static void index_own(struct ss_modfiles *mf)
{
	mf->indexed = true;
	const struct ss_debuginfo_search *s = mf->search;
	for (size_t i = 0; s && i < s->nmodules; i++) {
		struct candidate *c = list_add(mf, &mf->own, s->modules[i]);
		if (!c || !open_candidate(mf, c, true))
			continue;
		if (!loaded_named(mf, c->name))
			warn(mf,
			     "%s: module %s is not loaded in the dump: "
			     "not used",
			     c->path, c->name);
	}
	DIR *d = s && s->dump_dir ? opendir(s->dump_dir) : NULL;
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (!ends_with(e->d_name, ".ko"))
			continue;
		char *p;
		if (asprintf(&p, "%s/%s", s->dump_dir, e->d_name) < 0) {
			mf->nomem = true;
			break;
		}
		struct stat st;
		bool given = false;
		for (size_t i = 0; i < s->nmodules; i++)
			given |= strcmp(s->modules[i], p) == 0;
		if (!given && stat(p, &st) == 0 && S_ISREG(st.st_mode))
			list_add(mf, &mf->own, p);
		free(p);
	}
	if (d)
		closedir(d);
}

static void walk_tree(struct ss_modfiles *mf, const char *dir, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)) && mf->tree.n < MAX_TREE_FILES) {
		if (e->d_name[0] == '.')
			continue;
		char *p;
		if (asprintf(&p, "%s/%s", dir, e->d_name) < 0) {
			mf->nomem = true;
			break;
		}
		unsigned char type = e->d_type;
		struct stat st;
		if (type == DT_UNKNOWN && lstat(p, &st) == 0)
			type = S_ISDIR(st.st_mode)   ? DT_DIR
			       : S_ISREG(st.st_mode) ? DT_REG
						     : DT_UNKNOWN;
		if (type == DT_DIR && depth < MAX_TREE_DEPTH) {
			walk_tree(mf, p, depth + 1);
		} else if ((type == DT_REG || type == DT_LNK) &&
			   is_ko(e->d_name)) {
			struct candidate *c = list_add(mf, &mf->tree, p);
			if (c)
				name_from_path(p, c->name);
		}
		free(p);
	}
	if (d)
		closedir(d);
}

/* The debug package's module tree first (it has the DWARF), then the
 * installed modules (compressed ones, .ko.xz, cannot be read). */
static void walk_trees(struct ss_modfiles *mf)
{
	mf->walked = true;
	const char *rel = mf->search->release;
	if (!rel || strchr(rel, '/'))
		return;
	static const char *const roots[] = { "/usr/lib/debug/lib/modules/",
					     "/lib/modules/" };
	for (size_t i = 0; i < 2; i++) {
		char *rp, *p = NULL;
		if (asprintf(&rp, "%s%s", roots[i], rel) < 0 ||
		    !(p = ss_sysroot_path(rp))) {
			mf->nomem = true;
			free(rp);
			return;
		}
		free(rp);
		walk_tree(mf, p, 0);
		free(p);
	}
}

/* Is c usable for m?  A build-id known on both sides must agree. */
static bool matches(struct ss_modfiles *mf, struct candidate *c,
		    const struct ss_loaded_module *m)
{
	if (!c->id_len || !m->build_id_len ||
	    (c->id_len == m->build_id_len &&
	     memcmp(c->id, m->build_id, c->id_len) == 0))
		return true;
	if (!c->warned) {
		char want[2 * SS_BUILD_ID_MAX + 1],
			have[2 * SS_BUILD_ID_MAX + 1];
		ss_build_id_hex(m->build_id, m->build_id_len, want);
		ss_build_id_hex(c->id, c->id_len, have);
		warn(mf,
		     "%s: build-id %s is not that of the loaded module "
		     "%s (%s): not used",
		     c->path, have, m->name, want);
		c->warned = true;
	}
	return false;
}

/* The first of list l named like m that opens and matches. */
static struct ss_dbg *first_named(struct ss_modfiles *mf, struct list *l,
				  const struct ss_loaded_module *m,
				  bool warn_open)
{
	for (size_t i = 0; i < l->n; i++) {
		struct candidate *c = &l->v[i];
		if (c->tried && !c->dbg)
			continue;
		/* A tree file's name is known before it is opened. */
		if (c->name[0] && strcmp(c->name, m->name) != 0)
			continue;
		if (!open_candidate(mf, c, warn_open) ||
		    strcmp(c->name, m->name) != 0)
			continue;
		if (matches(mf, c, m))
			return c->dbg;
	}
	return NULL;
}

/* A file found by m's build-id (path: NULL if not found). */
static struct ss_dbg *by_build_id(struct ss_modfiles *mf, char *path,
				  const struct ss_loaded_module *m)
{
	if (!path)
		return NULL;
	struct candidate *c = list_add(mf, &mf->other, path);
	free(path);
	if (!c || !open_candidate(mf, c, true))
		return NULL;
	/* Its name is whatever the debug file says: the build-id decides. */
	return matches(mf, c, m) ? c->dbg : NULL;
}

struct ss_error *ss_modfiles_open(struct ss_modfiles *mf,
				  const struct ss_loaded_module *m,
				  struct ss_dbg **ret)
{
	if (!mf->indexed)
		index_own(mf);
	struct ss_dbg *dbg = first_named(mf, &mf->own, m, true);
	bool system = mf->search && !mf->search->no_system;
	char *path = NULL;
	if (!dbg && system && m->build_id_len) {
		struct ss_error *err =
			ss_build_id_file(m->build_id, m->build_id_len, &path);
		ss_error_destroy(err);
		dbg = by_build_id(mf, path, m);
	}
	if (!dbg && system) {
		if (!mf->walked)
			walk_trees(mf);
		dbg = first_named(mf, &mf->tree, m, true);
	}
	const char *urls = getenv("DEBUGINFOD_URLS");
	if (!dbg && system && m->build_id_len && ss_debuginfod_available() &&
	    urls && *urls) {
		char what[SS_MODULE_NAME_LEN + 16];
		snprintf(what, sizeof(what), "module %s", m->name);
		struct ss_error *err =
			ss_debuginfod_fetch(m->build_id, m->build_id_len, what,
					    mf->search->progress,
					    mf->search->progress_arg, &path);
		if (err)
			warn(mf, "module %s: %s", m->name, err->message);
		ss_error_destroy(err);
		dbg = by_build_id(mf, path, m);
	}
	*ret = dbg;
	return mf->nomem ? &ss_error_nomem : NULL;
}

struct ss_error *ss_modfiles_create(const struct ss_debuginfo_search *search,
				    const struct ss_modlist *loaded,
				    struct ss_modfiles **ret)
{
	struct ss_modfiles *mf = calloc(1, sizeof(*mf));
	if (!mf)
		return &ss_error_nomem;
	mf->search = search;
	mf->loaded = loaded;
	*ret = mf;
	return NULL;
}

void ss_modfiles_destroy(struct ss_modfiles *mf)
{
	if (!mf)
		return;
	list_free(&mf->own);
	list_free(&mf->tree);
	list_free(&mf->other);
	for (size_t i = 0; i < mf->nwarnings; i++)
		free(mf->warnings[i]);
	free(mf->warnings);
	free(mf);
}

size_t ss_modfiles_nwarnings(const struct ss_modfiles *mf)
{
	return mf ? mf->nwarnings : 0;
}

const char *ss_modfiles_warning(const struct ss_modfiles *mf, size_t i)
{
	return mf && i < mf->nwarnings ? mf->warnings[i] : NULL;
}
