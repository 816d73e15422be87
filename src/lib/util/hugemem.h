/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Large arrays in transparent huge pages.  An analysis touches about 100 MB
 * of fresh memory (read-ahead buffers, the slab table, the page scan's
 * slabs, address maps, symbols); on a paravirtualised machine a first touch
 * of a 4 KiB page costs about 6 us, and busy-4g's 24 000 of them were
 * 0.15 s of its 0.85 s.  One 2 MiB page takes 512 of those faults at once.
 * Blocks of 1 MiB and more are mappings of their own, aligned to 2 MiB and
 * advised MADV_HUGEPAGE (grown in place by mremap); smaller ones, and every
 * block under AddressSanitizer (which checks malloc's blocks only), come
 * from malloc.  A block from here is freed by ss_hugemem_free() only.
 */
#ifndef SS_HUGEMEM_H
#define SS_HUGEMEM_H

#include <stddef.h>

void *ss_hugemem_alloc(size_t len);
/* Zeroed; NULL also when n * size overflows. */
void *ss_hugemem_calloc(size_t n, size_t size);
/* Contents kept up to the smaller length; on failure p is untouched and
 * NULL returned. */
void *ss_hugemem_realloc(void *p, size_t len);
void ss_hugemem_free(void *p);

#endif
