/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Between the public interface's two halves: an analysis (analysis.c) and
 * the results its queries build (result.c). */
#ifndef SLABSCOPE_API_PRIV_H
#define SLABSCOPE_API_PRIV_H

#include <stdio.h>

#include <jansson.h>

#include <slabscope/check.h>
#include <slabscope/kernel.h>
#include <slabscope/slab.h>
#include <slabscope/slabscope.h>

struct ss_analysis {
	struct ss_kernel *k;
	struct ss_model *m;
};

/* Writes a command's text to out (a memory stream). */
typedef struct ss_error *(*ss_text_fn)(void *arg, FILE *out);

/*
 * The result of the command kind: body is its --json document's body
 * (taken, even on error), text writes what it prints; findings (may be
 * NULL) are copied.  status is the command's exit status.
 */
struct ss_error *ss_result_build(struct ss_analysis *a, const char *kind,
				 json_t *body, ss_text_fn text, void *text_arg,
				 const struct ss_check_result *findings,
				 int status, struct ss_result **ret);

#endif /* SLABSCOPE_API_PRIV_H */
