/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Debug files from a debuginfod server, by build-id, through libdebuginfod
 * (optional at configure time: without it every fetch says so).  Asked only
 * when $DEBUGINFOD_URLS is set.  The library is dlopen'ed then, as elfutils
 * does: linked, it and libcurl's ~30 libraries cost every run 6 ms of CPU
 * and 13 ms of start-up.  libdebuginfod would print progress and verbose
 * messages to stderr when its own environment variables ask for them; the
 * library prints nothing, so both are taken over here.
 */
#include <dlfcn.h>
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

/* The functions used, from the dlopen'ed library. */
struct client_lib {
	void *handle;
	debuginfod_client *(*begin)(void);
	void (*end)(debuginfod_client *);
	int (*find_debuginfo)(debuginfod_client *, const unsigned char *, int,
			      char **);
	void (*set_progressfn)(debuginfod_client *, debuginfod_progressfn_t);
	void (*set_verbose_fd)(debuginfod_client *, int);
	void (*set_user_data)(debuginfod_client *, void *);
	void *(*get_user_data)(debuginfod_client *);
};

/* dlsym into a function pointer (POSIX: a void * converts to one). */
#define LOAD(lib, name)                                                        \
	(*(void **)&(lib)->name = dlsym((lib)->handle, "debuginfod_" #name))

/* flags: RTLD_NOLOAD to find the library only if it is loaded. */
static struct ss_error *client_lib_open(struct client_lib *lib, int flags)
{
	memset(lib, 0, sizeof(*lib));
	/* RTLD_NODELETE: it stays loaded after dlclose (libcurl does not
	 * like being unloaded), and nothing here is global. */
	lib->handle = dlopen(DEBUGINFOD_SONAME,
			     RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE | flags);
	if (!lib->handle)
		return ss_error_create(SS_ERR_NOTFOUND,
				       "DEBUGINFOD_URLS is set, but %s cannot "
				       "be loaded: %s (apt-get install "
				       "libdebuginfod1)",
				       DEBUGINFOD_SONAME, dlerror());
	if (!LOAD(lib, begin) || !LOAD(lib, end) ||
	    !LOAD(lib, find_debuginfo) || !LOAD(lib, set_progressfn) ||
	    !LOAD(lib, set_verbose_fd) || !LOAD(lib, set_user_data) ||
	    !LOAD(lib, get_user_data)) {
		dlclose(lib->handle);
		return ss_error_create(SS_ERR_NOTFOUND,
				       "%s lacks a function slabscope uses",
				       DEBUGINFOD_SONAME);
	}
	return NULL;
}

struct fetch {
	const char *what;
	ss_fetch_progress_fn progress;
	void *arg;
};

/* The client calls this with itself only: its user data, the struct
 * fetch, is reached through the library (loaded, so found again). */
static int on_progress(debuginfod_client *c, long done, long total)
{
	struct client_lib lib;
	struct ss_error *err = client_lib_open(&lib, RTLD_NOLOAD);
	if (err) {
		ss_error_destroy(err);
		return 0;
	}
	struct fetch *f = lib.get_user_data(c);
	dlclose(lib.handle);
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
	struct client_lib lib;
	struct ss_error *err = client_lib_open(&lib, 0);
	if (err)
		return err;
	debuginfod_client *c = lib.begin();
	if (!c) {
		dlclose(lib.handle);
		return ss_error_create(SS_ERR_NOTFOUND,
				       "debuginfod: cannot start a client");
	}
	struct fetch f = { what, progress, progress_arg };
	lib.set_user_data(c, &f);
	lib.set_progressfn(c, on_progress);
	lib.set_verbose_fd(c, -1);
	char *path = NULL;
	int fd = lib.find_debuginfo(c, id, (int)len, &path);
	if (progress)
		progress(progress_arg, what, 0, 0); /* over */
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
	lib.end(c);
	dlclose(lib.handle);
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
