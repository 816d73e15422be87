/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The memory the analysis reads: kernel virtual addresses in, bytes out.
 *
 * A dump provides one (ss_kernel_memory()); tests and fuzzers provide a
 * synthetic image (ss_memimage) instead, so walkers and checks are tested
 * without a dump and without DWARF.
 */
#ifndef SLABSCOPE_MEMORY_H
#define SLABSCOPE_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <slabscope/error.h>

#ifdef __cplusplus
extern "C" {
#endif

struct ss_memory {
	/* Read exactly len bytes at addr, or fail (SS_ERR_FAULT,
	 * SS_ERR_EXCLUDED, ...). */
	struct ss_error *(*read)(void *arg, uint64_t addr, void *buf,
				 size_t len);
	void *arg;
	/* Optional (NULL: reads stay on one thread): an independent reader
	 * of the same memory, *ret, whose reads may run on another thread
	 * at the same time as this one's; ret->release frees it. */
	struct ss_error *(*fork)(void *arg, struct ss_memory *ret);
	void (*release)(void *arg);
	/* Optional (NULL: cannot tell): whether [addr, addr + len) can be
	 * read, known without reading it: 1 yes, 0 no, -1 cannot tell.  It
	 * lets a caller skip bytes it would only have read to learn that
	 * they are missing. */
	int (*holds)(void *arg, uint64_t addr, uint64_t len);
};

static inline int ss_mem_holds(const struct ss_memory *mem, uint64_t addr,
			       uint64_t len)
{
	return mem->holds ? mem->holds(mem->arg, addr, len) : -1;
}

static inline struct ss_error *ss_mem_read(const struct ss_memory *mem,
					   uint64_t addr, void *buf, size_t len)
{
	return mem->read(mem->arg, addr, buf, len);
}

static inline struct ss_error *ss_mem_read_u64(const struct ss_memory *mem,
					       uint64_t addr, uint64_t *ret)
{
	return mem->read(mem->arg, addr, ret, sizeof(*ret));
}

/* ---- a synthetic memory image: a set of byte ranges at given addresses */

struct ss_memimage;

struct ss_error *ss_memimage_create(struct ss_memimage **ret);
void ss_memimage_destroy(struct ss_memimage *img);
/* Map len bytes at addr, copied from data (zero-filled if data is NULL).
 * Ranges must not overlap. */
struct ss_error *ss_memimage_add(struct ss_memimage *img, uint64_t addr,
				 const void *data, size_t len);
/* Pointer to the bytes at [addr, addr+len) for a test to edit, or NULL if
 * not wholly inside one range. */
void *ss_memimage_ptr(struct ss_memimage *img, uint64_t addr, size_t len);
/* Mark [addr, addr+len) as excluded: reads fail with SS_ERR_EXCLUDED. */
struct ss_error *ss_memimage_exclude(struct ss_memimage *img, uint64_t addr,
				     size_t len);
struct ss_memory ss_memimage_memory(struct ss_memimage *img);

/*
 * Walk a kernel list_head list starting at head (the address of the
 * struct list_head that anchors it), calling fn with the address of each
 * entry's list_head (not of the containing struct).  The walk is bounded and
 * checked, since every pointer may be garbage:
 *   - at most max entries (SS_ERR_CORRUPT "longer than max");
 *   - an entry seen twice, other than head, is a cycle (SS_ERR_CORRUPT);
 *   - an unreadable next pointer ends the walk with that read error;
 *   - with check_prev, next->prev must point back (SS_ERR_CORRUPT).
 * The error's address is the offending list_head.  fn returning non-NULL
 * stops the walk and that error is returned (&ss_walk_stop: stopped on
 * purpose, not an error).  *count_ret (may be NULL) gets
 * the number of entries visited before any error.
 */
struct ss_error *ss_list_walk(const struct ss_memory *mem, uint64_t head,
			      size_t max, bool check_prev,
			      struct ss_error *(*fn)(void *arg, uint64_t entry),
			      void *arg, size_t *count_ret);

/*
 * The same walk following prev pointers (with check_next, next->... must
 * point back): after a forward walk broke off, the entries behind the
 * damage are reached from the other end.
 */
struct ss_error *
ss_list_walk_backward(const struct ss_memory *mem, uint64_t head, size_t max,
		      bool check_next,
		      struct ss_error *(*fn)(void *arg, uint64_t entry),
		      void *arg, size_t *count_ret);

#ifdef __cplusplus
}
#endif

#endif /* SLABSCOPE_MEMORY_H */
