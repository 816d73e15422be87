/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A member of a kernel structure, resolved from DWARF once, read from a
 * copy of the structure many times.  Shared by the allocator models.
 */
#ifndef SS_FIELD_H
#define SS_FIELD_H

#include <stdbool.h>
#include <stdint.h>

#include <slabscope/dbg.h>
#include <slabscope/error.h>

struct ss_field {
	bool present;
	uint32_t off;
	uint32_t size;
	/* bitfields: bit offset from the struct start and width */
	uint32_t bit_off;
	uint32_t bits;
};

/*
 * Resolve the first of paths ("a|b": alternatives, tried in order) that
 * struct type has.  Missing: an error naming them when required, else
 * out->present == false.
 */
struct ss_error *ss_field_resolve(struct ss_dbg *dbg, const char *type,
				  const char *paths, bool required,
				  struct ss_field *out);

/* One member of a layout struct to resolve: see ss_fields_resolve(). */
struct ss_field_spec {
	const char *type; /* NULL: the type given to ss_fields_resolve() */
	const char *paths; /* alternatives, tried in order: "slab|page" */
	bool required;
	size_t field; /* offsetof() the struct ss_field in the layout */
};

/* Resolve every spec into layout (a struct of struct ss_field members);
 * type: the struct for specs without one. */
struct ss_error *ss_fields_resolve(struct ss_dbg *dbg,
				   const struct ss_field_spec *specs, size_t n,
				   const char *type, void *layout);

/* Read an unsigned field (1, 2, 4 or 8 bytes, or a bitfield) from a copy of
 * the structure in buf.  buf must hold the field. */
uint64_t ss_field_get(const struct ss_field *f, const unsigned char *buf);

#endif
