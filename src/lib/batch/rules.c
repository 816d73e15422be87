/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The rules file of `slabscope batch`: see include/slabscope/rules.h. */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <slabscope/check.h>
#include <slabscope/rules.h>

#define MAX_RULES_SIZE (1 << 20)
#define MAX_WORDS 8

const char *ss_verdict_name(enum ss_verdict v)
{
	return v == SS_VERDICT_FAIL ? "fail" : v == SS_VERDICT_WARN ? "warn"
								 : "ignore";
}

static void rule_free(struct ss_rule *r)
{
	free(r->id);
	free(r->cache_glob);
	free(r->path);
	free(r->dump_glob);
	ss_threshold_deinit(&r->threshold);
}

/* Split a line into at most MAX_WORDS blank-separated words, in place. */
static size_t split(char *line, char **words)
{
	size_t n = 0;
	char *save = NULL;
	for (char *w = strtok_r(line, " \t\r", &save); w && n < MAX_WORDS + 1;
	     w = strtok_r(NULL, " \t\r", &save))
		words[n++] = w;
	return n;
}

static struct ss_error *bad(const char *name, unsigned line, const char *what)
{
	return ss_error_create(SS_ERR_INVALID, "%s:%u: %s (see slabscope-rules(5))",
			       name, line, what);
}

static struct ss_error *parse_line(char *text, const char *name,
				   unsigned line, struct ss_rule *r,
				   bool *empty)
{
	memset(r, 0, sizeof(*r));
	char *hash = strchr(text, '#');
	if (hash)
		*hash = '\0';
	char *w[MAX_WORDS + 1];
	size_t n = split(text, w);
	*empty = n == 0;
	if (n == 0)
		return NULL;
	if (n > MAX_WORDS)
		return bad(name, line, "too many words");
	r->line = line;
	if (strcmp(w[0], "vmlinux") == 0) {
		/* vmlinux PATH [for GLOB] */
		if (n != 2 && !(n == 4 && strcmp(w[2], "for") == 0))
			return bad(name, line, "expected: vmlinux PATH [for DUMPGLOB]");
		r->kind = SS_RULE_VMLINUX;
		r->path = strdup(w[1]);
		if (n == 4)
			r->dump_glob = strdup(w[3]);
		return (!r->path || (n == 4 && !r->dump_glob)) ? &ss_error_nomem
								 : NULL;
	}
	if (strcmp(w[0], "fail") == 0)
		r->verdict = SS_VERDICT_FAIL;
	else if (strcmp(w[0], "warn") == 0)
		r->verdict = SS_VERDICT_WARN;
	else if (strcmp(w[0], "ignore") == 0)
		r->verdict = SS_VERDICT_IGNORE;
	else
		return bad(name, line,
			   "a rule starts with fail, warn, ignore or vmlinux");
	if (n >= 3 && strcmp(w[1], "finding") == 0) {
		/* VERDICT finding ID|* [in CACHEGLOB] */
		if (n != 3 && !(n == 5 && strcmp(w[3], "in") == 0))
			return bad(name, line,
				   "expected: fail|warn|ignore finding ID [in CACHEGLOB]");
		if (strcmp(w[2], "*") != 0 && !ss_finding_kind_find(w[2])) {
			char msg[160];
			snprintf(msg, sizeof(msg),
				 "unknown finding id '%s' (slabscope check "
				 "--list-ids)",
				 w[2]);
			return bad(name, line, msg);
		}
		r->kind = SS_RULE_FINDING;
		r->id = strdup(w[2]);
		if (n == 5)
			r->cache_glob = strdup(w[4]);
		return (!r->id || (n == 5 && !r->cache_glob)) ? &ss_error_nomem
							      : NULL;
	}
	if (n >= 3 && strcmp(w[1], "growth") == 0) {
		/* VERDICT growth CACHEGLOB > VALUE (spaces optional) */
		char expr[512] = "";
		for (size_t i = 2; i < n; i++) {
			if (strlen(expr) + strlen(w[i]) + 1 >= sizeof(expr))
				return bad(name, line, "growth rule too long");
			strcat(expr, w[i]);
		}
		struct ss_error *err = ss_threshold_parse(expr, &r->threshold);
		if (err) {
			char msg[300];
			snprintf(msg, sizeof(msg), "%s", err->message);
			ss_error_destroy(err);
			return bad(name, line, msg);
		}
		if (r->verdict == SS_VERDICT_IGNORE)
			return bad(name, line, "a growth rule fails or warns");
		r->kind = SS_RULE_GROWTH;
		return NULL;
	}
	return bad(name, line, "expected 'finding' or 'growth' after the verdict");
}

