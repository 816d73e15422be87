/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * An open-addressing index over an array of string-keyed entries the
 * caller keeps (leaks' groups by key, the reference scan's tags): slot ->
 * entry index + 1.  The index holds no strings; key_of gives entry i's.
 */
#ifndef SS_STRINDEX_H
#define SS_STRINDEX_H

#include <stddef.h>
#include <stdint.h>

struct ss_strindex {
	uint32_t *slots; /* 0: empty, else entry index + 1 */
	size_t cap;      /* power of two, or 0 */
};

typedef const char *(*ss_strindex_key_fn)(const void *arg, uint32_t i);

/*
 * The slot for key among the n entries, to read (*slot - 1 is the entry
 * when *slot != 0) or to fill (*slot = n + 1 after appending entry n).
 * Grows the index first when n + 1 entries would fill it past half.
 * NULL when out of memory.
 */
uint32_t *ss_strindex_slot(struct ss_strindex *x, const char *key, size_t n,
			   ss_strindex_key_fn key_of, const void *arg);
void ss_strindex_free(struct ss_strindex *x);

#endif
