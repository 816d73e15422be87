/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slabscope COMMAND [options] DUMP...: dispatch to one command. */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "cli.h"

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
		"Usage: slabscope COMMAND [OPTIONS] DUMP...\n"
		"\n"
		"Analyse the slab allocator of a Linux kernel crash dump.\n"
		"\n"
		"Commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i]->name,
			commands[i]->summary);
	fprintf(out,
		"\n"
		"Every command takes -k/--vmlinux FILE, --module FILE and\n"
		"--json; see 'slabscope COMMAND --help' and slabscope(1).\n"
		"Exit status: 0 success or nothing found, 1 findings, 2 could "
		"not analyse.\n");
}

static const struct ss_cmd_entry *find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	}
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return SS_EXIT_ERROR;
	}
	const char *name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
		usage(stdout);
		return SS_EXIT_OK;
	}
	if (strcmp(name, "--version") == 0) {
		printf("slabscope %s\n", PACKAGE_VERSION);
		return SS_EXIT_OK;
	}
	if (strcmp(name, "help") == 0 && argc == 3) {
		const struct ss_cmd_entry *cmd = find_command(argv[2]);
		if (cmd) {
			fputs(cmd->help, stdout);
			return SS_EXIT_OK;
		}
	}
	const struct ss_cmd_entry *cmd = find_command(name);
	if (!cmd) {
		fprintf(stderr,
			"slabscope: unknown command '%s'; try 'slabscope "
			"--help'\n",
			name);
		return SS_EXIT_ERROR;
	}
	/* The driver parses the command's options from argv[1] on, so that
	 * getopt_long's permutation lets options follow operands. */
	return ss_cmd_run(cmd, argc - 1, argv + 1);
}
