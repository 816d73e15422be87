/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slabscope [global options] COMMAND [options] DUMP...: dispatch to one
 * command. */
#include <stdio.h>
#include <string.h>

#include <slabscope/version.h>

#include "config.h"
#include "cli.h"
#include "tui/screen.h"

static const struct ss_cmd_entry *const commands[] = {
	&ss_cmd_info_entry,    &ss_cmd_batch_entry,  &ss_cmd_caches_entry,
	&ss_cmd_check_entry,   &ss_cmd_diff_entry,   &ss_cmd_leaks_entry,
	&ss_cmd_objects_entry, &ss_cmd_slabs_entry,  &ss_cmd_whatis_entry,
	&ss_cmd_tasks_entry,   &ss_cmd_browse_entry,
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: slabscope [GLOBAL OPTIONS] COMMAND [OPTIONS] DUMP...\n"
		"       slabscope -h|--help [COMMAND]\n"
		"       slabscope -V|--version\n"
		"\n"
		"Analyse the slab allocator of a Linux kernel crash dump.\n"
		"\n"
		"Commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i]->name,
			commands[i]->summary);
	fprintf(out,
		"\n"
		"Global options (before the command; the command's own options\n"
		"come after it):\n"
		"  -k, --vmlinux FILE  vmlinux with debug info (default: found by the\n"
		"                      dump's build-id and kernel release)\n"
		"      --module FILE   a module's .ko, repeatable\n"
		"      --json          one JSON document on stdout\n"
		"  -q, --quiet         no progress output\n"
		"      --threads N     threads reading the dump ahead (default: the\n"
		"                      CPUs, or $SLABSCOPE_JOBS)\n"
		"  -h, --help          show this help, or COMMAND's\n"
		"  -V, --version       show the version and the libraries' versions\n"
		"\n"
		"Every command takes -k/--vmlinux, --module, --json, -q/--quiet and\n"
		"--threads after it too; see 'slabscope COMMAND --help' and\n"
		"slabscope(1).\n"
		"Exit status: 0 success or nothing found, 1 findings, 2 could "
		"not analyse.\n");
}

/* slabscope and the libraries it runs on: run-time versions where the
 * library tells them, else "(built with)" the version compiled against. */
static void version(FILE *out)
{
	struct ss_library_version v[SS_NLIBRARIES + 1];
	ss_library_versions(v);
	v[SS_NLIBRARIES] = tui_screen_library_version();
	fprintf(out, "slabscope %s\n", PACKAGE_VERSION);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		fprintf(out, "%s %s%s\n", v[i].name, v[i].version,
			v[i].built_with ? " (built with)" : "");
}

static const struct ss_cmd_entry *find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	}
	return NULL;
}

static int unknown_command(const char *name)
{
	fprintf(stderr,
		"slabscope: unknown command '%s'; try 'slabscope --help'\n",
		name);
	return SS_EXIT_ERROR;
}

/* COMMAND's help, or the usage without one. */
static int help(const char *name)
{
	if (!name) {
		usage(stdout);
		return SS_EXIT_OK;
	}
	const struct ss_cmd_entry *cmd = find_command(name);
	if (!cmd)
		return unknown_command(name);
	fputs(cmd->help, stdout);
	return SS_EXIT_OK;
}

int main(int argc, char **argv)
{
	struct ss_global_opts g = { 0 };
	int rc = ss_cmd_parse_global(argc, argv, &g);
	const char *name = g.cmd_index < argc ? argv[g.cmd_index] : NULL;
	const struct ss_cmd_entry *cmd = NULL;
	if (rc != SS_CONTINUE)
		;
	else if (g.version)
		rc = (version(stdout), SS_EXIT_OK);
	else if (g.help)
		rc = help(name);
	else if (!name)
		rc = (usage(stderr), SS_EXIT_ERROR);
	else if (strcmp(name, "help") == 0)
		rc = help(g.cmd_index + 1 < argc ? argv[g.cmd_index + 1]
						 : NULL);
	else if (!(cmd = find_command(name)))
		rc = unknown_command(name);
	if (!cmd) {
		free(g.common.modules);
		return rc;
	}
	/* The driver parses the command's options from its name on, so
	 * that getopt_long's permutation lets options follow operands;
	 * the global options are where it starts from (it takes over
	 * their --module list). */
	return ss_cmd_run(cmd, &g.common, argc - g.cmd_index,
			  argv + g.cmd_index);
}
