/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A dump plus its vmlinux: see include/slabscope/kernel.h. */
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <slabscope/kernel.h>
#include <slabscope/slabscope.h>

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
	/* Opened from a host's memory (ss_kernel_open_host): no dump; the
	 * host's callbacks (its size members, the rest zero) and the
	 * properties a dump would have told. */
	bool from_host;
	struct ss_host host;
	struct ss_dump_props host_props;
	char *host_name;
	char *host_release;
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
	return ss_kernel_vmcoreinfo(arg, key);
}

static bool kernel_to_phys(void *arg, uint64_t va, uint64_t *pa)
{
	const struct ss_kernel *k = arg;
	if (k->from_host)
		return k->host.to_phys && k->host.to_phys(k->host.arg, va, pa);
	return ss_dump_to_phys(ss_kernel_dump(k), va, pa);
}

static struct ss_error *kernel_memory_read(void *arg, uint64_t addr,
					   void *buf, size_t len)
{
	return ss_dump_read(arg, SS_KVADDR, addr, buf, len);
}

static int kernel_memory_holds(void *arg, uint64_t addr, uint64_t len)
{
	return ss_dump_holds(arg, addr, len);
}

static void kernel_memory_release(void *arg)
{
	ss_dump_close(arg);
}

static struct ss_error *kernel_memory_fork(void *arg, struct ss_memory *ret);

/* The kernel memory of a dump (a host's is the host's: no fork, no
 * page map). */
static struct ss_memory dump_memory(struct ss_dump *dump)
{
	return (struct ss_memory){ .read = kernel_memory_read,
				   .arg = dump,
				   .fork = kernel_memory_fork,
				   .holds = kernel_memory_holds };
}

/* A dump's memory for another thread: a fork of the dump, released with
 * it. */
