/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * An open-addressing hash map from nonzero 64-bit addresses to 32-bit
 * values: cache by kmem_cache address, slab by page address, visited sets.
 */
#ifndef SS_ADDRMAP_H
#define SS_ADDRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ss_addrmap {
	uint64_t *keys; /* 0 = empty slot */
	uint32_t *vals;
	size_t cap;     /* power of two, or 0 */
	size_t len;
};

/* Insert or overwrite; key must be nonzero.  -1 on allocation failure. */
int ss_addrmap_put(struct ss_addrmap *m, uint64_t key, uint32_t val);
/* Insert only if absent: 1 inserted, 0 present (*old_ret set if not NULL),
 * -1 allocation failure. */
int ss_addrmap_add(struct ss_addrmap *m, uint64_t key, uint32_t val,
		   uint32_t *old_ret);
bool ss_addrmap_get(const struct ss_addrmap *m, uint64_t key, uint32_t *ret);
void ss_addrmap_clear(struct ss_addrmap *m); /* keeps the storage */
void ss_addrmap_free(struct ss_addrmap *m);

#endif
