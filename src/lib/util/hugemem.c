/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Large arrays in transparent huge pages (hugemem.h). */
/* mremap: _GNU_SOURCE, which config.h defines */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "hugemem.h"

#define HUGE_PAGE ((size_t)2 << 20)
#define MAPPED_MIN ((size_t)1 << 20)

#if defined(__SANITIZE_ADDRESS__)
#define USE_MAPPINGS false
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define USE_MAPPINGS false
#endif
#endif
#if !defined(USE_MAPPINGS) && defined(MADV_HUGEPAGE) && defined(MREMAP_MAYMOVE)
#define USE_MAPPINGS true
#elif !defined(USE_MAPPINGS)
#define USE_MAPPINGS false
#endif

/* Before each block: its length and where it came from; 16 bytes keep
 * the block aligned for any type. */
struct head {
	size_t len; /* of the mapping (mapped) or the block (malloc) */
	size_t mapped;
};
#define HEAD sizeof(struct head)
_Static_assert(sizeof(struct head) == 16, "head keeps 16-byte alignment");

static struct head *head_of(void *p)
{
	return (struct head *)((unsigned char *)p - HEAD);
}

static void *map_block(size_t len, bool *fresh)
{
	size_t want = (len + HEAD + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	if (want < len)
		return NULL;
	/* One huge page more, to cut the mapping at a 2 MiB boundary. */
	unsigned char *m = mmap(NULL, want + HUGE_PAGE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	uintptr_t a = ((uintptr_t)m + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
	size_t before = a - (uintptr_t)m;
	if (before)
		munmap(m, before);
	if (HUGE_PAGE - before)
		munmap((unsigned char *)a + want, HUGE_PAGE - before);
	(void)madvise((void *)a, want, MADV_HUGEPAGE);
	struct head *h = (struct head *)a;
	h->len = want;
	h->mapped = 1;
	*fresh = true;
	return h + 1;
}

static void *block(size_t len, bool zero)
{
	if (len > SIZE_MAX - HUGE_PAGE - HEAD)
		return NULL;
	bool fresh = false;
	if (USE_MAPPINGS && len >= MAPPED_MIN) {
		void *p = map_block(len, &fresh);
		if (p)
			return p; /* anonymous mappings are zeroed */
	}
	struct head *h = zero ? calloc(1, HEAD + len) : malloc(HEAD + len);
	if (!h)
		return NULL;
	h->len = len;
	h->mapped = 0;
	return h + 1;
}

void *ss_hugemem_alloc(size_t len) { return block(len, false); }

void *ss_hugemem_calloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return block(n * size, true);
}

void *ss_hugemem_realloc(void *p, size_t len)
{
	if (!p)
		return block(len, false);
	struct head *h = head_of(p);
	if (h->mapped && len + HEAD <= h->len)
		return p;
	if (h->mapped && len >= MAPPED_MIN && len <= SIZE_MAX - 2 * HUGE_PAGE) {
		/* In place or moved whole: the mapping keeps its advice. */
		size_t want = (len + HEAD + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
		void *m = mremap(h, h->len, want, MREMAP_MAYMOVE);
		if (m != MAP_FAILED) {
			h = m;
			h->len = want;
			return h + 1;
		}
	}
	void *q = block(len, false);
	if (!q)
		return NULL;
	size_t old = h->mapped ? h->len - HEAD : h->len;
	memcpy(q, p, old < len ? old : len);
	ss_hugemem_free(p);
	return q;
}

void ss_hugemem_free(void *p)
{
	if (!p)
		return;
	struct head *h = head_of(p);
	if (h->mapped)
		munmap(h, h->len);
	else
		free(h);
}
