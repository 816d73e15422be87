/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A dump plus its vmlinux: see include/slabscope/kernel.h. */
#include <inttypes.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include <slabscope/kernel.h>

struct ss_kernel {
	struct ss_dump *dump;
	struct ss_dbg *dbg;
	char *vmlinux_path;
	/* Where the symbolizers look for modules' debug files (the target
	 * points here): the options' --module files, copied, and the
	 * dump's directory. */
	struct ss_debuginfo_search search;
	char **modules;
	char *dump_dir;
	uint64_t kaslr_offset;
	/*
	 * Where the per-CPU section is linked at address 0 (x86_64 until
	 * 6.x: __per_cpu_start == 0), per-CPU symbols are offsets into the
	 * per-CPU areas, [0, percpu_end), and KASLR does not move them.
	 * Otherwise (7.x, other architectures) percpu_end is 0: they are
	 * ordinary addresses in .data..percpu, relocated like the rest.
	 */
	uint64_t percpu_end;
	struct ss_memory memory;
	struct ss_target target;
};

static struct ss_error *kernel_target_symbol(void *arg, const char *name,
					     uint64_t *addr_ret)
{
	return ss_kernel_symbol(arg, name, addr_ret);
}

static bool kernel_present_run(void *arg, uint64_t pfn, uint64_t *start,
			       uint64_t *end)
{
	const struct ss_kernel *k = arg;
	return ss_dump_present_run(ss_kernel_dump(k), pfn, start, end);
}

static const char *kernel_vmcoreinfo(void *arg, const char *key)
{
	const struct ss_kernel *k = arg;
	return ss_dump_vmcoreinfo(ss_kernel_dump(k), key);
}

static bool kernel_to_phys(void *arg, uint64_t va, uint64_t *pa)
{
	const struct ss_kernel *k = arg;
	return ss_dump_to_phys(ss_kernel_dump(k), va, pa);
}

static struct ss_error *kernel_memory_read(void *arg, uint64_t addr,
					   void *buf, size_t len)
{
	return ss_dump_read(arg, SS_KVADDR, addr, buf, len);
}

/*
 * Compile units whose types the slab code needs, named by a function each
 * defines (.debug_aranges maps code, not data, to CUs).  A kernel lacking
 * one (SLAB has no mm/slub.c, and the reverse) simply skips it.
 */
static const char *const hint_symbols[] = {
	"kmem_cache_destroy", /* mm/slab_common.c: kmem_cache, slab, page,
				 kmem_cache_node/_cpu, task_struct */
	"__kmem_cache_create", /* mm/slub.c or mm/slab.c: track, array_cache
				  (up to 6.11) */
	"kmem_cache_free", /* the same unit on every generation: its
			      private types (6.12+; 7.x sheaves) */
	"stack_depot_fetch", /* lib/stackdepot.c: stack_record */
	"__module_address", /* kernel/module/main.c: module, mod_kallsyms */
	"schedule", /* kernel/sched/core.c: rq (tasks) */
	"ktime_get", /* kernel/time/timekeeping.c: the timekeeper
			(track ages without tick_nsec, 7.x) */
};

#define BANNER_MAX 512

static struct ss_error *read_banner_static(struct ss_dbg *dbg, uint64_t addr,
					   char *buf)
{
	for (size_t i = 0; i < BANNER_MAX - 1; i++) {
		struct ss_error *err = ss_dbg_read_static(dbg, addr + i,
							  &buf[i], 1);
		if (err)
			return err;
		if (!buf[i])
			return NULL;
	}
	buf[BANNER_MAX - 1] = '\0';
	return NULL;
}

static void chomp(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
}

/* Keep an error line one line of text: control and non-ASCII bytes
 * become '?'.  Returns s. */
