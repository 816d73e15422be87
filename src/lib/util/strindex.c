/* SPDX-License-Identifier: GPL-2.0-or-later */
/* String index: see strindex.h. */
#include <stdlib.h>
#include <string.h>

#include "strindex.h"

/* FNV-1a */
static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static int grow(struct ss_strindex *x, size_t n, ss_strindex_key_fn key_of,
		const void *arg)
{
	size_t ncap = x->cap ? x->cap * 2 : 256;
	uint32_t *slots = calloc(ncap, sizeof(*slots));
	if (!slots)
		return -1;
	for (size_t i = 0; i < n; i++) {
		size_t j = hash(key_of(arg, (uint32_t)i)) & (ncap - 1);
		while (slots[j])
			j = (j + 1) & (ncap - 1);
		slots[j] = (uint32_t)(i + 1);
	}
	free(x->slots);
	x->slots = slots;
	x->cap = ncap;
	return 0;
}

uint32_t *ss_strindex_slot(struct ss_strindex *x, const char *key, size_t n,
			   ss_strindex_key_fn key_of, const void *arg)
{
	if ((n + 1) * 2 > x->cap && grow(x, n, key_of, arg))
		return NULL;
	size_t j = hash(key) & (x->cap - 1);
	while (x->slots[j] && strcmp(key_of(arg, x->slots[j] - 1), key))
		j = (j + 1) & (x->cap - 1);
	return &x->slots[j];
}

void ss_strindex_free(struct ss_strindex *x)
{
	free(x->slots);
	x->slots = NULL;
	x->cap = 0;
}
