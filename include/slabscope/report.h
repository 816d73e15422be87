/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reports: the text and JSON renderings of what the library found.  They
 * write to a stream the caller gives; the library itself never picks
 * stdout or stderr.
 */
#ifndef SLABSCOPE_REPORT_H
#define SLABSCOPE_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include <slabscope/error.h>
#include <slabscope/info.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A kernel address as JSON: the string "0x..." (JSON numbers lose 64-bit
 * precision in many readers). */
json_t *ss_json_addr(uint64_t addr);

/* Write a JSON document followed by a newline; steals doc. */
struct ss_error *ss_json_dump(json_t *doc, FILE *out);

json_t *ss_report_info_json(const struct ss_info *info);
struct ss_error *ss_report_info_text(const struct ss_info *info, FILE *out);

#ifdef __cplusplus
}
#endif

#endif /* SLABSCOPE_REPORT_H */
