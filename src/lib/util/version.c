/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The libraries' versions: see include/slabscope/version.h. */
#include <slabscope/version.h>

void ss_library_versions(struct ss_library_version v[SS_NLIBRARIES])
{
	v[0] = ss_dump_library_version();
	v[1] = ss_dbg_dwarf_version();
	v[2] = ss_dbg_elf_version();
	v[3] = ss_report_jansson_version();
}
