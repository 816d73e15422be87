/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `slabscope info` as text and as JSON. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include <slabscope/report.h>

/* json_string(NULL) fails; a fact the dump lacks is null instead.  The
 * paths are the user's, not necessarily UTF-8: ss_json_path(). */
static json_t *str_or_null(const char *s)
{
	return ss_json_path(s);
}

json_t *ss_report_info_json(const struct ss_info *info)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	int bad = 0;
	bad |= json_object_set_new(o, "dump", str_or_null(info->dump_path));
	bad |= json_object_set_new(o, "vmlinux",
				   str_or_null(info->vmlinux_path));
	bad |= json_object_set_new(o, "release", str_or_null(info->release));
	bad |= json_object_set_new(o, "build_id", str_or_null(info->build_id));
	bad |= json_object_set_new(o, "arch", str_or_null(info->arch));
	bad |= json_object_set_new(o, "format", str_or_null(info->format));
	bad |= json_object_set_new(o, "compression",
				   str_or_null(info->compression));
	bad |= json_object_set_new(o, "filtered",
				   json_boolean(info->filtered));
	bad |= json_object_set_new(o, "dump_level",
				   info->dump_level >= 0
					   ? json_integer(info->dump_level)
					   : json_null());
	bad |= json_object_set_new(o, "kaslr_offset",
				   ss_json_addr(info->kaslr_offset));
	bad |= json_object_set_new(o, "page_size",
				   json_integer((json_int_t)info->page_size));
	bad |= json_object_set_new(o, "paging_levels",
				   json_integer(info->paging_levels));
	bad |= json_object_set_new(o, "va_bits",
				   info->va_bits ? json_integer(info->va_bits)
						 : json_null());
	bad |= json_object_set_new(o, "va_bits_config",
				   info->va_bits_config
					   ? json_integer(info->va_bits_config)
					   : json_null());
	bad |= json_object_set_new(o, "cpus", json_integer(info->cpus));
	bad |= json_object_set_new(o, "possible_cpus",
				   json_integer(info->possible_cpus));
	bad |= json_object_set_new(o, "nodes", json_integer(info->nodes));
	bad |= json_object_set_new(
		o, "allocator", str_or_null(ss_allocator_name(info->allocator)));
	bad |= json_object_set_new(o, "freelist_hardened",
				   json_boolean(info->freelist_hardened));
	bad |= json_object_set_new(o, "slub_debug",
				   json_boolean(info->slub_debug));
	bad |= json_object_set_new(o, "caches", json_integer(info->caches));
	if (info->caches_warning)
		bad |= json_object_set_new(o, "caches_warning",
					   str_or_null(info->caches_warning));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static const char *yes_no(bool b) { return b ? "yes" : "no"; }
static const char *or_unknown(const char *s) { return s ? s : "unknown"; }

struct ss_error *ss_report_info_text(const struct ss_info *info, FILE *out)
{
	fprintf(out, "dump:              %s\n", or_unknown(info->dump_path));
	fprintf(out, "vmlinux:           %s\n", or_unknown(info->vmlinux_path));
	fprintf(out, "release:           %s\n", or_unknown(info->release));
	fprintf(out, "build-id:          %s\n", or_unknown(info->build_id));
	fprintf(out, "arch:              %s\n", or_unknown(info->arch));
	fprintf(out, "format:            %s (compression %s", or_unknown(info->format),
		or_unknown(info->compression));
	if (info->dump_level >= 0)
		fprintf(out, ", dump level %d", info->dump_level);
	fprintf(out, "%s)\n",
		info->filtered ? ", filtered by makedumpfile" : "");
	fprintf(out, "KASLR offset:      0x%" PRIx64 "\n", info->kaslr_offset);
	fprintf(out, "page size:         %" PRIu64 "\n", info->page_size);
	fprintf(out, "paging levels:     %d\n", info->paging_levels);
	if (info->va_bits && info->va_bits_config > info->va_bits)
		fprintf(out,
			"VA bits:           %u (kernel built for %u: the CPU "
			"has no 52-bit VA)\n",
			info->va_bits, info->va_bits_config);
	else if (info->va_bits)
		fprintf(out, "VA bits:           %u\n", info->va_bits);
	fprintf(out, "CPUs:              %u online, %u possible\n", info->cpus,
		info->possible_cpus);
	fprintf(out, "NUMA nodes:        %u\n", info->nodes);
	fprintf(out, "allocator:         %s\n",
		ss_allocator_name(info->allocator));
	if (info->slub_options) {
		fprintf(out, "freelist hardened: %s\n",
			yes_no(info->freelist_hardened));
		fprintf(out, "SLUB_DEBUG:        %s\n", yes_no(info->slub_debug));
	}
	fprintf(out, "slab caches:       %u\n", info->caches);
	/* info->caches_warning is the caller's to say, on stderr. */
	if (fflush(out) == EOF || ferror(out))
		return ss_error_errno(errno, SS_ERR_IO, "writing output");
	return NULL;
}
