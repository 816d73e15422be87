/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Address hash map: see addrmap.h. */
#include <stdlib.h>
#include <string.h>

#include "addrmap.h"
#include "hugemem.h"

static size_t slot_of(uint64_t key, size_t mask)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdULL;
	key ^= key >> 33;
	return (size_t)key & mask;
}

static int grow(struct ss_addrmap *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 64;
	uint64_t *nkeys = ss_hugemem_calloc(ncap, sizeof(*nkeys));
	uint32_t *nvals = ss_hugemem_alloc(ncap * sizeof(*nvals));
	if (!nkeys || !nvals) {
		ss_hugemem_free(nkeys);
		ss_hugemem_free(nvals);
		return -1;
	}
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->keys[i])
			continue;
		size_t j = slot_of(m->keys[i], ncap - 1);
		while (nkeys[j])
			j = (j + 1) & (ncap - 1);
		nkeys[j] = m->keys[i];
		nvals[j] = m->vals[i];
	}
	ss_hugemem_free(m->keys);
	ss_hugemem_free(m->vals);
	m->keys = nkeys;
	m->vals = nvals;
	m->cap = ncap;
	return 0;
}

static int insert(struct ss_addrmap *m, uint64_t key, uint32_t val,
		  bool overwrite, uint32_t *old_ret)
{
	if ((m->len + 1) * 2 > m->cap && grow(m) < 0)
		return -1;
	size_t mask = m->cap - 1;
	size_t j = slot_of(key, mask);
	while (m->keys[j]) {
		if (m->keys[j] == key) {
			if (old_ret)
				*old_ret = m->vals[j];
			if (overwrite)
				m->vals[j] = val;
			return 0;
		}
		j = (j + 1) & mask;
	}
	m->keys[j] = key;
	m->vals[j] = val;
	m->len++;
	return 1;
}

int ss_addrmap_put(struct ss_addrmap *m, uint64_t key, uint32_t val)
{
	return insert(m, key, val, true, NULL) < 0 ? -1 : 0;
}

int ss_addrmap_add(struct ss_addrmap *m, uint64_t key, uint32_t val,
		   uint32_t *old_ret)
{
	return insert(m, key, val, false, old_ret);
}

bool ss_addrmap_get(const struct ss_addrmap *m, uint64_t key, uint32_t *ret)
{
	if (!m->cap || !key)
		return false;
	size_t mask = m->cap - 1;
	size_t j = slot_of(key, mask);
	while (m->keys[j]) {
		if (m->keys[j] == key) {
			if (ret)
				*ret = m->vals[j];
			return true;
		}
		j = (j + 1) & mask;
	}
	return false;
}

void ss_addrmap_clear(struct ss_addrmap *m)
{
	if (m->cap)
		memset(m->keys, 0, m->cap * sizeof(*m->keys));
	m->len = 0;
}

void ss_addrmap_free(struct ss_addrmap *m)
{
	ss_hugemem_free(m->keys);
	ss_hugemem_free(m->vals);
	memset(m, 0, sizeof(*m));
}
