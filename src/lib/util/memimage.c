/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A synthetic memory image for tests and fuzzers: see memory.h. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <slabscope/memory.h>

struct range {
	uint64_t addr;
	size_t len;
	unsigned char *bytes;
	bool excluded; /* a hole: reads fail with SS_ERR_EXCLUDED */
};

struct ss_memimage {
	struct range *ranges;
	size_t n, cap;
};

struct ss_error *ss_memimage_create(struct ss_memimage **ret)
{
	*ret = calloc(1, sizeof(**ret));
	return *ret ? NULL : &ss_error_nomem;
}

void ss_memimage_destroy(struct ss_memimage *img)
{
	if (!img)
		return;
	for (size_t i = 0; i < img->n; i++)
		free(img->ranges[i].bytes);
	free(img->ranges);
	free(img);
}

static struct ss_error *add_range(struct ss_memimage *img, struct range r)
{
	if (img->n == img->cap) {
		size_t ncap = img->cap ? img->cap * 2 : 8;
		struct range *n = realloc(img->ranges, ncap * sizeof(*n));
		if (!n)
			return &ss_error_nomem;
		img->ranges = n;
		img->cap = ncap;
	}
	img->ranges[img->n++] = r;
	return NULL;
}

struct ss_error *ss_memimage_add(struct ss_memimage *img, uint64_t addr,
				 const void *data, size_t len)
{
	if (len == 0 || addr + len < addr)
		return ss_error_create(SS_ERR_INVALID, "bad image range");
	struct range r = { .addr = addr, .len = len };
	r.bytes = calloc(1, len);
	if (!r.bytes)
		return &ss_error_nomem;
	if (data)
		memcpy(r.bytes, data, len);
	struct ss_error *err = add_range(img, r);
	if (err)
		free(r.bytes);
	return err;
}

struct ss_error *ss_memimage_exclude(struct ss_memimage *img, uint64_t addr,
				     size_t len)
{
	/* Exclusions are checked before data ranges, so they may overlap. */
	struct range r = { .addr = addr, .len = len, .excluded = true };
	return add_range(img, r);
}

static const struct range *find(const struct ss_memimage *img, uint64_t addr,
				bool excluded)
{
	for (size_t i = 0; i < img->n; i++) {
		const struct range *r = &img->ranges[i];
		if (r->excluded == excluded && addr >= r->addr &&
		    addr - r->addr < r->len)
			return r;
	}
	return NULL;
}

void *ss_memimage_ptr(struct ss_memimage *img, uint64_t addr, size_t len)
{
	const struct range *r = find(img, addr, false);
	if (!r || len > r->len - (addr - r->addr))
		return NULL;
	return r->bytes + (addr - r->addr);
}

static struct ss_error *image_read(void *arg, uint64_t addr, void *buf,
				   size_t len)
{
	const struct ss_memimage *img = arg;
	unsigned char *out = buf;
	while (len) {
		if (find(img, addr, true))
			return ss_error_set_address(
				ss_error_create(SS_ERR_EXCLUDED,
						"address 0x%" PRIx64
						": page excluded by makedumpfile",
						addr),
				addr);
		const struct range *r = find(img, addr, false);
		if (!r)
			return ss_error_set_address(
				ss_error_create(SS_ERR_FAULT,
						"address 0x%" PRIx64
						" not in the dump",
						addr),
				addr);
		size_t off = (size_t)(addr - r->addr);
		size_t n = r->len - off < len ? r->len - off : len;
		/* Stop at an exclusion inside the data range: the next round
		 * reports it. */
		for (size_t i = 0; i < img->n; i++) {
			const struct range *x = &img->ranges[i];
			if (x->excluded && x->addr > addr && x->addr - addr < n)
				n = (size_t)(x->addr - addr);
		}
		memcpy(out, r->bytes + off, n);
		out += n;
		addr += n;
		len -= n;
	}
	return NULL;
}

/* Reads of an image change nothing: a fork is the image itself. */
static struct ss_error *image_fork(void *arg, struct ss_memory *ret)
{
	*ret = (struct ss_memory){ .read = image_read, .arg = arg };
	return NULL;
}

struct ss_memory ss_memimage_memory(struct ss_memimage *img)
{
	struct ss_memory m = { .read = image_read,
			       .arg = img,
			       .fork = image_fork };
	return m;
}