struct ss_error *ss_rules_parse(const char *text, const char *name,
				struct ss_rules *ret)
{
	memset(ret, 0, sizeof(*ret));
	char *copy = strdup(text);
	if (!copy)
		return &ss_error_nomem;
	size_t cap = 0;
	unsigned lineno = 0;
	struct ss_error *err = NULL;
	/* strtok_r would skip empty lines and lose the numbering: walk by
	 * hand. */
	for (char *p = copy; p && !err;) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		lineno++;
		struct ss_rule r;
		bool empty;
		err = parse_line(p, name, lineno, &r, &empty);
		if (err) {
			rule_free(&r);
			break;
		}
		if (!empty) {
			if (ret->n == cap) {
				size_t ncap = cap ? cap * 2 : 16;
				struct ss_rule *nv =
					realloc(ret->v, ncap * sizeof(*nv));
				if (!nv) {
					rule_free(&r);
					err = &ss_error_nomem;
					break;
				}
				ret->v = nv;
				cap = ncap;
			}
			ret->v[ret->n++] = r;
		}
		p = nl ? nl + 1 : NULL;
	}
	free(copy);
	if (err)
		ss_rules_deinit(ret);
	return err;
}

struct ss_error *ss_rules_load(const char *path, struct ss_rules *ret)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return ss_error_errno(errno, SS_ERR_IO, "%s: cannot open", path);
	char *buf = malloc(MAX_RULES_SIZE + 1);
	if (!buf) {
		fclose(f);
		return &ss_error_nomem;
	}
	errno = 0;
	size_t n = fread(buf, 1, MAX_RULES_SIZE + 1, f);
	/* A directory opens and fails here with EISDIR. */
	int rerr = ferror(f) ? (errno ? errno : EIO) : 0;
	fclose(f);
	struct ss_error *err = NULL;
	if (rerr)
		err = ss_error_errno(rerr, SS_ERR_IO, "%s: cannot read", path);
	else if (n > MAX_RULES_SIZE)
		err = ss_error_create(SS_ERR_INVALID,
				      "%s: larger than 1 MiB: not a rules file",
				      path);
	else if (memchr(buf, '\0', n))
		err = ss_error_create(SS_ERR_INVALID,
				      "%s: binary data: not a rules file", path);
	if (!err) {
		buf[n] = '\0';
		err = ss_rules_parse(buf, path, ret);
	}
	free(buf);
	return err;
}

void ss_rules_deinit(struct ss_rules *r)
{
	for (size_t i = 0; i < r->n; i++)
		rule_free(&r->v[i]);
	free(r->v);
	memset(r, 0, sizeof(*r));
}

enum ss_verdict ss_rules_finding(const struct ss_rules *r, const char *id,
				 bool is_error, const char *cache)
{
	enum ss_verdict v = is_error ? SS_VERDICT_FAIL : SS_VERDICT_WARN;
	for (size_t i = 0; i < r->n; i++) {
		const struct ss_rule *ru = &r->v[i];
		if (ru->kind != SS_RULE_FINDING)
			continue;
		if (strcmp(ru->id, "*") != 0 && strcmp(ru->id, id) != 0)
			continue;
		if (ru->cache_glob &&
		    (!cache || fnmatch(ru->cache_glob, cache, 0) != 0))
			continue;
		v = ru->verdict;
	}
	return v;
}

const char *ss_rules_vmlinux(const struct ss_rules *r, const char *dump)
{
	const char *path = NULL;
	for (size_t i = 0; i < r->n; i++) {
		const struct ss_rule *ru = &r->v[i];
		if (ru->kind == SS_RULE_VMLINUX &&
		    (!ru->dump_glob || fnmatch(ru->dump_glob, dump, 0) == 0))
			path = ru->path;
	}
	return path;
}

bool ss_rules_have_growth(const struct ss_rules *r)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].kind == SS_RULE_GROWTH)
			return true;
	return false;
}
