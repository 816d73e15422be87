/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Memory-management facts of a target: see ss_target_mm_facts(). */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <slabscope/target.h>

/*
 * A kernel variable that may be absent: 0 if the symbol does not exist
 * (then *found is false), an error only if it exists but cannot be read.
 */
static struct ss_error *read_opt_u64(const struct ss_target *t, const char *name,
				     uint64_t *ret, bool *found)
{
	uint64_t addr;
	struct ss_error *err = ss_target_symbol(t, name, &addr);
	if (err && err->code == SS_ERR_NOTFOUND) {
		ss_error_destroy(err);
		*found = false;
		return NULL;
	}
	if (err)
		return err;
	*found = true;
	return ss_error_prepend(ss_mem_read_u64(t->mem, addr, ret), "reading %s",
				name);
}

static struct ss_error *read_u32_sym(const struct ss_target *t,
				     const char *name, uint32_t *ret)
{
	return ss_target_read_symbol(t, name, ret, sizeof(*ret));
}

struct ss_error *ss_target_read_symbol(const struct ss_target *t,
				       const char *name, void *buf,
				       size_t size)
{
	uint64_t addr;
	struct ss_error *err = ss_target_symbol(t, name, &addr);
	if (err)
		return err;
	return ss_error_prepend(ss_mem_read(t->mem, addr, buf, size),
				"reading %s", name);
}

/* x86_64: with CONFIG_DYNAMIC_MEMORY_LAYOUT (KASLR of memory regions) the
 * bases are variables; without it, the fixed layout. */
static struct ss_error *x86_64_map(const struct ss_target *t,
				   struct ss_mm_facts *f)
{
	bool l5 = t->paging_levels == 5, found;
	struct ss_error *err =
		read_opt_u64(t, "page_offset_base", &f->page_offset, &found);
	if (err)
		return err;
	if (!found)
		f->page_offset =
			l5 ? 0xff11000000000000ULL : 0xffff888000000000ULL;
	err = read_opt_u64(t, "vmemmap_base", &f->vmemmap, &found);
	if (err)
		return err;
	if (!found)
		f->vmemmap = l5 ? 0xffd4000000000000ULL : 0xffffea0000000000ULL;
	f->va_bits = l5 ? 57 : 48;
	return NULL;
}

bool ss_target_vmcoreinfo_number(const struct ss_target *t, const char *key,
				 uint64_t *ret)
{
	const char *v =
		t->vmcoreinfo ? t->vmcoreinfo(t->symbol_arg, key) : NULL;
	char *end;
	if (!v || !*v)
		return false;
	errno = 0;
	uint64_t n = strtoull(v, &end, 0);
	if (errno || *end)
		return false; /* *ret untouched: callers keep their default */
	*ret = n;
	return true;
}

/*
 * arm64: the linear map starts at PAGE_OFFSET = -(1 << VA_BITS) with
 * physical address PHYS_OFFSET (memstart_addr), and vmemmap is
 * VMEMMAP_START less the struct pages of the frames below PHYS_OFFSET
 * (arch/arm64/include/asm/memory.h).  VMEMMAP_START's formula changed
 * between kernels, so it is taken, with the other two, from VMCOREINFO,
 * which every arm64 kernel since 5.x exports (crash and makedumpfile read
 * the same keys); PHYS_OFFSET falls back on memstart_addr.
 */
static struct ss_error *aarch64_map(const struct ss_target *t,
				    struct ss_mm_facts *f)
{
	uint64_t va_bits, phys_offset, vmemmap_start;
	static const char *const keys[] = { "NUMBER(VA_BITS)",
					    "NUMBER(VMEMMAP_START)" };
	uint64_t *vals[] = { &va_bits, &vmemmap_start };
	for (size_t i = 0; i < 2; i++)
		if (!ss_target_vmcoreinfo_number(t, keys[i], vals[i]))
			return ss_error_create(
				SS_ERR_MISSING,
				"%s: arm64 without VMCOREINFO %s: the memory "
				"map cannot be told",
				t->name, keys[i]);
	if (va_bits < 36 || va_bits > 52)
		return ss_error_create(SS_ERR_CORRUPT,
				       "VMCOREINFO VA_BITS is %" PRIu64
				       ", not an arm64 address size",
				       va_bits);
	if (!ss_target_vmcoreinfo_number(t, "NUMBER(PHYS_OFFSET)",
					 &phys_offset)) {
		bool found;
		struct ss_error *err =
			read_opt_u64(t, "memstart_addr", &phys_offset, &found);
		if (err)
			return err;
		if (!found)
			return ss_error_create(
				SS_ERR_MISSING,
				"%s: arm64 without VMCOREINFO PHYS_OFFSET nor "
				"memstart_addr",
				t->name);
	}
	uint64_t page_offset = -(UINT64_C(1) << va_bits);
	/* Direct-map address of frame pfn: page_offset + pfn * page_size,
	 * as on x86_64: the base is PAGE_OFFSET less PHYS_OFFSET (mod 2^64;
	 * frames below PHYS_OFFSET are not RAM). */
	f->page_offset = page_offset - phys_offset;
	f->vmemmap = vmemmap_start -
		     (phys_offset >> f->page_shift) * f->struct_page_size;
	f->min_pfn = phys_offset >> f->page_shift;
	f->va_bits = (unsigned int)va_bits;
	uint64_t pac;
	if (ss_target_vmcoreinfo_number(t, "NUMBER(KERNELPACMASK)", &pac))
		f->pac_mask = pac;
	return NULL;
}