static struct ss_error *kernel_memory_fork(void *arg, struct ss_memory *ret)
{
	struct ss_dump *fork;
	struct ss_error *err = ss_dump_fork(arg, &fork);
	if (err)
		return err;
	*ret = dump_memory(fork);
	ret->release = kernel_memory_release;
	return NULL;
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

/*
 * When linux_banner cannot be read, whether the dump's own kernel image can:
 * VMCOREINFO places init_uts_ns there without any vmlinux.  NULL if it
 * reads (then the vmlinux is to blame), else an error naming the dump (a
 * reader that cannot translate this dump's addresses: QEMU's arm64
 * kdump-compressed files number frames from PHYS_OFFSET, which
 * libkdumpfile 0.5.1 does not follow).  err is the banner's read error.
 */
static struct ss_error *image_unreadable(struct ss_kernel *k,
					 const struct ss_error *err)
{
	const char *v = ss_kernel_vmcoreinfo(k, "SYMBOL(init_uts_ns)");
	if (!v)
		return NULL;
	uint64_t at = strtoull(v, NULL, 16), word;
	struct ss_error *e = ss_kernel_read_u64(k, at, &word);
	if (!e)
		return NULL;
	ss_error_destroy(e);
	/* The file's header names another machine than the vmlinux's, yet
	 * VMCOREINFO found this vmlinux: the header is what is damaged. */
	const char *dump_arch = ss_kernel_props(k)->arch;
	const char *vml_arch = ss_arch_name(ss_dbg_arch(k->dbg));
	if (!k->from_host && dump_arch &&
	    ss_dbg_arch(k->dbg) != SS_ARCH_UNKNOWN &&
	    strcmp(dump_arch, vml_arch) != 0)
		return ss_error_create(
			SS_ERR_FORMAT,
			"%s: the kernel's own memory cannot be read: the file's "
			"header says the machine is %s, but its kernel (%s, as "
			"VMCOREINFO says) is %s: the header (ELF e_machine) is "
			"damaged (%s)",
			ss_kernel_props(k)->path, dump_arch,
			ss_kernel_props(k)->release
				? ss_kernel_props(k)->release
				: "unknown",
			vml_arch, err->message);
	/* QEMU writes an arm64 guest's kdump-compressed dump in blocks of
	 * its own page size (64 KiB) whatever the guest's pages are, and
	 * page frame numbers then do not match: nothing is damaged. */
	const char *ps = ss_kernel_vmcoreinfo(k, "PAGESIZE");
	uint64_t kernel_page = ps ? strtoull(ps, NULL, 10) : 0;
	uint64_t file_page = ss_kernel_props(k)->file_block_size;
	if (kernel_page && file_page && kernel_page != file_page)
		return ss_error_create(
			SS_ERR_FORMAT,
			"%s: the kernel's own memory cannot be read: the file "
			"is written in %" PRIu64 "-byte pages, the kernel's "
			"are %" PRIu64 " bytes (VMCOREINFO PAGESIZE), so its "
			"page frames are not where its headers say (QEMU "
			"writes an arm64 guest's kdump-compressed dump so): "
			"use QEMU's ELF dump or makedumpfile's output",
			ss_kernel_props(k)->path, file_page, kernel_page);
	/* What places the kernel in the dump (x86-64's phys_base, every
	 * architecture's KERNELOFFSET): a damaged value looks exactly like
	 * this; named with what VMCOREINFO says. */
	const char *pb = ss_kernel_vmcoreinfo(k, "NUMBER(phys_base)");
	const char *ko = ss_kernel_vmcoreinfo(k, "KERNELOFFSET");
	char placed[160];
	snprintf(placed, sizeof(placed), "%s%.40s%s%s%.40s%s",
		 pb ? "VMCOREINFO's phys_base (" : "", pb ? pb : "",
		 pb ? ") or " : "", ko ? "KERNELOFFSET (" : "", ko ? ko : "",
		 ko ? ") or " : "");
	return ss_error_create(
		SS_ERR_FORMAT,
		"%s: the kernel's own memory cannot be read: neither "
		"linux_banner nor init_uts_ns (0x%" PRIx64 ", as VMCOREINFO "
		"says) translate (%s); the dump's page frames are not where "
		"its headers say: %sthe kernel's page tables are damaged",
		ss_kernel_props(k)->path, at, err->message, placed);
}

static struct ss_error *check_banner(struct ss_kernel *k)
{
	/* A host's caller names the vmlinux its own way (vmlinux=, ...). */
	const char *hint = k->from_host
				   ? "give the matching vmlinux"
				   : "pass the matching one with --vmlinux";
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
	/* The release the dump records (VMCOREINFO's OSRELEASE) against
	 * the vmlinux's own. */
	const char *rel = ss_kernel_props(k)->release;
	char file_rel[256] = "";
	sscanf(file_banner, "Linux version %255s", file_rel);
	bool same_release = rel && file_rel[0] && !strcmp(rel, file_rel);
	char *mem_banner;
	err = ss_kernel_read_string(k, addr + k->kaslr_offset, BANNER_MAX,
				    &mem_banner);
	if (err && (err->code == SS_ERR_FAULT || err->code == SS_ERR_EXCLUDED)) {
		/* Unless the dump cannot be read at all: then no vmlinux
		 * would do. */
		struct ss_error *unreadable = image_unreadable(k, err);
		if (unreadable) {
			ss_error_destroy(err);
			return unreadable;
		}
		/* The banner's page is damaged or left out of the file, or
		 * the dump's translation is: when the dump records this
		 * vmlinux's release, the vmlinux is not to blame. */
		if (same_release) {
			uint64_t pa;
			bool mapped =
				k->from_host ||
				ss_dump_to_phys(ss_kernel_dump(k),
						addr + k->kaslr_offset, &pa);
			struct ss_error *m =
				mapped ? NULL
				       : ss_error_create(
						 SS_ERR_FORMAT,
						 "%s: linux_banner (0x%" PRIx64
						 " after KASLR) does not "
						 "translate, though %s is the "
						 "dump's release %s: the dump's "
						 "address translation (VMCOREINFO "
						 "phys_base or KERNELOFFSET, or "
						 "the page tables) is corrupt (%s)",
						 ss_kernel_props(k)->path,
						 addr + k->kaslr_offset,
						 k->vmlinux_path, rel,
						 err->message);
			ss_error_destroy(err);
			return m;
		}
		/* The kernel image is never filtered out: a vmlinux whose
		 * banner is not mapped is another kernel's. */
		ss_error_destroy(err);
		return ss_error_create(
			SS_ERR_MISMATCH,
			"%s does not belong to %s: its linux_banner (0x%" PRIx64
			" after KASLR) is not mapped in the dump of kernel %s; "
			"%s",
			k->vmlinux_path, ss_kernel_props(k)->path,
			addr + k->kaslr_offset, rel ? rel : "unknown", hint);
	}
	if (err)
		return ss_error_prepend(
			err,
			"%s: reading linux_banner from the dump at 0x%" PRIx64,
			ss_kernel_props(k)->path, addr + k->kaslr_offset);
	chomp(file_banner);
	chomp(mem_banner);
	/* Another build's linux_banner address lands anywhere in this
	 * kernel: those bytes are no message. */
	bool no_banner = strcmp(file_banner, mem_banner) != 0 &&
			 strncmp(mem_banner, "Linux version ", 14) != 0;
	if (no_banner && same_release) {
		/* The dump's release is the vmlinux's, yet no banner where
		 * the banner is: the dump reads the wrong page. */
		err = ss_error_create(
			SS_ERR_FORMAT,
			"%s: linux_banner (0x%" PRIx64 " after KASLR) holds no "
			"banner, though %s is the dump's release %s: the dump's "
			"address translation (VMCOREINFO phys_base or "
			"KERNELOFFSET) or that page is corrupt",
			ss_kernel_props(k)->path, addr + k->kaslr_offset,
			k->vmlinux_path, rel);
	} else if (no_banner) {
		err = ss_error_create(
			SS_ERR_MISMATCH,
			"%s does not belong to %s: the dump's kernel is %s and "
			"has no banner where this vmlinux has linux_banner "
			"(\"%s\"); %s",
			k->vmlinux_path, ss_kernel_props(k)->path,
			rel ? rel : "unknown", printable(file_banner), hint);
	} else if (strcmp(file_banner, mem_banner) != 0) {
		err = ss_error_create(
			SS_ERR_MISMATCH,
			"%s does not belong to %s: the dump says \"%s\", the "
			"vmlinux says \"%s\"; %s",
			k->vmlinux_path, ss_kernel_props(k)->path,
			printable(mem_banner), printable(file_banner), hint);
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
 * directory (its *.ko; a host's module_dir: is_dir), the release's
 * system directories. */
static struct ss_error *search_init(struct ss_kernel *k, const char *dump_path,
				    const struct ss_kernel_options *opts,
				    bool is_dir)
{
	if (dump_path && !is_dir) {
		char *copy = strdup(dump_path);
		if (!copy)
			return &ss_error_nomem;
		k->dump_dir = strdup(dirname(copy));
		free(copy);
		if (!k->dump_dir)
			return &ss_error_nomem;
	} else if (dump_path && !(k->dump_dir = strdup(dump_path))) {
		return &ss_error_nomem;
	}
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
	k->search.release = ss_kernel_props(k)->release;
	k->search.progress = opts->progress;
	k->search.progress_arg = opts->progress_arg;
	return NULL;
}

/* The vmlinux: the one given, or the one ss_vmlinux_find() finds for the
 * release and build-id. */
static struct ss_error *vmlinux_init(struct ss_kernel *k, const char *what,
				     const struct ss_kernel_options *opts)
{
	if (opts->vmlinux) {
		k->vmlinux_path = strdup(opts->vmlinux);
		return k->vmlinux_path ? NULL : &ss_error_nomem;
	}
	const char *release = ss_kernel_props(k)->release;
	uint8_t id[SS_BUILD_ID_MAX];
	size_t id_len = 0;
	/* VMCOREINFO has BUILD-ID= from 5.9 on. */
	if (!ss_build_id_parse(ss_kernel_vmcoreinfo(k, "BUILD-ID"), id,
			       &id_len))
		id_len = 0;
	if (!release && !id_len)
		return ss_error_create(
			SS_ERR_MISSING,
			"%s: the dump does not name its kernel release "
			"(no OSRELEASE in VMCOREINFO); %s",
			what,
			k->from_host ? "give the vmlinux" : "pass --vmlinux");
	struct ss_vmlinux_query q = {
		.release = release,
		.build_id = id,
		.build_id_len = id_len,
		.progress = opts->progress,
		.progress_arg = opts->progress_arg,
	};
	return ss_vmlinux_find(&q, &k->vmlinux_path);
}

/* What a dump and a host share once memory, properties and the vmlinux
 * are known: the debug info, the target, the banner check. */
static struct ss_error *kernel_finish(struct ss_kernel *k,
				      const struct ss_kernel_options *opts)
{
	const struct ss_dump_props *props = ss_kernel_props(k);
	struct ss_error *err;
	if (!k->dbg && (err = ss_dbg_open(k->vmlinux_path, &k->dbg)))
		return err;
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
	k->target.present_run = k->from_host ? NULL : kernel_present_run;
	k->target.vmcoreinfo = kernel_vmcoreinfo;
	k->target.to_phys = kernel_to_phys;
	if (!opts->no_banner_check)
		return check_banner(k);
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
	k->kaslr_offset = ss_dump_props(k->dump)->kaslr_offset;
	k->memory = dump_memory(k->dump);
	err = vmlinux_init(k, dump_path, opts);
	if (!err)
		err = search_init(k, dump_path, opts, false);
	if (!err)
		err = kernel_finish(k, opts);
	if (err)
		goto fail;
	*ret = k;
	return NULL;
fail:
	ss_kernel_close(k);
	return err;
}

/* "Linux version 6.1.0-57-cloud-amd64 (...)": the release, malloc'd. */
static char *banner_release(const char *banner)
{
	static const char prefix[] = "Linux version ";
	if (strncmp(banner, prefix, sizeof(prefix) - 1) != 0)
		return NULL;
	const char *r = banner + sizeof(prefix) - 1;
	size_t n = strcspn(r, " \n");
	return n ? strndup(r, n) : NULL;
}

/* The release a host runs: VMCOREINFO's OSRELEASE, else linux_banner's. */
static struct ss_error *host_release(struct ss_kernel *k)
{
	const char *rel = ss_kernel_vmcoreinfo(k, "OSRELEASE");
	if (rel) {
		k->host_release = strdup(rel);
		return k->host_release ? NULL : &ss_error_nomem;
	}
	uint64_t addr;
	if (!k->host.symbol)
		return NULL;
	struct ss_error *err =
		k->host.symbol(k->host.arg, "linux_banner", &addr);
	if (err) {
		ss_error_destroy(err);
		return NULL;
	}
	char *banner;
	err = ss_kernel_read_string(k, addr, BANNER_MAX, &banner);
	if (err) {
		ss_error_destroy(err);
		return NULL;
	}
	k->host_release = banner_release(banner);
	free(banner);
	return NULL;
}

/* Runtime minus link-time address: the host's, VMCOREINFO's
 * KERNELOFFSET, or told by where the host has _stext. */
static void host_kaslr(struct ss_kernel *k)
{
	if (k->host.kaslr_known) {
		k->kaslr_offset = k->host.kaslr_offset;
		return;
	}
	const char *off = ss_kernel_vmcoreinfo(k, "KERNELOFFSET");
	if (off) {
		k->kaslr_offset = strtoull(off, NULL, 16);
		return;
	}
	uint64_t runtime, link;
	struct ss_error *err = NULL;
	if (k->host.symbol &&
	    !(err = k->host.symbol(k->host.arg, "_stext", &runtime)) &&
	    !(err = ss_dbg_symbol(k->dbg, "_stext", &link)))
		k->kaslr_offset = runtime - link;
	ss_error_destroy(err);
}

/* 5-level paging: the kernel's own flag (x86_64 __pgtable_l5_enabled),
 * else 4 levels. */
static int host_paging_levels(struct ss_kernel *k)
{
	uint32_t l5 = 0;
	struct ss_error *err = ss_kernel_read_symbol(k, "__pgtable_l5_enabled",
						     &l5, sizeof(l5));
	ss_error_destroy(err);
	return !err && l5 ? 5 : 4;
}

struct ss_error *ss_kernel_open_host(const struct ss_host *host,
				     const struct ss_kernel_options *opts,
				     struct ss_kernel **ret)
{
	static const struct ss_kernel_options defaults;
	if (!opts)
		opts = &defaults;
	if (!host ||
	    host->size < offsetof(struct ss_host, read) + sizeof(host->read) ||
	    !host->read)
		return ss_error_create(SS_ERR_INVALID,
				       "a host needs its size and a read "
				       "callback");
	struct ss_kernel *k = calloc(1, sizeof(*k));
	if (!k)
		return &ss_error_nomem;
	k->from_host = true;
	memcpy(&k->host, host,
	       host->size < sizeof(k->host) ? host->size : sizeof(k->host));
	k->host.size = sizeof(k->host);
	k->host_name = strdup(host->name ? host->name : "host");
	struct ss_error *err = k->host_name ? NULL : &ss_error_nomem;
	k->memory.read = k->host.read;
	k->memory.arg = k->host.arg;
	struct ss_dump_props *p = &k->host_props;
	p->path = k->host_name;
	p->format = "host";
	p->compression = "none";
	p->dump_level = -1;
	p->arch = "x86_64";
	p->page_size = host->page_size ? host->page_size : 4096;
	p->has_vmcoreinfo = host->vmcoreinfo != NULL;
	if (!err)
		err = host_release(k);
	p->release = k->host_release;
	if (!err)
		err = vmlinux_init(k, k->host_name, opts);
	/* The host's module files, as the options' (a dump's directory is
	 * the module_dir here). */
	struct ss_kernel_options hopts = *opts;
	if (k->host.nmodules) {
		hopts.modules = k->host.modules;
		hopts.nmodules = k->host.nmodules;
	}
	if (!err)
		err = search_init(k, k->host.module_dir, &hopts, true);
	if (!err)
		err = ss_dbg_open(k->vmlinux_path, &k->dbg);
	if (!err) {
		host_kaslr(k);
		p->kaslr_offset = k->kaslr_offset;
		p->paging_levels = host_paging_levels(k);
		err = kernel_finish(k, opts);
	}
	if (err) {
		ss_kernel_close(k);
		return err;
	}
	*ret = k;
	return NULL;
}

const struct ss_dump_props *ss_kernel_props(const struct ss_kernel *k)
{
	return k->from_host ? &k->host_props : ss_dump_props(k->dump);
}

const char *ss_kernel_vmcoreinfo(const struct ss_kernel *k, const char *key)
{
	if (k->from_host)
		return k->host.vmcoreinfo ? k->host.vmcoreinfo(k->host.arg, key)
					  : NULL;
	return ss_dump_vmcoreinfo(k->dump, key);
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
	free(k->host_name);
	free(k->host_release);
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
	return k->memory.read(k->memory.arg, addr, buf, len);
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
