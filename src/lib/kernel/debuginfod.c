/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Debug files from a debuginfod server, by build-id, through libdebuginfod
 * (optional at configure time: without it every fetch says so).  Asked only
 * when $DEBUGINFOD_URLS is set.  libdebuginfod would print progress and
 * verbose messages to stderr when its own environment variables ask for
 * them; the library prints nothing, so both are taken over here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <slabscope/debuginfo.h>

#ifdef HAVE_DEBUGINFOD
#include <elfutils/debuginfod.h>
#endif

static bool configured(void)
{
	const char *urls = getenv("DEBUGINFOD_URLS");
	return urls && *urls;
}

#ifdef HAVE_DEBUGINFOD

bool ss_debuginfod_available(void)
{
	return true;
}

struct fetch {
	const char *what;
	ss_fetch_progress_fn progress;
	void *arg;
};

static int on_progress(debuginfod_client *c, long done, long total)
{
	struct fetch *f = debuginfod_get_user_data(c);
	if (f && f->progress)
		f->progress(f->arg, f->what, done > 0 ? (uint64_t)done : 0,
			    total > 0 ? (uint64_t)total : 0);
	return 0; /* go on */
}

struct ss_error *ss_debuginfod_fetch(const uint8_t *id, size_t len,
				     const char *what,
				     ss_fetch_progress_fn progress,
				     void *progress_arg, char **path_ret)
{
	*path_ret = NULL;
	if (!configured())
		return ss_error_create(SS_ERR_NOTFOUND,
				       "debuginfod not asked: DEBUGINFOD_URLS "
				       "is not set");
	debuginfod_client *c = debuginfod_begin();
	if (!c)
		return ss_error_create(SS_ERR_NOTFOUND,
				       "debuginfod: cannot start a client");
	struct fetch f = { what, progress, progress_arg };
	debuginfod_set_user_data(c, &f);
	debuginfod_set_progressfn(c, on_progress);
	debuginfod_set_verbose_fd(c, -1);
	char *path = NULL;
	int fd = debuginfod_find_debuginfo(c, id, (int)len, &path);
	if (progress)
		progress(progress_arg, what, 0, 0); /* over */
	struct ss_error *err = NULL;
	if (fd < 0) {
		char hex[2 * SS_BUILD_ID_MAX + 1];
		ss_build_id_hex(id, len, hex);
		err = ss_error_create(SS_ERR_NOTFOUND,
				      "debuginfod (%s) has no debug file of "
				      "build-id %s: %s",
				      getenv("DEBUGINFOD_URLS"), hex,
				      strerror(-fd));
	} else {
		close(fd);
		*path_ret = path;
		path = NULL;
	}
	free(path);
	debuginfod_end(c);
	return err;
}

#else /* !HAVE_DEBUGINFOD */

bool ss_debuginfod_available(void)
{
	return false;
}

struct ss_error *ss_debuginfod_fetch(const uint8_t *id, size_t len,
				     const char *what,
				     ss_fetch_progress_fn progress,
				     void *progress_arg, char **path_ret)
{
	(void)id, (void)len, (void)what, (void)progress, (void)progress_arg;
	*path_ret = NULL;
	return ss_error_create(
		SS_ERR_NOTFOUND,
		configured() ? "DEBUGINFOD_URLS is set, but slabscope "
			       "was built without libdebuginfod "
			       "(configure --with-debuginfod)"
			     : "debuginfod not asked: DEBUGINFOD_URLS "
			       "is not set");
}

#endif
