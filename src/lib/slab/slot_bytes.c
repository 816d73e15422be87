/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the allocators' byte checks share: reading a slab into the
 * verifier, comparing a run of bytes with its pattern, and reporting a bad
 * run through the caller's callback.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slot_priv.h"

static struct ss_error *ensure(struct ss_slot_verifier *v, size_t bytes,
			       size_t objs)
{
	if (bytes > v->bufcap) {
		unsigned char *n = realloc(v->buf, bytes);
		if (!n)
			return &ss_error_nomem;
		v->buf = n;
		v->bufcap = bytes;
	}
	if (objs > v->objcap) {
		struct ss_object *n = realloc(v->objs, objs * sizeof(*n));
		if (!n)
			return &ss_error_nomem;
		v->objs = n;
		v->objcap = objs;
	}
	return NULL;
}

struct ss_error *ss_slot_load(struct ss_slot_verifier *v,
			      const struct ss_slab *s, uint64_t len)
{
	struct ss_error *err = ensure(v, len, s->objects);
	v->objs_slab = NULL;
	if (!err)
		err = ss_model_slab_objects(v->m, s, v->objs);
	if (!err)
		v->objs_slab = s;
	if (!err)
		err = ss_mem_read(v->mem, s->base, v->buf, len);
	return err;
}

struct ss_error *ss_slot_load_failed(struct ss_error *err)
{
	if (err->code == SS_ERR_NOMEM)
		return err;
	ss_error_destroy(err);
	return NULL;
}

struct ss_error *ss_slot_report(struct ss_slot_scan *sc,
				struct ss_slot_bad *bad, const char *fmt, ...)
{
	char *msg;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		return &ss_error_nomem;
	bad->message = msg;
	struct ss_error *err = sc->fn(sc->arg, bad);
	free(msg);
	return err;
}

static uint8_t expected_at(const struct ss_slot_pattern *p, size_t i,
			   size_t len)
{
	return (p->last >= 0 && i == len - 1) ? (uint8_t)p->last : p->fill;
}

static bool byte_ok(const struct ss_slot_pattern *p, size_t i, size_t len,
		    uint8_t b)
{
	if (b == expected_at(p, i, len))
		return true;
	return p->alt >= 0 && b == (uint8_t)p->alt;
}

struct ss_error *ss_slot_check_run(struct ss_slot_scan *sc, uint64_t object,
				   uint64_t start, const uint8_t *bytes,
				   size_t len, const struct ss_slot_pattern *p,
				   enum ss_finding_id kind, const char *what,
				   enum ss_slot_suspect suspect)
{
	size_t first = len, last = 0;
	for (size_t i = 0; i < len; i++) {
		if (byte_ok(p, i, len, bytes[i]))
			continue;
		if (first == len)
			first = i;
		last = i;
	}
	if (first == len)
		return NULL;
	struct ss_slot_bad bad = {
		.kind = kind,
		.object = object,
		.address = start + first,
		.bad_len = last - first + 1,
		.nbytes = len - first < SS_SLOT_BYTES ? len - first
						      : SS_SLOT_BYTES,
		.suspect = suspect,
	};
	for (size_t i = 0; i < bad.nbytes; i++) {
		bad.expected[i] = expected_at(p, first + i, len);
		bad.found[i] = bytes[first + i];
	}
	const char *name = sc->cache->name;
	size_t n = last - first + 1;
	const char *plural = last == first ? "" : "s";
	if (object)
		return ss_slot_report(sc, &bad,
				      "%s: %s of object 0x%" PRIx64
				      " overwritten: %zu byte%s from 0x%" PRIx64
				      " (offset %+" PRId64 ") are not 0x%02x",
				      name, what, object, n, plural,
				      start + first,
				      (int64_t)(start + first - object),
				      expected_at(p, first, len));
	return ss_slot_report(sc, &bad,
			      "%s: %s of slab 0x%" PRIx64
			      " overwritten: %zu byte%s from 0x%" PRIx64
			      " are not 0x%02x",
			      name, what, sc->s->page, n, plural, start + first,
			      expected_at(p, first, len));
}

struct ss_error *ss_slot_check_free_poison(struct ss_slot_scan *sc,
					   uint64_t obj, const uint8_t *p)
{
	struct ss_slot_pattern poison = { SS_POISON_FREE, -1, SS_POISON_END };
	return ss_slot_check_run(sc, obj, obj, p, sc->cache->object_size,
				 &poison, SS_FINDING_POISON_OVERWRITTEN, "free payload",
				 SS_SUSPECT_USE_AFTER_FREE);
}
