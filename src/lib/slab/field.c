/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Kernel structure members: see field.h. */
#include <string.h>

#include "field.h"

struct ss_error *ss_field_resolve(struct ss_dbg *dbg, const char *type,
				  const char *paths, bool required,
				  struct ss_field *out)
{
	char buf[128];
	const char *p = paths;
	memset(out, 0, sizeof(*out));
	while (*p) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		if (n >= sizeof(buf))
			n = sizeof(buf) - 1;
		memcpy(buf, p, n);
		buf[n] = '\0';
		struct ss_member m;
		struct ss_error *err =
			ss_dbg_member(dbg, SS_TYPE_STRUCT, type, buf, &m);
		if (!err) {
			out->present = true;
			out->off = (uint32_t)m.offset;
			out->size = (uint32_t)m.size;
			out->bit_off = (uint32_t)m.bit_offset;
			out->bits = m.bit_size;
			return NULL;
		}
		if (err->code != SS_ERR_NOTFOUND)
			return err;
		ss_error_destroy(err);
		p += n;
		if (*p == '|')
			p++;
	}
	if (!required)
		return NULL;
	return ss_error_create(SS_ERR_MISSING,
			       "%s: struct %s has no member %s: not a kernel "
			       "this version of slabscope knows",
			       ss_dbg_path(dbg), type, paths);
}

struct ss_error *ss_fields_resolve(struct ss_dbg *dbg,
				   const struct ss_field_spec *specs, size_t n,
				   const char *type, void *layout)
{
	for (size_t i = 0; i < n; i++) {
		const struct ss_field_spec *s = &specs[i];
		struct ss_error *err = ss_field_resolve(
			dbg, s->type ? s->type : type, s->paths, s->required,
			(struct ss_field *)((char *)layout + s->field));
		if (err)
			return err;
	}
	return NULL;
}

uint64_t ss_field_get(const struct ss_field *f, const unsigned char *buf)
{
	if (f->bits) {
		/* Little-endian bitfield: gather the bytes it spans. */
		uint32_t first = f->bit_off / 8;
		uint32_t shift = f->bit_off % 8;
		uint32_t nbytes = (shift + f->bits + 7) / 8;
		unsigned __int128 v = 0;
		for (uint32_t i = 0; i < nbytes && i < 16; i++)
			v |= (unsigned __int128)buf[first + i] << (8 * i);
		v >>= shift;
		return (uint64_t)v & (f->bits >= 64 ? ~0ULL
						    : ((1ULL << f->bits) - 1));
	}
	switch (f->size) {
	case 1:
		return buf[f->off];
	case 2: {
		uint16_t v;
		memcpy(&v, buf + f->off, 2);
		return v;
	}
	case 4: {
		uint32_t v;
		memcpy(&v, buf + f->off, 4);
		return v;
	}
	default: {
		uint64_t v;
		memcpy(&v, buf + f->off, 8);
		return v;
	}
	}
}
