/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The synthetic kernel's memory as the slab harnesses (fuzz_slab,
 * fuzz_slab_slab) read it: straight from the image's three regions (heap,
 * struct pages, direct map) in O(1) -- ss_memimage searches its ranges one
 * by one, which was 70% of the time -- with holes the fuzzer punches, which
 * read as the error the hole names.  Include after synth.h.
 */
#ifndef SS_FUZZ_IMAGE_H
#define SS_FUZZ_IMAGE_H

#define MAX_HOLES 4

struct hole {
	uint64_t addr, len;
	enum ss_errcode code;
};

struct fuzz_image {
	uint8_t *heap, *vmemmap, *pages[SYNTH_MAX_PFN];
	struct hole holes[MAX_HOLES];
	int nholes;
};

/* Point fi at img's regions; false if img is not laid out as synth.h says. */
static bool fuzz_image_map(struct fuzz_image *fi, struct ss_memimage *img)
{
	fi->heap = ss_memimage_ptr(img, SYNTH_HEAP, SYNTH_HEAP_SIZE);
	fi->vmemmap = ss_memimage_ptr(img, SYNTH_VMEMMAP,
				      SYNTH_MAX_PFN * PAGE_SIZEOF);
	if (!fi->heap || !fi->vmemmap)
		return false;
	for (uint64_t pfn = 0; pfn < SYNTH_MAX_PFN; pfn++) {
		fi->pages[pfn] = ss_memimage_ptr(
			img, SYNTH_PAGE_OFFSET + pfn * SYNTH_PAGE_SIZE,
			SYNTH_PAGE_SIZE);
		if (!fi->pages[pfn])
			return false;
	}
	return true;
}

/* struct ss_memory's read, arg a struct fuzz_image. */
static struct ss_error *fuzz_image_read(void *arg, uint64_t addr, void *buf,
					size_t len)
{
	struct fuzz_image *fi = arg;
	for (int i = 0; i < fi->nholes; i++) {
		const struct hole *h = &fi->holes[i];
		if (addr < h->addr + h->len && h->addr < addr + len) {
			uint64_t bad = addr > h->addr ? addr : h->addr;
			return ss_error_set_address(
				ss_error_create(h->code,
						"address 0x%" PRIx64
						" in a hole of the fuzzer",
						bad),
				bad);
		}
	}
	uint8_t *out = buf;
	while (len) {
		const uint8_t *src = NULL;
		uint64_t avail = 0;
		if (addr - SYNTH_HEAP < SYNTH_HEAP_SIZE) {
			src = fi->heap + (addr - SYNTH_HEAP);
			avail = SYNTH_HEAP_SIZE - (addr - SYNTH_HEAP);
		} else if (addr - SYNTH_VMEMMAP < SYNTH_MAX_PFN * PAGE_SIZEOF) {
			src = fi->vmemmap + (addr - SYNTH_VMEMMAP);
			avail = SYNTH_MAX_PFN * PAGE_SIZEOF -
				(addr - SYNTH_VMEMMAP);
		} else if (addr - SYNTH_PAGE_OFFSET <
			   SYNTH_MAX_PFN * SYNTH_PAGE_SIZE) {
			uint64_t rel = addr - SYNTH_PAGE_OFFSET;
			src = fi->pages[rel / SYNTH_PAGE_SIZE] +
			      rel % SYNTH_PAGE_SIZE;
			avail = SYNTH_PAGE_SIZE - rel % SYNTH_PAGE_SIZE;
		} else {
			return ss_error_set_address(
				ss_error_create(SS_ERR_FAULT,
						"address 0x%" PRIx64
						" not in the dump",
						addr),
				addr);
		}
		size_t n = avail < len ? (size_t)avail : len;
		memcpy(out, src, n);
		out += n;
		addr += n;
		len -= n;
	}
	return NULL;
}

#endif