static char *printable(char *s)
{
	for (char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			*p = '?';
	return s;
}

static struct ss_error *check_banner(struct ss_kernel *k)
{
	uint64_t addr;
	struct ss_error *err = ss_dbg_symbol(k->dbg, "linux_banner", &addr);
	if (err)
		return ss_error_prepend(err, "%s: cannot check it belongs "
					"to the dump", k->vmlinux_path);
	char file_banner[BANNER_MAX];
	err = read_banner_static(k->dbg, addr, file_banner);
	if (err)
		return ss_error_prepend(err, "%s: reading linux_banner",
					k->vmlinux_path);
	char *mem_banner;
	err = ss_kernel_read_string(k, addr + k->kaslr_offset, BANNER_MAX,
				    &mem_banner);
	if (err && (err->code == SS_ERR_FAULT || err->code == SS_ERR_EXCLUDED)) {
		/* The kernel image is never filtered out: a vmlinux whose
		 * banner is not mapped is another kernel's. */
		ss_error_destroy(err);
		const char *rel = ss_dump_props(k->dump)->release;
		return ss_error_create(
			SS_ERR_MISMATCH,
			"%s does not belong to %s: its linux_banner (0x%" PRIx64
			" after KASLR) is not mapped in the dump of kernel %s; "
			"pass the matching one with --vmlinux",
			k->vmlinux_path, ss_dump_props(k->dump)->path,
			addr + k->kaslr_offset, rel ? rel : "unknown");
	}
	if (err)
		return ss_error_prepend(
			err, "%s: reading linux_banner from the dump at 0x%" PRIx64,
			ss_dump_props(k->dump)->path, addr + k->kaslr_offset);
	chomp(file_banner);
	chomp(mem_banner);
	if (strcmp(file_banner, mem_banner) != 0 &&
	    strncmp(mem_banner, "Linux version ", 14) != 0) {
		/* Another build's linux_banner address lands anywhere in
		 * this kernel: those bytes are no message. */
		const char *rel = ss_dump_props(k->dump)->release;
		err = ss_error_create(
			SS_ERR_MISMATCH,
			"%s does not belong to %s: the dump's kernel is %s and "
			"has no banner where this vmlinux has linux_banner "
			"(\"%s\"); pass the matching one with --vmlinux",
			k->vmlinux_path, ss_dump_props(k->dump)->path,
			rel ? rel : "unknown", printable(file_banner));
	} else if (strcmp(file_banner, mem_banner) != 0) {
		err = ss_error_create(
			SS_ERR_MISMATCH,
			"%s does not belong to %s: the dump says \"%s\", the "
			"vmlinux says \"%s\"; pass the matching one with "
			"--vmlinux",
			k->vmlinux_path, ss_dump_props(k->dump)->path,
			printable(mem_banner), printable(file_banner));
	}
	free(mem_banner);
	return err;
}

/*
 * The end of a per-CPU section linked at address 0, or 0 if the vmlinux
 * links it elsewhere (then per-CPU symbols are relocated as any other).
 * Told by the section's bounds, never by the kernel version.
 */
static uint64_t zero_based_percpu_end(struct ss_dbg *dbg)
{
	uint64_t start, end;
	struct ss_error *serr = ss_dbg_symbol(dbg, "__per_cpu_start", &start);
	struct ss_error *eerr = ss_dbg_symbol(dbg, "__per_cpu_end", &end);
	bool have_start = !serr, have_end = !eerr;
	ss_error_destroy(serr);
	ss_error_destroy(eerr);
	if (!have_end)
		return 0;
	if (have_start)
		return start == 0 && end < UINT64_C(1) << 32 ? end : 0;
	/* No __per_cpu_start: a section of a few hundred KiB at 0 has an
	 * end no kernel address is below. */
	return end < UINT64_C(1) << 32 ? end : 0;
}

/* The module search of the symbolizers: the given files, the dump's
 * directory (its *.ko), the release's system directories. */
static struct ss_error *search_init(struct ss_kernel *k, const char *dump_path,
				    const struct ss_kernel_options *opts)
{
	char *copy = strdup(dump_path);
	if (!copy)
		return &ss_error_nomem;
	k->dump_dir = strdup(dirname(copy));
	free(copy);
	if (!k->dump_dir)
		return &ss_error_nomem;
	if (opts->nmodules &&
	    !(k->modules = calloc(opts->nmodules, sizeof(*k->modules))))
		return &ss_error_nomem;
	for (size_t i = 0; i < opts->nmodules; i++) {
		if (!(k->modules[i] = strdup(opts->modules[i])))
			return &ss_error_nomem;
		k->search.nmodules = i + 1;
	}
	k->search.modules = (const char *const *)k->modules;
	k->search.dump_dir = k->dump_dir;
	k->search.release = ss_dump_props(k->dump)->release;
	k->search.progress = opts->progress;
	k->search.progress_arg = opts->progress_arg;
	return NULL;
}

struct ss_error *ss_kernel_open(const char *dump_path,
				const struct ss_kernel_options *opts,
				struct ss_kernel **ret)
{
	static const struct ss_kernel_options defaults;
	if (!opts)
		opts = &defaults;
	struct ss_kernel *k = calloc(1, sizeof(*k));
	if (!k)
		return &ss_error_nomem;
	struct ss_error *err = ss_dump_open(dump_path, &k->dump);
	if (err)
		goto fail;
	const struct ss_dump_props *props = ss_dump_props(k->dump);
	k->kaslr_offset = props->kaslr_offset;
	k->memory.read = kernel_memory_read;
	k->memory.arg = k->dump;

	uint8_t id[SS_BUILD_ID_MAX];
	size_t id_len = 0;
	/* VMCOREINFO has BUILD-ID= from 5.9 on. */
	if (!ss_build_id_parse(ss_dump_vmcoreinfo(k->dump, "BUILD-ID"), id,
			       &id_len))
		id_len = 0;
	if (opts->vmlinux) {
		k->vmlinux_path = strdup(opts->vmlinux);
		if (!k->vmlinux_path) {
			err = &ss_error_nomem;
			goto fail;
		}
	} else {
		if (!props->release && !id_len) {
			err = ss_error_create(
				SS_ERR_MISSING,
				"%s: the dump does not name its kernel release "
				"(no OSRELEASE in VMCOREINFO); pass --vmlinux",
				dump_path);
			goto fail;
		}
		struct ss_vmlinux_query q = {
			.release = props->release,
			.build_id = id,
			.build_id_len = id_len,
			.progress = opts->progress,
			.progress_arg = opts->progress_arg,
		};
		err = ss_vmlinux_find(&q, &k->vmlinux_path);
		if (err)
			goto fail;
	}
	err = search_init(k, dump_path, opts);
	if (err)
		goto fail;
	err = ss_dbg_open(k->vmlinux_path, &k->dbg);
	if (err)
		goto fail;
	k->percpu_end = zero_based_percpu_end(k->dbg);
	for (size_t i = 0; i < sizeof(hint_symbols) / sizeof(hint_symbols[0]);
	     i++)
		ss_error_destroy(ss_dbg_add_hint_symbol(k->dbg, hint_symbols[i]));
	k->target.name = k->vmlinux_path;
	k->target.dbg = k->dbg;
	k->target.mem = &k->memory;
	k->target.symbol = kernel_target_symbol;
	k->target.symbol_arg = k;
	k->target.page_size = props->page_size;
	k->target.paging_levels = props->paging_levels;
	k->target.kaslr_offset = k->kaslr_offset;
	k->target.phys_max_pfn = props->max_pfn;
	k->target.debuginfo = &k->search;
	k->target.present_run = kernel_present_run;
	k->target.vmcoreinfo = kernel_vmcoreinfo;
	k->target.to_phys = kernel_to_phys;
	if (!opts->no_banner_check) {
		err = check_banner(k);
		if (err)
			goto fail;
	}
	*ret = k;
	return NULL;
fail:
	ss_kernel_close(k);
	return err;
}

void ss_kernel_close(struct ss_kernel *k)
{
	if (!k)
		return;
	ss_dbg_close(k->dbg);
	ss_dump_close(k->dump);
	free(k->vmlinux_path);
	for (size_t i = 0; i < k->search.nmodules; i++)
		free(k->modules[i]);
	free(k->modules);
	free(k->dump_dir);
	free(k);
}

struct ss_dump *ss_kernel_dump(const struct ss_kernel *k) { return k->dump; }
struct ss_dbg *ss_kernel_dbg(const struct ss_kernel *k) { return k->dbg; }
const char *ss_kernel_vmlinux_path(const struct ss_kernel *k)
{
	return k->vmlinux_path;
}
uint64_t ss_kernel_kaslr_offset(const struct ss_kernel *k)
{
	return k->kaslr_offset;
}

const struct ss_target *ss_kernel_target(const struct ss_kernel *k)
{
	return &k->target;
}

const struct ss_memory *ss_kernel_memory(const struct ss_kernel *k)
{
	return &k->memory;
}

struct ss_error *ss_kernel_symbol(struct ss_kernel *k, const char *name,
				  uint64_t *addr_ret)
{
	uint64_t addr;
	struct ss_error *err = ss_dbg_symbol(k->dbg, name, &addr);
	if (err)
		return err;
	/* __per_cpu_end itself (== percpu_end) is not relocated either. */
	*addr_ret = k->percpu_end && addr <= k->percpu_end
			    ? addr
			    : addr + k->kaslr_offset;
	return NULL;
}

struct ss_error *ss_kernel_read(struct ss_kernel *k, uint64_t addr, void *buf,
				size_t len)
{
	return ss_dump_read(k->dump, SS_KVADDR, addr, buf, len);
}

struct ss_error *ss_kernel_read_u64(struct ss_kernel *k, uint64_t addr,
				    uint64_t *ret)
{
	return ss_kernel_read(k, addr, ret, sizeof(*ret));
}

struct ss_error *ss_kernel_read_u32(struct ss_kernel *k, uint64_t addr,
				    uint32_t *ret)
{
	return ss_kernel_read(k, addr, ret, sizeof(*ret));
}

struct ss_error *ss_kernel_read_string(struct ss_kernel *k, uint64_t addr,
				       size_t maxlen, char **ret)
{
	char *buf = malloc(maxlen + 1);
	if (!buf)
		return &ss_error_nomem;
	size_t len = 0;
	/* Read in chunks that never cross a page, so a string ending just
	 * before an unmapped page still reads. */
	while (len < maxlen) {
		uint64_t a = addr + len;
		size_t chunk = 4096 - (size_t)(a & 4095);
		if (chunk > maxlen - len)
			chunk = maxlen - len;
		struct ss_error *err = ss_kernel_read(k, a, buf + len, chunk);
		if (err) {
			free(buf);
			return err;
		}
		char *nul = memchr(buf + len, '\0', chunk);
		if (nul) {
			*ret = buf;
			return NULL;
		}
		len += chunk;
	}
	buf[maxlen] = '\0';
	*ret = buf;
	return NULL;
}

struct ss_error *ss_kernel_read_symbol(struct ss_kernel *k, const char *name,
				       void *buf, size_t size)
{
	uint64_t addr;
	struct ss_error *err = ss_kernel_symbol(k, name, &addr);
	if (err)
		return err;
	err = ss_kernel_read(k, addr, buf, size);
	return ss_error_prepend(err, "reading %s", name);
}
