/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Rules for `slabscope batch`: which findings fail a dump, which growth
 * warns, which vmlinux goes with which dumps.  A small line format, see
 * slabscope-rules(5):
 *
 *     # comment
 *     fail finding freeptr-invalid
 *     fail finding redzone-overwritten in kmalloc-*
 *     warn growth task_struct > +20%
 *     ignore finding padding-overwritten in some_cache
 *     vmlinux /srv/debug/vmlinux-6.1.0-56 for /dumps/lab-a/vmcore.?*
 */
#ifndef SLABSCOPE_RULES_H
#define SLABSCOPE_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include <slabscope/diff.h>
#include <slabscope/error.h>

#ifdef __cplusplus
extern "C" {
#endif

enum ss_verdict { SS_VERDICT_IGNORE, SS_VERDICT_WARN, SS_VERDICT_FAIL };
const char *ss_verdict_name(enum ss_verdict v);

enum ss_rule_kind { SS_RULE_FINDING, SS_RULE_GROWTH, SS_RULE_VMLINUX };

struct ss_rule {
	enum ss_rule_kind kind;
	enum ss_verdict verdict;
	unsigned line;
	char *id;          /* finding: id or "*" */
	char *cache_glob;  /* finding: "in GLOB" (NULL: any cache) */
	struct ss_threshold threshold; /* growth */
	char *path;        /* vmlinux */
	char *dump_glob;   /* vmlinux: "for GLOB" (NULL: every dump) */
};

struct ss_rules {
	struct ss_rule *v;
	size_t n;
};

/* Parse rules text (name is used in messages: "FILE:LINE: ..."). */
struct ss_error *ss_rules_parse(const char *text, const char *name,
				struct ss_rules *ret);
struct ss_error *ss_rules_load(const char *path, struct ss_rules *ret);
void ss_rules_deinit(struct ss_rules *r);

/*
 * The verdict for a finding: the last matching finding rule decides; with
 * no matching rule, errors fail and warnings warn.
 */
enum ss_verdict ss_rules_finding(const struct ss_rules *r, const char *id,
				 bool is_error, const char *cache);
/* The vmlinux a rule names for this dump, or NULL (the last match wins). */
const char *ss_rules_vmlinux(const struct ss_rules *r, const char *dump);
bool ss_rules_have_growth(const struct ss_rules *r);

#ifdef __cplusplus
}
#endif

#endif
