/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Bounded, cycle-checked walks of kernel list_head lists. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <stdbool.h>

#include <slabscope/memory.h>

/*
 * Open-addressing set of visited addresses.  Lists in a dump are walked
 * once, so a plain set is simpler than Brent's algorithm and also tells
 * exactly which entry closes the cycle.
 */
struct addr_set {
	uint64_t *slots;
	size_t cap; /* power of two */
	size_t len;
};

static uint64_t hash_addr(uint64_t a)
{
	a ^= a >> 33;
	a *= 0xff51afd7ed558ccdULL;
	a ^= a >> 33;
	return a;
}

static int addr_set_grow(struct addr_set *set)
{
	size_t ncap = set->cap ? set->cap * 2 : 64;
	uint64_t *nslots = calloc(ncap, sizeof(*nslots));
	if (!nslots)
		return -1;
	for (size_t i = 0; i < set->cap; i++) {
		uint64_t a = set->slots[i];
		if (!a)
			continue;
		size_t j = hash_addr(a) & (ncap - 1);
		while (nslots[j])
			j = (j + 1) & (ncap - 1);
		nslots[j] = a;
	}
	free(set->slots);
	set->slots = nslots;
	set->cap = ncap;
	return 0;
}

/* 1 if newly added, 0 if present, -1 on allocation failure.  a != 0. */
static int addr_set_add(struct addr_set *set, uint64_t a)
{
	if ((set->len + 1) * 2 > set->cap && addr_set_grow(set) < 0)
		return -1;
	size_t j = hash_addr(a) & (set->cap - 1);
	while (set->slots[j]) {
		if (set->slots[j] == a)
			return 0;
		j = (j + 1) & (set->cap - 1);
	}
	set->slots[j] = a;
	set->len++;
	return 1;
}

struct ss_error *ss_list_walk(const struct ss_memory *mem, uint64_t head,
			      size_t max,
			      bool check_prev,
			      struct ss_error *(*fn)(void *arg, uint64_t entry),
			      void *arg, size_t *count_ret)
{
	struct addr_set seen = { 0 };
	struct ss_error *err = NULL;
	size_t count = 0;
	uint64_t cur = head, next;

	for (;;) {
		err = ss_mem_read_u64(mem, cur, &next);
		if (err) {
			err = ss_error_prepend(err, "list at 0x%" PRIx64
					       ": entry 0x%" PRIx64,
					       head, cur);
			break;
		}
		if (check_prev) {
			uint64_t prev;
			err = ss_mem_read_u64(mem, next + 8, &prev);
			if (err) {
				err = ss_error_prepend(
					err, "list at 0x%" PRIx64
					": next pointer 0x%" PRIx64
					" of entry 0x%" PRIx64,
					head, next, cur);
				break;
			}
			if (prev != cur) {
				err = ss_error_create(
					SS_ERR_CORRUPT,
					"list at 0x%" PRIx64 ": entry 0x%" PRIx64
					" points to 0x%" PRIx64
					" whose prev is 0x%" PRIx64,
					head, cur, next, prev);
				ss_error_set_address(err, next);
				break;
			}
		}
		if (next == head)
			break;
		if (count >= max) {
			err = ss_error_create(SS_ERR_CORRUPT,
					      "list at 0x%" PRIx64
					      ": longer than %zu entries",
					      head, max);
			ss_error_set_address(err, next);
			break;
		}
		int added = next ? addr_set_add(&seen, next) : 1;
		if (added < 0) {
			err = &ss_error_nomem;
			break;
		}
		if (added == 0 || !next) {
			err = ss_error_create(SS_ERR_CORRUPT,
					      "list at 0x%" PRIx64
					      ": entry 0x%" PRIx64
					      " %s",
					      head, cur,
					      next ? "links back into the list "
						     "(cycle)"
						   : "has a NULL next pointer");
			ss_error_set_address(err, next ? next : cur);
			break;
		}
		count++;
		err = fn(arg, next);
		if (err)
			break;
		cur = next;
	}
	free(seen.slots);
	if (count_ret)
		*count_ret = count;
	return err;
}