struct ss_error *ss_target_mm_facts(const struct ss_target *t,
				    struct ss_mm_facts *f)
{
	struct ss_dbg *dbg = t->dbg;
	struct ss_error *err;
	bool found;

	memset(f, 0, sizeof(*f));
	f->page_size = t->page_size ? t->page_size : 4096;
	while ((1ULL << f->page_shift) < f->page_size)
		f->page_shift++;
	err = ss_dbg_type_size(dbg, SS_TYPE_STRUCT, "page",
			       &f->struct_page_size);
	if (err)
		return ss_error_prepend(err, "struct page");
	f->arch = ss_dbg_arch(dbg);
	err = f->arch == SS_ARCH_AARCH64 ? aarch64_map(t, f) : x86_64_map(t, f);
	if (err)
		return err;
	err = read_opt_u64(t, "max_pfn", &f->max_pfn, &found);
	if (err)
		return err;
	if (!found)
		return ss_error_create(SS_ERR_MISSING,
				       "%s: no symbol max_pfn",
				       t->name);
	/* max_pfn bounds the page scan: a garbage one (0, or 2^50) must not
	 * mean scanning nothing or scanning for hours.  The dump file says
	 * which page frames it can hold at all. */
	f->kernel_max_pfn = f->max_pfn;
	if (t->phys_max_pfn && (f->max_pfn == 0 || f->max_pfn > t->phys_max_pfn))
		f->max_pfn = t->phys_max_pfn;
	err = read_u32_sym(t, "nr_cpu_ids", &f->nr_cpu_ids);
	if (err)
		return err;
	if (f->nr_cpu_ids == 0 || f->nr_cpu_ids > 65536)
		return ss_error_create(SS_ERR_CORRUPT,
				       "nr_cpu_ids is %" PRIu32
				       ", not a CPU count",
				       f->nr_cpu_ids);
	err = read_u32_sym(t, "nr_node_ids", &f->nr_node_ids);
	if (err && err->code == SS_ERR_NOTFOUND) {
		ss_error_destroy(err);
		err = NULL;
		f->nr_node_ids = 1;
	}
	if (err)
		return err;
	if (f->nr_node_ids == 0 || f->nr_node_ids > 65536)
		return ss_error_create(SS_ERR_CORRUPT,
				       "nr_node_ids is %" PRIu32
				       ", not a node count",
				       f->nr_node_ids);

	f->cpu_offset = calloc(f->nr_cpu_ids, sizeof(*f->cpu_offset));
	f->cpu_possible = calloc(f->nr_cpu_ids, sizeof(*f->cpu_possible));
	if (!f->cpu_offset || !f->cpu_possible) {
		ss_mm_facts_deinit(f);
		return &ss_error_nomem;
	}
	uint64_t addr;
	err = ss_target_symbol(t, "__per_cpu_offset", &addr);
	if (!err)
		err = ss_mem_read(t->mem, addr, f->cpu_offset,
				     f->nr_cpu_ids * sizeof(*f->cpu_offset));
	if (err) {
		ss_mm_facts_deinit(f);
		return ss_error_prepend(err, "reading __per_cpu_offset");
	}
	/* Possible CPUs: the bitmap __cpu_possible_mask; without it, every
	 * CPU below nr_cpu_ids. */
	size_t words = (f->nr_cpu_ids + 63) / 64;
	uint64_t *mask = calloc(words, sizeof(*mask));
	if (!mask) {
		ss_mm_facts_deinit(f);
		return &ss_error_nomem;
	}
	err = ss_target_symbol(t, "__cpu_possible_mask", &addr);
	if (!err)
		err = ss_mem_read(t->mem, addr, mask, words * sizeof(*mask));
	if (err && err->code == SS_ERR_NOTFOUND) {
		ss_error_destroy(err);
		err = NULL;
		memset(mask, 0xff, words * sizeof(*mask));
	}
	if (err) {
		free(mask);
		ss_mm_facts_deinit(f);
		return ss_error_prepend(err, "reading __cpu_possible_mask");
	}
	for (uint32_t i = 0; i < f->nr_cpu_ids; i++)
		f->cpu_possible[i] = (mask[i / 64] >> (i % 64)) & 1;
	free(mask);
	return NULL;
}

void ss_mm_facts_deinit(struct ss_mm_facts *f)
{
	free(f->cpu_offset);
	free(f->cpu_possible);
	f->cpu_offset = NULL;
	f->cpu_possible = NULL;
}
