/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Finding dump files under a directory for `slabscope batch`. */
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <slabscope/batch.h>

#define MAX_DEPTH 16

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Does the file start like a dump?  One that cannot be opened (no
 * permission) is listed too: its ERROR row says why, where skipping it
 * would hide it. */
static bool looks_like_dump(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == EACCES || errno == EPERM;
	unsigned char h[20] = { 0 };
	ssize_t n = read(fd, h, sizeof(h));
	close(fd);
	if (n >= 18 && memcmp(h, ELFMAG, SELFMAG) == 0)
		return h[16] == ET_CORE && h[17] == 0; /* e_type, LE */
	if (n >= 8 && (memcmp(h, "KDUMP   ", 8) == 0 ||
		       memcmp(h, "DISKDUMP", 8) == 0))
		return true;
	return n >= 12 && memcmp(h, "makedumpfile", 12) == 0;
}

static struct ss_error *push(char ***list, size_t *n, size_t *cap,
			     const char *path)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 32;
		char **nl = realloc(*list, ncap * sizeof(*nl));
		if (!nl)
			return &ss_error_nomem;
		*list = nl;
		*cap = ncap;
	}
	char *p = strdup(path);
	if (!p)
		return &ss_error_nomem;
	(*list)[(*n)++] = p;
	return NULL;
}

static struct ss_error *scan_dir(const char *dir, int depth, char ***list,
				 size_t *n, size_t *cap)
{
	if (depth > MAX_DEPTH)
		return NULL;
	DIR *d = opendir(dir);
	if (!d)
		return ss_error_errno(errno, SS_ERR_IO, "%s: cannot read", dir);
	size_t first = *n;
	struct ss_error *err = NULL;
	struct dirent *e;
	while (!err && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *p;
		if (asprintf(&p, "%s/%s", dir, e->d_name) < 0) {
			err = &ss_error_nomem;
			break;
		}
		struct stat st;
		if (lstat(p, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				err = scan_dir(p, depth + 1, list, n, cap);
			else if (S_ISREG(st.st_mode) && looks_like_dump(p))
				err = push(list, n, cap, p);
		}
		free(p);
	}
	closedir(d);
	/* An empty directory leaves *list NULL: qsort(NULL, 0) is still
	 * undefined (UBSan). */
	if (!err && *n > first)
		qsort(*list + first, *n - first, sizeof(**list), cmp_str);
	return err;
}

struct ss_error *ss_batch_scan(const char *path, char ***list, size_t *n,
			       size_t *cap)
{
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return scan_dir(path, 0, list, n, cap);
	/* A file (or nothing): analysed as given, so a missing or bad one
	 * becomes an ERROR row. */
	return push(list, n, cap, path);
}
