/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The SLAB_* flag bits of struct kmem_cache.flags (include/linux/slab.h,
 * mm/slab.h, mm/slub.c), as struct ss_cache.flags holds them.
 *
 * These are the values of 4.x to 6.9, where they are macros (not in
 * DWARF), shared by SLUB and SLAB.  Since 6.10 the kernel numbers its bits
 * by enum _slab_flag_bits (_SLAB_RED_ZONE = 1, ...): the model translates
 * a kernel's kmem_cache.flags into these values when it reads them
 * (src/lib/slab/flags.c), so everything else tests one set of bits.
 */
#ifndef SLABSCOPE_SLAB_FLAGS_H
#define SLABSCOPE_SLAB_FLAGS_H

#define SS_SLAB_CONSISTENCY_CHECKS 0x00000100ULL
#define SS_SLAB_RED_ZONE 0x00000400ULL
#define SS_SLAB_POISON 0x00000800ULL
#define SS_SLAB_KMALLOC 0x00001000ULL
#define SS_SLAB_HWCACHE_ALIGN 0x00002000ULL
#define SS_SLAB_CACHE_DMA 0x00004000ULL
#define SS_SLAB_CACHE_DMA32 0x00008000ULL
#define SS_SLAB_STORE_USER 0x00010000ULL
#define SS_SLAB_RECLAIM_ACCOUNT 0x00020000ULL
#define SS_SLAB_PANIC 0x00040000ULL
#define SS_SLAB_TYPESAFE_BY_RCU 0x00080000ULL
#define SS_SLAB_MEM_SPREAD 0x00100000ULL
#define SS_SLAB_TRACE 0x00200000ULL
#define SS_SLAB_DEBUG_OBJECTS 0x00400000ULL
#define SS_SLAB_NOLEAKTRACE 0x00800000ULL
#define SS_SLAB_NO_MERGE 0x01000000ULL
#define SS_SLAB_FAILSLAB 0x02000000ULL
#define SS_SLAB_ACCOUNT 0x04000000ULL
#define SS_SLAB_KASAN 0x08000000ULL
#define SS_SLAB_NO_USER_FLAGS 0x10000000ULL
#define SS_SLAB_SKIP_KFENCE 0x20000000ULL
#define SS_SLAB_CMPXCHG_DOUBLE 0x40000000ULL /* __CMPXCHG_DOUBLE */
#define SS_SLAB_OBJECT_POISON 0x80000000ULL  /* __OBJECT_POISON */

#endif /* SLABSCOPE_SLAB_FLAGS_H */
