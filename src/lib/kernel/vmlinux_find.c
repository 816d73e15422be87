/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where a kernel's vmlinux is looked for when the user names none, in
 * order (slabscope(1) documents it): the .build-id tree by the dump's
 * build-id (an exact match), the release's debug and boot paths, the
 * fixture cache, then debuginfod.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <slabscope/kernel.h>

static char *cache_root(void)
{
	const char *env = getenv("SLABSCOPE_CACHE");
	char *root = NULL;
	if (env && *env)
		return strdup(env);
	const char *xdg = getenv("XDG_CACHE_HOME");
	if (xdg && *xdg) {
		if (asprintf(&root, "%s/slabscope", xdg) < 0)
			return NULL;
		return root;
	}
	const char *home = getenv("HOME");
	if (!home || !*home)
		return NULL;
	if (asprintf(&root, "%s/.cache/slabscope", home) < 0)
		return NULL;
	return root;
}

#define MAX_CANDIDATES 5

/* The paths to try, in order; NULL entries were not applicable. */
static struct ss_error *candidates(const struct ss_vmlinux_query *q, char **c)
{
	const char *rel = q->release;
	char *p = NULL;
	int n = 0;
	if (q->build_id_len) {
		char hex[2 * SS_BUILD_ID_MAX + 1], rp[2 * SS_BUILD_ID_MAX + 64];
		ss_build_id_hex(q->build_id, q->build_id_len, hex);
		snprintf(rp, sizeof(rp),
			 "/usr/lib/debug/.build-id/%.2s/%s.debug", hex,
			 hex + 2);
		if (!(c[n++] = ss_sysroot_path(rp)))
			return &ss_error_nomem;
	}
	if (!rel)
		return NULL;
	/* Each is a prefix, the release, a suffix. */
	static const char *const where[][2] = {
		{ "/usr/lib/debug/boot/vmlinux-", "" },
		{ "/usr/lib/debug/lib/modules/", "/vmlinux" },
		{ "/boot/vmlinux-", "" },
	};
	for (size_t i = 0; i < 3; i++) {
		if (asprintf(&p, "%s%s%s", where[i][0], rel, where[i][1]) < 0)
			return &ss_error_nomem;
		c[n] = ss_sysroot_path(p);
		free(p);
		if (!c[n++])
			return &ss_error_nomem;
	}
	char *root = cache_root();
	if (root) {
		int r = asprintf(&c[n], "%s/kernels/%s/vmlinux", root, rel);
		free(root);
		if (r < 0) {
			c[n] = NULL;
			return &ss_error_nomem;
		}
	}
	return NULL;
}

/* "a, b, c" of the candidates tried. */
static char *tried_list(char **c)
{
	size_t len = 1;
	for (int i = 0; i < MAX_CANDIDATES; i++)
		len += c[i] ? strlen(c[i]) + 2 : 0;
	char *s = calloc(1, len);
	for (int i = 0; s && i < MAX_CANDIDATES; i++) {
		if (!c[i])
			continue;
		if (*s)
			strcat(s, ", ");
		strcat(s, c[i]);
	}
	return s;
}

struct ss_error *ss_vmlinux_find(const struct ss_vmlinux_query *q,
				 char **path_ret)
{
	*path_ret = NULL;
	const char *rel = q->release;
	if (rel && (!*rel || strchr(rel, '/')))
		return ss_error_create(SS_ERR_INVALID,
				       "invalid kernel release \"%s\"", rel);
	if (!rel && !q->build_id_len)
		return ss_error_create(
			SS_ERR_MISSING,
			"the dump names neither its kernel "
			"release nor its build-id; pass --vmlinux");
	char *c[MAX_CANDIDATES] = { NULL };
	struct ss_error *err = candidates(q, c);
	for (int i = 0; !err && !*path_ret && i < MAX_CANDIDATES; i++) {
		if (c[i] && access(c[i], R_OK) == 0) {
			*path_ret = c[i];
			c[i] = NULL;
		}
	}
	struct ss_error *fetch_err = NULL;
	if (!err && !*path_ret && q->build_id_len) {
		fetch_err = ss_debuginfod_fetch(q->build_id, q->build_id_len,
						"vmlinux", q->progress,
						q->progress_arg, path_ret);
		if (fetch_err && fetch_err->code != SS_ERR_NOTFOUND) {
			err = fetch_err;
			fetch_err = NULL;
		}
	}
	if (!err && !*path_ret) {
		char *tried = tried_list(c);
		char hex[2 * SS_BUILD_ID_MAX + 1] = "";
		ss_build_id_hex(q->build_id, q->build_id_len, hex);
		err = ss_error_create(
			SS_ERR_NOTFOUND,
			"no vmlinux with debug info found for kernel %s%s%s "
			"(looked in %s%s%s); install the -dbg package "
			"(e.g. linux-image-%s-dbg), set DEBUGINFOD_URLS or "
			"pass --vmlinux FILE",
			rel ? rel : "?", *hex ? " build-id " : "", hex,
			tried ? tried : "?", fetch_err ? "; " : "",
			fetch_err ? fetch_err->message : "",
			rel ? rel : "RELEASE");
		free(tried);
	}
	ss_error_destroy(fetch_err);
	for (int i = 0; i < MAX_CANDIDATES; i++)
		free(c[i]);
	return err;
}
