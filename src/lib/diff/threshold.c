/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --fail-if growth thresholds: see include/slabscope/diff.h. */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <slabscope/diff.h>

/* level: a threshold on a count (GLOB>N, GLOB>N%, GLOB>10M), not on
 * growth. */
static struct ss_error *parse(const char *text, struct ss_threshold *t,
			      bool level)
{
	memset(t, 0, sizeof(*t));
	const char *gt = strchr(text, '>');
	/* Blanks around '>' (and after '>=') are optional, as in a rules
	 * file's growth rule (slabscope-rules(5)); none inside the value. */
	const char *glob = text, *glob_end = gt;
	while (isblank((unsigned char)*glob))
		glob++;
	while (glob_end && glob_end > glob &&
	       isblank((unsigned char)glob_end[-1]))
		glob_end--;
	if (!gt || glob_end <= glob)
		return level ? ss_error_create(SS_ERR_INVALID,
					       "threshold '%s': expected "
					       "CACHE>N, CACHE>N%% or "
					       "CACHE>SIZE (or >=), e.g. "
					       "'kmalloc-*>100'",
					       text)
			     : ss_error_create(SS_ERR_INVALID,
					       "threshold '%s': expected "
					       "CACHE>+N%%, CACHE>+N, CACHE>N "
					       "(or >=), e.g. "
					       "'task_struct>+10%%'",
					       text);
	const char *p = gt + 1;
	if (*p == '=') {
		t->or_equal = true;
		p++;
	}
	while (isblank((unsigned char)*p))
		p++;
	if (*p == '+') {
		if (level)
			goto bad;
		t->growth = true;
		p++;
	}
	/* strtod() would skip blanks and take a sign ("x> +5", "x>++5"):
	 * the number must start right here. */
	if (!isdigit((unsigned char)*p) && *p != '.')
		goto bad;
	char *end;
	errno = 0;
	double v = strtod(p, &end);
	if (errno || end == p || v < 0 || !isfinite(v))
		goto bad;
	if (*end == '%') {
		if (!t->growth && !level)
			goto bad; /* a percentage is of growth */
		t->relative = true;
		end++;
	} else if (*end == 'K' || *end == 'M' || *end == 'G') {
		t->memory = true;
		v *= *end == 'K' ? 1024.0 : *end == 'M' ? 1048576.0
						: 1073741824.0;
		end++;
	}
	while (isblank((unsigned char)*end))
		end++;
	if (*end)
		goto bad;
	t->value = v;
	t->glob = strndup(glob, (size_t)(glob_end - glob));
	t->text = strdup(text);
	if (!t->glob || !t->text) {
		ss_threshold_deinit(t);
		return &ss_error_nomem;
	}
	return NULL;
bad:
	return level ? ss_error_create(SS_ERR_INVALID,
				       "threshold '%s': bad value after '>': "
				       "use N, N%%, or a size like 10M",
				       text)
		     : ss_error_create(SS_ERR_INVALID,
				       "threshold '%s': bad value after '>': "
				       "use +N%%, +N, N, or a size like +10M",
				       text);
}

struct ss_error *ss_threshold_parse(const char *text, struct ss_threshold *t)
{
	return parse(text, t, false);
}

struct ss_error *ss_threshold_parse_level(const char *text,
					  struct ss_threshold *t)
{
	return parse(text, t, true);
}

bool ss_threshold_level_crossed(const struct ss_threshold *t, const char *name,
				uint64_t count, uint64_t of, uint64_t bytes)
{
	if (fnmatch(t->glob, name, 0) != 0)
		return false;
	if (t->relative)
		return of && (t->or_equal ? (double)count * 100.0 >=
						    t->value * (double)of
					  : (double)count * 100.0 >
						    t->value * (double)of);
	double x = t->memory ? (double)bytes : (double)count;
	return t->or_equal ? x >= t->value : x > t->value;
}

void ss_threshold_deinit(struct ss_threshold *t)
{
	free(t->glob);
	free(t->text);
	memset(t, 0, sizeof(*t));
}

static bool above(const struct ss_threshold *t, double x)
{
	return t->or_equal ? x >= t->value : x > t->value;
}

bool ss_threshold_crossed(const struct ss_threshold *t,
			  const struct ss_diff_entry *e)
{
	if (fnmatch(t->glob, e->name, 0) != 0)
		return false;
	double before = t->memory ? (double)e->memory_before
				  : (double)e->allocated_before;
	double after = t->memory ? (double)e->memory_after
				 : (double)e->allocated_after;
	if (t->relative) {
		if (before == 0)
			return after > 0; /* from nothing: infinite growth */
		return above(t, (after - before) * 100.0 / before);
	}
	if (t->growth)
		return above(t, after - before);
	return above(t, after);
}
