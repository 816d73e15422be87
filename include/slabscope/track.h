/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SLAB_STORE_USER tracks: who allocated and who last freed an object.
 * SLUB keeps a struct track of each after the object's free pointer
 * (caller, pid, CPU, jiffies, and a stack depot handle or, on older
 * kernels, the stack itself); SLAB keeps only the last caller's address.
 * Where they are is the cache's to say (ss_cache_track_place()).
 */
#ifndef SLABSCOPE_TRACK_H
#define SLABSCOPE_TRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <slabscope/error.h>
#include <slabscope/slab.h>
#include <slabscope/symbolize.h>

#ifdef __cplusplus
extern "C" {
#endif

struct ss_track {
	bool valid;
	uint64_t addr;  /* caller */
	char *caller;   /* "symbol+0xoff [module]" or NULL */
	uint32_t handle; /* stack depot handle, 0 if none */
	bool has_owner;  /* pid and cpu are known (SLUB tracks; SLAB keeps
			    only the caller) */
	int32_t cpu;
	int32_t pid;
	uint64_t when;   /* jiffies */
	bool has_age;
	double age_s;    /* seconds before the dump */
	/* The stack, from the stack depot (or the track's own addrs[]). */
	size_t nstack;
	uint64_t *stack;
	char **stack_syms;
	/* With SS_TRACK_SOURCE: "file:line" of the caller and of each frame
	 * (NULL where no line table says). */
	char *caller_src;
	char **stack_srcs; /* NULL, or nstack entries */
};

struct ss_track_reader;

/* sym may be NULL: then callers and stacks stay numeric. */
struct ss_error *ss_track_reader_create(const struct ss_target *t,
					struct ss_symbolizer *sym,
					struct ss_track_reader **ret);
void ss_track_reader_destroy(struct ss_track_reader *r);

/* Does the kernel's struct track have what reading needs? */
bool ss_track_usable(struct ss_track_reader *r);

enum {
	SS_TRACK_STACK = 1, /* fetch the stack from the stack depot */
	SS_TRACK_SYMBOLIZE = 2, /* fill caller and stack_syms */
	/* With SS_TRACK_SYMBOLIZE, also caller_src and stack_srcs: for
	 * tracks that are printed (each new frame costs a line lookup). */
	SS_TRACK_SOURCE = 4,
};

/*
 * The alloc and free tracks of object obj of cache c (which must have
 * SLAB_STORE_USER; otherwise both come back invalid).  Unreadable or
 * unused tracks come back with valid == false.  state is the object's:
 * SLAB's one last-caller word is the allocation's while the object is
 * allocated (or unknown), the free's while it is free.  struct track
 * records need ss_track_usable(); a last-caller word does not.
 */
void ss_track_read(struct ss_track_reader *r, const struct ss_cache *c,
		   uint64_t obj, enum ss_obj_state state, unsigned flags,
		   struct ss_track *alloc, struct ss_track *free_track);
void ss_track_deinit(struct ss_track *t);

#ifdef __cplusplus
}
#endif

#endif
