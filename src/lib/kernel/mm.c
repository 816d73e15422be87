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

struct ss_error *ss_target_aarch64_va_bits(const struct ss_target *t,
					   unsigned int *config_bits,
					   unsigned int *actual_bits)
{
	uint64_t va_bits, t1sz;
	if (!ss_target_vmcoreinfo_number(t, "NUMBER(VA_BITS)", &va_bits))
		return ss_error_create(SS_ERR_MISSING,
				       "%s: arm64 without VMCOREINFO "
				       "NUMBER(VA_BITS): the memory map cannot "
				       "be told",
				       t->name);
	if (va_bits < 36 || va_bits > 52)
		return ss_error_create(SS_ERR_CORRUPT,
				       "VMCOREINFO VA_BITS is %" PRIu64
				       ", not an arm64 address size",
				       va_bits);
	*config_bits = *actual_bits = (unsigned int)va_bits;
	/* TCR_EL1.T1SZ = 64 - the bits the kernel's half really uses (5.12+;
	 * without it, or with a value that is no smaller size, VA_BITS). */
	if (ss_target_vmcoreinfo_number(t, "NUMBER(TCR_EL1_T1SZ)", &t1sz) &&
	    t1sz >= 64 - va_bits && t1sz <= 28)
		*actual_bits = (unsigned int)(64 - t1sz);
	return NULL;
}

/* -(1 << bits): the start of the linear map of a bits-wide kernel half */
static uint64_t page_offset_of(unsigned int bits)
{
	return -(UINT64_C(1) << bits);
}

void ss_aarch64_linear_map(unsigned int va_bits, unsigned int actual_bits,
			   uint64_t phys_offset, uint64_t vmemmap_start,
			   struct ss_mm_facts *f)
{
	/* Direct-map address of frame pfn: page_offset + pfn * page_size,
	 * as on x86_64: the base is PAGE_OFFSET less PHYS_OFFSET (mod 2^64;
	 * frames below PHYS_OFFSET are not RAM). */
	f->page_offset = page_offset_of(va_bits) - phys_offset;
	/* memstart_addr >> PAGE_SHIFT of an s64, without relying on the
	 * implementation-defined shift of a negative number */
	uint64_t pfn_offset = phys_offset >> 63
				      ? -((-phys_offset) >> f->page_shift)
				      : phys_offset >> f->page_shift;
	f->vmemmap = vmemmap_start - pfn_offset * f->struct_page_size;
	uint64_t ram_start = phys_offset;
	if (actual_bits < va_bits)
		ram_start +=
			page_offset_of(actual_bits) - page_offset_of(va_bits);
	f->min_pfn = ram_start >> f->page_shift;
	f->va_bits = actual_bits;
}

/*
 * arm64: the linear map starts at PAGE_OFFSET = -(1 << VA_BITS) with
 * physical address PHYS_OFFSET (memstart_addr), and vmemmap is
 * VMEMMAP_START less the struct pages of the frames below PHYS_OFFSET
 * (arch/arm64/include/asm/memory.h).  VMEMMAP_START's formula changed
 * between kernels, so it is taken, with the other two, from VMCOREINFO,
 * which every arm64 kernel since 5.x exports (crash and makedumpfile read
 * the same keys); PHYS_OFFSET falls back on memstart_addr.
 *
 * A 52-bit kernel (CONFIG_ARM64_VA_BITS_52: Debian's from 6.12 on) on a
 * CPU without LVA/LPA2 (most Graviton and Ampere parts; QEMU's lpa2=off)
 * runs with 48 bits (TCR_EL1.T1SZ): PAGE_OFFSET stays the 52-bit one and
 * memstart_addr is lowered by _PAGE_OFFSET(48) - _PAGE_OFFSET(52), so that
 * the linear map begins at the 48-bit PAGE_OFFSET (arm64_memblock_init).
 * PHYS_OFFSET is then negative as the s64 it is: the vmemmap base shifts
 * it as a signed number, and RAM's first frame is it plus that distance.
 */
static struct ss_error *aarch64_map(const struct ss_target *t,
				    struct ss_mm_facts *f)
{
	uint64_t phys_offset, vmemmap_start;
	unsigned int va_bits, actual;
	struct ss_error *err = ss_target_aarch64_va_bits(t, &va_bits, &actual);
	if (err)
		return err;
	if (!ss_target_vmcoreinfo_number(t, "NUMBER(VMEMMAP_START)",
					 &vmemmap_start))
		return ss_error_create(SS_ERR_MISSING,
				       "%s: arm64 without VMCOREINFO "
				       "NUMBER(VMEMMAP_START): the memory map "
				       "cannot be told",
				       t->name);
	if (!ss_target_vmcoreinfo_number(t, "NUMBER(PHYS_OFFSET)",
					 &phys_offset)) {
		bool found;
		err = read_opt_u64(t, "memstart_addr", &phys_offset, &found);
		if (err)
			return err;
		if (!found)
			return ss_error_create(
				SS_ERR_MISSING,
				"%s: arm64 without VMCOREINFO PHYS_OFFSET nor "
				"memstart_addr",
				t->name);
	}
	ss_aarch64_linear_map(va_bits, actual, phys_offset, vmemmap_start, f);
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
