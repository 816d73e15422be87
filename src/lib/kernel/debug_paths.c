/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Where debug files live on disk: the sysroot and the .build-id tree
 * (include/slabscope/debuginfo.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <slabscope/debuginfo.h>

char *ss_sysroot_path(const char *path)
{
	const char *root = getenv("SLABSCOPE_SYSROOT");
	char *p;
	if (!root)
		root = "";
	/* "/" and "" are the same root; so are "/mnt/x/" and "/mnt/x". */
	size_t n = strlen(root);
	while (n && root[n - 1] == '/')
		n--;
	if (asprintf(&p, "%.*s%s", (int)n, root, path) < 0)
		return NULL;
	return p;
}

void ss_build_id_hex(const uint8_t *id, size_t len, char *buf)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < len; i++) {
		buf[2 * i] = digits[id[i] >> 4];
		buf[2 * i + 1] = digits[id[i] & 15];
	}
	buf[2 * len] = '\0';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool ss_build_id_parse(const char *hex, uint8_t *id, size_t *len_ret)
{
	size_t n = 0;
	*len_ret = 0;
	if (!hex)
		return false;
	for (const char *p = hex; *p && *p != '\n'; p += 2) {
		int hi = hexval(p[0]), lo = hi < 0 ? -1 : hexval(p[1]);
		if (lo < 0 || n == SS_BUILD_ID_MAX)
			return false;
		id[n++] = (uint8_t)(hi << 4 | lo);
	}
	*len_ret = n;
	return n >= 2;
}

struct ss_error *ss_build_id_file(const uint8_t *id, size_t len,
				  char **path_ret)
{
	*path_ret = NULL;
	if (len < 2 || len > SS_BUILD_ID_MAX)
		return ss_error_create(SS_ERR_INVALID,
				       "bad build-id length %zu", len);
	char hex[2 * SS_BUILD_ID_MAX + 1], rel[2 * SS_BUILD_ID_MAX + 64];
	ss_build_id_hex(id, len, hex);
	/* The convention of gdb, elfutils and Debian's -dbg packages. */
	snprintf(rel, sizeof(rel), "/usr/lib/debug/.build-id/%.2s/%s.debug",
		 hex, hex + 2);
	char *p = ss_sysroot_path(rel);
	if (!p)
		return &ss_error_nomem;
	if (access(p, R_OK) != 0) {
		struct ss_error *err =
			ss_error_create(SS_ERR_NOTFOUND, "no %s", p);
		free(p);
		return err;
	}
	*path_ret = p;
	return NULL;
}
