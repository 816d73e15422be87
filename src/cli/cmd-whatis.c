/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slabscope whatis: what kernel addresses are (crash's kmem ADDR). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <slabscope/identify.h>
#include <slabscope/report.h>
#include <slabscope/slab.h>

#include "cli.h"

struct addr_list {
	uint64_t *v;
	size_t n, cap;
};

static bool addr_push(struct addr_list *l, uint64_t a)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		uint64_t *v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return false;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = a;
	return true;
}

/* Addresses from stdin, separated by blanks, commas or newlines: a
 * token that is not one is a usage error naming its line. */
static int read_stdin(const struct ss_cmd *cmd, struct addr_list *l)
{
	char *line = NULL;
	size_t cap = 0;
	int rc = SS_CONTINUE;
	for (size_t lineno = 1;
	     rc == SS_CONTINUE && getline(&line, &cap, stdin) >= 0; lineno++) {
		char *save = NULL;
		for (char *t = strtok_r(line, " \t\r\n,", &save); t;
		     t = strtok_r(NULL, " \t\r\n,", &save)) {
			uint64_t a;
			if (!ss_cli_parse_address(t, &a)) {
				rc = ss_cli_usage_error(
					cmd->entry,
					"stdin line %zu: '%s' is not a hex "
					"address",
					lineno, t);
				break;
			}
			if (!addr_push(l, a)) {
				rc = ss_cli_fail(&ss_error_nomem);
				break;
			}
		}
	}
	if (rc == SS_CONTINUE && ferror(stdin))
		rc = ss_cli_fail(ss_error_create(SS_ERR_IO, "reading stdin"));
	free(line);
	return rc;
}

/* The operands after the dump, "-" (or none) for stdin. */
static int collect(const struct ss_cmd *cmd, struct addr_list *l)
{
	bool from_stdin = cmd->argc == 1;
	for (int i = 1; i < cmd->argc; i++) {
		uint64_t a;
		if (!strcmp(cmd->argv[i], "-")) {
			from_stdin = true;
			continue;
		}
		/* Checked by the driver already. */
		if (ss_cli_parse_address(cmd->argv[i], &a) && !addr_push(l, a))
			return ss_cli_fail(&ss_error_nomem);
	}
	return from_stdin ? read_stdin(cmd, l) : SS_CONTINUE;
}

static struct ss_error *whatis_all(struct ss_cmd *cmd,
				   const struct addr_list *l)
{
	struct ss_model *m = cmd->session.m;
	struct ss_identifier *id;
	struct ss_error *err = ss_identifier_create(m, &id);
	if (err)
		return err;
	json_t *doc = NULL, *arr = NULL;
	if (cmd->common.json) {
		arr = json_array();
		doc = arr ? json_pack("{s:o}", "addresses", arr) : NULL;
		if (!doc) {
			ss_identifier_destroy(id);
			return &ss_error_nomem;
		}
	}
	for (size_t i = 0; !err && i < l->n; i++) {
		struct ss_identity r;
		err = ss_identify(id, l->v[i], &r);
		if (!err && arr) {
			if (json_array_append_new(arr,
						  ss_report_whatis_json(m, &r)))
				err = &ss_error_nomem;
		} else if (!err) {
			if (i)
				fputc('\n', stdout);
			err = ss_report_whatis_text(m, &r, stdout);
		}
		ss_identity_deinit(&r);
	}
	if (!err && doc)
		err = ss_cli_print_json(cmd, doc);
	else
		json_decref(doc);
	ss_identifier_destroy(id);
	return err;
}

static int whatis_exec(struct ss_cmd *cmd)
{
	struct addr_list l = { 0 };
	int rc = collect(cmd, &l);
	if (rc == SS_CONTINUE) {
		struct ss_error *err = whatis_all(cmd, &l);
		rc = err ? ss_cli_fail(err) : SS_EXIT_OK;
	}
	free(l.v);
	return rc;
}

const struct ss_cmd_entry ss_cmd_whatis_entry = {
	.name = "whatis",
	.summary = "what kernel addresses are: slab object, symbol, page, "
		   "stack, per-CPU, vmalloc",
	.help = "Usage: slabscope whatis [OPTIONS] DUMP [ADDRESS...]\n"
		"\n"
		"Tell what each kernel virtual ADDRESS (hex, 0x optional) is, as\n"
		"crash's kmem ADDRESS does.  With no ADDRESS, or '-', addresses are\n"
		"read from stdin (separated by blanks, commas or newlines).  In a\n"
		"slab: the cache, slab and object, the offset from the object\n"
		"address (negative inside the left red zone), the object's state,\n"
		"the region of the slot (left-redzone, payload, right-redzone,\n"
		"freeptr, track, padding, slab-tail), the allocation and free tracks\n"
		"when the cache keeps them, and the task of a task_struct.\n"
		"Elsewhere: a kernel symbol+offset, a per-CPU variable and its CPU,\n"
		"a task's kernel stack, a module, a vmalloc area and its caller, a\n"
		"struct page or a direct-map page (pfn, flags, the slab it holds),\n"
		"a user-space or non-canonical address.\n"
		"\n"
		"Options:\n" SS_HELP_COMMON_OPTIONS "\n"
		"Exit status: 0 success (whatever the addresses are), 2 the dump\n"
		"could not be analysed or an address is not hexadecimal.\n",
	.operands = SS_OPERANDS_DUMP_ADDRESSES,
	.session = SS_SESSION_MODEL,
	.exec = whatis_exec,
};
