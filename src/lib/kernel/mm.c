/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Memory-management facts of a target: see ss_target_mm_facts(). */
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
	bool l5 = t->paging_levels == 5;

	/* With CONFIG_DYNAMIC_MEMORY_LAYOUT (KASLR of memory regions) the
	 * bases are variables; without it, the fixed x86_64 layout. */
	err = read_opt_u64(t, "page_offset_base", &f->page_offset, &found);
	if (err)
		return err;
	if (!found)
		f->page_offset = l5 ? 0xff11000000000000ULL : 0xffff888000000000ULL;
	err = read_opt_u64(t, "vmemmap_base", &f->vmemmap, &found);
	if (err)
		return err;
	if (!found)
		f->vmemmap = l5 ? 0xffd4000000000000ULL : 0xffffea0000000000ULL;
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
	err = ss_dbg_type_size(dbg, SS_TYPE_STRUCT, "page",
			       &f->struct_page_size);
	if (err)
		return ss_error_prepend(err, "struct page");

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
