/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the leaks module's grouping and reference scan share. */
#ifndef SS_LEAKS_PRIV_H
#define SS_LEAKS_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes of an object's start its content signature looks at. */
#define SS_LEAKS_SIGNATURE_SCAN 64
/* The longest printable tag, and its buffer. */
#define SS_LEAKS_TAG_MAX 16

/*
 * The printable tag at an object's start (p: its first len bytes, len at
 * most SS_LEAKS_SIGNATURE_SCAN), the first choice of a content signature
 * ("tag:TAG"): into out (SS_LEAKS_TAG_MAX + 1 bytes); false when there
 * is none.  A pure function of the bytes, so the reference scan can take
 * it while it has them and spare the grouping a read of every object.
 */
bool ss_leaks_tag(const uint8_t *p, size_t len, char *out, size_t outlen);

#endif
