/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The byte checks: the slot verifier (slabscope/slot.h) compares every
 * object slot of a slab with its allocator's patterns; each bad run it
 * reports becomes a finding with a culprit hint.
 */
#include <string.h>

#include "check_priv.h"

_Static_assert(SS_SLOT_BYTES <= SS_FINDING_BYTES,
	       "a bad run's bytes fit a finding");

struct bad_run_ctx {
	struct checker *c;
	uint32_t ci;
	const struct ss_slab *s;
};

static struct ss_error *bad_run(void *arg, const struct ss_slot_bad *bad)
{
	struct bad_run_ctx *x = arg;
	struct ss_finding *f =
		checker_add(x->c, bad->kind, x->ci, x->s->page, bad->object,
			    bad->address, "%s", bad->message);
	if (!f)
		return &ss_error_nomem;
	f->bad_len = bad->bad_len;
	f->nbytes = bad->nbytes;
	memcpy(f->expected, bad->expected, bad->nbytes);
	memcpy(f->found, bad->found, bad->nbytes);
	if (bad->suspect == SS_SUSPECT_NONE)
		return NULL;
	/* The tail's damage has no object: the culprit search starts at the
	 * first bad byte. */
	return culprit_find(x->c, f, x->ci, x->s,
			    bad->object ? bad->object : bad->address,
			    bad->suspect);
}

struct ss_error *check_slab_bytes(struct checker *c, uint32_t ci,
				  const struct ss_slab *s)
{
	struct bad_run_ctx x = { c, ci, s };
	return ss_slot_verify_slab(c->verifier, ci, s, bad_run, &x);
}
