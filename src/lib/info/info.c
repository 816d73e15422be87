/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Facts about a dump for `slabscope info`. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <slabscope/info.h>

/* A sane upper bound on slab caches; real kernels have a few hundred. */
#define MAX_CACHES 100000

const char *ss_allocator_name(enum ss_allocator a)
{
	switch (a) {
	case SS_ALLOC_SLUB: return "SLUB";
	case SS_ALLOC_SLAB: return "SLAB";
	case SS_ALLOC_UNKNOWN: break;
	}
	return "unknown";
}

static unsigned int popcount_words(const uint64_t *w, size_t n)
{
	unsigned int c = 0;
	for (size_t i = 0; i < n; i++)
		c += (unsigned int)__builtin_popcountll(w[i]);
	return c;
}

/* Number of bits set in a bitmap variable (cpumask, nodemask). */
static struct ss_error *count_mask_bits(struct ss_kernel *k, uint64_t addr,
					uint64_t size, unsigned int *ret)
{
	if (size == 0 || size > 4096 || size % 8)
		return ss_error_create(SS_ERR_CORRUPT,
				       "bitmap of unexpected size %" PRIu64,
				       size);
	uint64_t words[512];
	struct ss_error *err = ss_kernel_read(k, addr, words, size);
	if (err)
		return err;
	*ret = popcount_words(words, size / 8);
	return NULL;
}

static struct ss_error *gather_cpus(struct ss_kernel *k, struct ss_info *info)
{
	struct ss_dbg *dbg = ss_kernel_dbg(k);
	uint32_t n;
	struct ss_error *err =
		ss_kernel_read_symbol(k, "nr_cpu_ids", &n, sizeof(n));
	if (err)
		return err;
	info->possible_cpus = n;
	uint64_t addr, size;
	err = ss_kernel_symbol(k, "__cpu_online_mask", &addr);
	if (!err)
		err = ss_dbg_type_size(dbg, SS_TYPE_STRUCT, "cpumask", &size);
	if (!err)
		err = count_mask_bits(k, addr, size, &info->cpus);
	return ss_error_prepend(err, "counting online CPUs");
}

static struct ss_error *gather_nodes(struct ss_kernel *k, struct ss_info *info)
{
	struct ss_dbg *dbg = ss_kernel_dbg(k);
	uint64_t addr, size;
	int64_t n_online;
	/* Without CONFIG_NUMA there is no node_states: one node. */
	struct ss_error *err = ss_kernel_symbol(k, "node_states", &addr);
	if (err && err->code == SS_ERR_NOTFOUND) {
		ss_error_destroy(err);
		info->nodes = 1;
		return NULL;
	}
	if (!err)
		err = ss_dbg_enumerator(dbg, "N_ONLINE", &n_online);
	if (!err)
		err = ss_dbg_type_size(dbg, SS_TYPE_TYPEDEF, "nodemask_t",
				       &size);
	if (!err)
		err = count_mask_bits(k, addr + (uint64_t)n_online * size, size,
				      &info->nodes);
	return ss_error_prepend(err, "counting online NUMA nodes");
}

static struct ss_error *count_one(void *arg, uint64_t entry)
{
	(void)entry;
	(*(unsigned int *)arg)++;
	return NULL;
}

static struct ss_error *gather_caches(struct ss_kernel *k, struct ss_info *info)
{
	uint64_t head;
	struct ss_error *err = ss_kernel_symbol(k, "slab_caches", &head);
	if (err)
		return ss_error_prepend(err, "finding the slab cache list");
	unsigned int n = 0;
	err = ss_list_walk(ss_kernel_memory(k), head, MAX_CACHES, true,
			   count_one, &n, NULL);
	info->caches = n;
	if (err) {
		/* A corrupt list is a fact about the kernel, not a failure
		 * to analyse: keep the count so far and say why it stopped. */
		info->caches_warning = strdup(err->message);
		ss_error_destroy(err);
		if (!info->caches_warning)
			return &ss_error_nomem;
	}
	return NULL;
}

struct ss_error *ss_info_gather(struct ss_kernel *k, struct ss_info *info)
{
	const struct ss_dump_props *p = ss_kernel_props(k);
	struct ss_dbg *dbg = ss_kernel_dbg(k);
	memset(info, 0, sizeof(*info));
	info->dump_path = p->path;
	info->vmlinux_path = ss_kernel_vmlinux_path(k);
	info->release = p->release;
	info->build_id = ss_kernel_vmcoreinfo(k, "BUILD-ID");
	info->arch = p->arch;
	info->format = p->format;
	info->compression = p->compression;
	info->filtered = p->filtered;
	info->dump_level = p->dump_level;
	info->kaslr_offset = ss_kernel_kaslr_offset(k);
	info->page_size = p->page_size;
	info->paging_levels = p->paging_levels;
	if (ss_dbg_arch(ss_kernel_dbg(k)) == SS_ARCH_AARCH64) {
		unsigned int config, actual;
		struct ss_error *e = ss_target_aarch64_va_bits(
			ss_kernel_target(k), &config, &actual);
		if (e)
			ss_error_destroy(e); /* unknown: 0 */
		else
			info->va_bits = actual, info->va_bits_config = config;
		/* libkdumpfile leaves arm64's levels unset: those of the
		 * translation of va_bits with this page size (each level
		 * resolves page_shift - 3 bits) */
		unsigned int shift = 0;
		while (shift < 63 && (UINT64_C(1) << shift) < info->page_size)
			shift++;
		if (!info->paging_levels && info->va_bits > shift &&
		    shift > 3) {
			unsigned int per = shift - 3,
				     bits = info->va_bits - shift;
			info->paging_levels = (int)((bits + per - 1) / per);
		}
	} else if (p->paging_levels == 4 || p->paging_levels == 5) {
		info->va_bits = p->paging_levels == 5 ? 57 : 48;
	}

	ss_describe_allocator(dbg, info);
	struct ss_error *err = gather_cpus(k, info);
	if (!err)
		err = gather_nodes(k, info);
	if (!err)
		err = gather_caches(k, info);
	if (err)
		ss_info_deinit(info);
	return err;
}

void ss_info_deinit(struct ss_info *info)
{
	free(info->caches_warning);
	info->caches_warning = NULL;
}
