/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Error objects: see include/slabscope/error.h. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <slabscope/error.h>

struct ss_error ss_error_nomem = {
	.code = SS_ERR_NOMEM,
	.message = (char *)"out of memory",
};

struct ss_error ss_walk_stop = {
	.code = SS_ERR_INVALID,
	.message = (char *)"walk stopped by its callback",
};

/* The statically allocated errors are shared: never changed or freed. */
static bool is_static(const struct ss_error *err)
{
	return err == &ss_error_nomem || err == &ss_walk_stop;
}

/*
 * An error is one line on stderr, whatever it quotes (a parser's excerpt
 * of its input, a file name): control characters become spaces here, once,
 * for every message.
 */
static char *one_line(char *msg)
{
	for (char *p = msg; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return msg;
}

struct ss_error *ss_error_vcreate(enum ss_errcode code, const char *fmt,
				  va_list ap)
{
	struct ss_error *err = calloc(1, sizeof(*err));
	if (!err)
		return &ss_error_nomem;
	if (vasprintf(&err->message, fmt, ap) < 0) {
		free(err);
		return &ss_error_nomem;
	}
	one_line(err->message);
	err->code = code;
	return err;
}

struct ss_error *ss_error_create(enum ss_errcode code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct ss_error *err = ss_error_vcreate(code, fmt, ap);
	va_end(ap);
	return err;
}

struct ss_error *ss_error_errno(int errnum, enum ss_errcode code,
				const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct ss_error *err = ss_error_vcreate(code, fmt, ap);
	va_end(ap);
	if (err == &ss_error_nomem)
		return err;
	char *msg;
	if (asprintf(&msg, "%s (%s)", err->message, strerror(errnum)) >= 0) {
		free(err->message);
		err->message = one_line(msg);
	}
	return err;
}

struct ss_error *ss_error_prepend(struct ss_error *err, const char *fmt, ...)
{
	if (!err || is_static(err))
		return err;
	va_list ap;
	char *ctx, *msg;
	va_start(ap, fmt);
	int n = vasprintf(&ctx, fmt, ap);
	va_end(ap);
	if (n < 0)
		return err;
	if (asprintf(&msg, "%s: %s", ctx, err->message) >= 0) {
		free(err->message);
		err->message = one_line(msg);
	}
	free(ctx);
	return err;
}

struct ss_error *ss_error_set_address(struct ss_error *err, uint64_t address)
{
	if (err && !is_static(err))
		err->address = address;
	return err;
}

void ss_error_destroy(struct ss_error *err)
{
	if (!err || is_static(err))
		return;
	free(err->message);
	free(err);
}

const char *ss_errcode_name(enum ss_errcode code)
{
	switch (code) {
	case SS_ERR_NOMEM: return "nomem";
	case SS_ERR_INVALID: return "invalid";
	case SS_ERR_IO: return "io";
	case SS_ERR_FORMAT: return "format";
	case SS_ERR_FAULT: return "fault";
	case SS_ERR_EXCLUDED: return "excluded";
	case SS_ERR_NODEBUG: return "nodebug";
	case SS_ERR_MISSING: return "missing";
	case SS_ERR_MISMATCH: return "mismatch";
	case SS_ERR_CORRUPT: return "corrupt";
	case SS_ERR_NOTFOUND: return "notfound";
	}
	return "unknown";
}
