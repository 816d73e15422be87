/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Where a kernel's vmlinux is looked for when the user names none. */
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

struct ss_error *ss_vmlinux_find(const char *release, char **path_ret)
{
	if (!release || !*release || strchr(release, '/'))
		return ss_error_create(SS_ERR_INVALID,
				       "invalid kernel release \"%s\"",
				       release ? release : "");
	char *root = cache_root();
	char *candidates[4] = { NULL };
	int n = 0;
	if (asprintf(&candidates[n++], "/usr/lib/debug/boot/vmlinux-%s",
		     release) < 0 ||
	    asprintf(&candidates[n++], "/usr/lib/debug/lib/modules/%s/vmlinux",
		     release) < 0 ||
	    asprintf(&candidates[n++], "/boot/vmlinux-%s", release) < 0 ||
	    (root && asprintf(&candidates[n++], "%s/kernels/%s/vmlinux", root,
			      release) < 0)) {
		candidates[n - 1] = NULL;
		for (int i = 0; i < n; i++)
			free(candidates[i]);
		free(root);
		return &ss_error_nomem;
	}
	free(root);
	struct ss_error *err = NULL;
	char *found = NULL;
	for (int i = 0; i < n; i++) {
		if (!found && access(candidates[i], R_OK) == 0) {
			found = candidates[i];
			candidates[i] = NULL;
		}
	}
	if (!found) {
		err = ss_error_create(
			SS_ERR_NOTFOUND,
			"no vmlinux with debug info found for kernel %s "
			"(looked in %s, %s, %s%s%s); install the -dbg package "
			"(e.g. linux-image-%s-dbg) or pass --vmlinux FILE",
			release, candidates[0], candidates[1], candidates[2],
			candidates[3] ? ", " : "",
			candidates[3] ? candidates[3] : "", release);
	}
	for (int i = 0; i < n; i++)
		free(candidates[i]);
	*path_ret = found;
	return err;
}
