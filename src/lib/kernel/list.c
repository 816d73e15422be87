/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Bounded, cycle-checked walks of kernel list_head lists. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <stdbool.h>

#include <slabscope/memory.h>

#include "../util/addrmap.h"

/* Which way a walk goes: the pointer it follows, the one that must point
 * back, and their names for messages. */
struct dir {
	uint64_t fwd, back;
	const char *fwd_name, *back_name;
};
static const struct dir forward = { 0, 8, "next", "prev" };
static const struct dir backward = { 8, 0, "prev", "next" };

static struct ss_error *walk(const struct ss_memory *mem, uint64_t head,
			     size_t max, bool check_prev,
			     struct ss_error *(*fn)(void *arg, uint64_t entry),
			     void *arg, size_t *count_ret, const struct dir *d)
{
	/* Lists in a dump are walked once, so a visited set is simpler than
	 * Brent's algorithm and also names the entry that closes the cycle. */
	struct ss_addrmap seen = { 0 };
	struct ss_error *err = NULL;
	size_t count = 0;
	uint64_t cur = head, next;

	for (;;) {
		err = ss_mem_read_u64(mem, cur + d->fwd, &next);
		if (err) {
			err = ss_error_prepend(err, "list at 0x%" PRIx64
					       ": entry 0x%" PRIx64,
					       head, cur);
			break;
		}
		if (check_prev) {
			uint64_t prev;
			err = ss_mem_read_u64(mem, next + d->back, &prev);
			if (err) {
				err = ss_error_prepend(
					err, "list at 0x%" PRIx64
					": %s pointer 0x%" PRIx64
					" of entry 0x%" PRIx64,
					head, d->fwd_name, next, cur);
				break;
			}
			if (prev != cur) {
				/*
				 * One of cur's next and next's prev is
				 * stray.  When next's prev points back at
				 * an entry whose next is next, that pair
				 * agrees and cur's next is the stray one
				 * (a link into the middle of the list);
				 * otherwise next's prev is.  The finding's
				 * address is the stray pointer.
				 */
				uint64_t prev_next = 0;
				struct ss_error *e2 = ss_mem_read_u64(
					mem, prev + d->fwd, &prev_next);
				bool next_stray = !e2 && prev_next == next;
				ss_error_destroy(e2);
				err = ss_error_create(
					SS_ERR_CORRUPT,
					"list at 0x%" PRIx64 ": entry 0x%" PRIx64
					" points to 0x%" PRIx64
					" whose %s is 0x%" PRIx64 "%s%s%s",
					head, cur, next, d->back_name, prev,
					next_stray ? ", which points to it "
						     "too: the first "
						   : "",
					next_stray ? d->fwd_name : "",
					next_stray ? " pointer is stray" : "");
				ss_error_set_address(
					err, next_stray ? cur + d->fwd
							: next + d->back);
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
		int added = next ? ss_addrmap_add(&seen, next, 0, NULL) : 1;
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
					      : d == &forward
						      ? "has a NULL next pointer"
						      : "has a NULL prev pointer");
			ss_error_set_address(err, cur + d->fwd);
			break;
		}
		count++;
		err = fn(arg, next);
		if (err)
			break;
		cur = next;
	}
	ss_addrmap_free(&seen);
	if (count_ret)
		*count_ret = count;
	return err;
}

struct ss_error *ss_list_walk(const struct ss_memory *mem, uint64_t head,
			      size_t max, bool check_prev,
			      struct ss_error *(*fn)(void *arg, uint64_t entry),
			      void *arg, size_t *count_ret)
{
	return walk(mem, head, max, check_prev, fn, arg, count_ret, &forward);
}

struct ss_error *
ss_list_walk_backward(const struct ss_memory *mem, uint64_t head, size_t max,
		      bool check_next,
		      struct ss_error *(*fn)(void *arg, uint64_t entry),
		      void *arg, size_t *count_ret)
{
	return walk(mem, head, max, check_next, fn, arg, count_ret, &backward);
}
