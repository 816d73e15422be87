#!/usr/bin/env bash
# libslabscope's public interface (issue 17), through tests/api/host: a
# client that includes only <slabscope/slabscope.h> and reads the dump with
# libkdumpfile itself, handing slabscope the memory as a debugger does
# (ss_analysis_open_host), or lets slabscope open the file (--file).
#
# On the planted dump of every generation (5.10, 6.1, 6.12, 7.x, the 6.1
# SLAB build), and the corrupt and clean ones of 6.1 and 7.x, every query (caches, check, whatis,
# slabs, objects, leaks) gives the CLI's --json document (less "source",
# which names the host instead of the dump) and the CLI's text, with the
# same exit status; the findings as data (ss_result_finding) are the
# document's findings.  The complete ELF dumps are compared: on a
# makedumpfile dump only the wording of read errors differs (the host's
# own), which the lossy check below shows.
. "$(dirname "$0")/lib.sh"

HOST=$BUILDDIR/tests/api/host
check "tests/api/host is built (make check builds it)" test -x "$HOST"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# same_doc DESC CLI_JSON HOST_JSON: equal but for "source"
same_doc() {
	if cmp -s <(jq -S 'del(.source)' "$2") <(jq -S 'del(.source)' "$3"); then
		pass "$1"
	else
		fail "$1: $(diff <(jq -S 'del(.source)' "$2") <(jq -S 'del(.source)' "$3") | head -n 6 | tr '\n' ' ')"
	fi
}

# query NAME DUMP VMLINUX DESC CLI_ARGS... -- HOST_ARGS...
compare() {
	local name=$1 dump=$2 vmlinux=$3
	shift 3
	local cli=() hq=()
	while [ "$1" != -- ]; do cli+=("$1"); shift; done
	shift
	hq=("$@")
	local crc=0 hrc=0
	"$SLABSCOPE" "${cli[@]}" --json >"$TMP/c.json" 2>"$TMP/c.err" || crc=$?
	"$HOST" "$dump" "$vmlinux" "${hq[@]}" >"$TMP/h.json" 2>"$TMP/h.err" || hrc=$?
	check_eq "$name ${hq[0]}: the host's exit status is the CLI's" "$crc" "$hrc"
	same_doc "$name ${hq[0]}: the host's document is the CLI's" "$TMP/c.json" "$TMP/h.json"
	"$SLABSCOPE" "${cli[@]}" >"$TMP/c.txt" 2>/dev/null || true
	"$HOST" --text "$dump" "$vmlinux" "${hq[@]}" >"$TMP/h.txt" 2>/dev/null || true
	check "$name ${hq[0]}: the host's text is the CLI's" cmp -s "$TMP/c.txt" "$TMP/h.txt"
}

# Every scenario on 6.1 and 7.x, planted on the others (the interface is
# the same code whatever the generation; CI's time is counted).
for s in planted corrupt clean slab-planted bullseye-planted \
	trixie-planted sid-planted sid-corrupt sid-clean; do
	dir=$(fixture "$s") || { rc=$?; echo "$dir"; exit "$rc"; }
	dump=$dir/vmcore.elf
	vmlinux=$(truth "$dir" .vmlinux)
	compare "$s" "$dump" "$vmlinux" check "$dump" -- check
	compare "$s" "$dump" "$vmlinux" caches "$dump" -- caches
	# findings as data: kind, object and culprit of each, in order
	"$HOST" "$dump" "$vmlinux" findings >"$TMP/f.txt" 2>/dev/null || true
	"$SLABSCOPE" check --json "$dump" >"$TMP/c.json" 2>/dev/null || true
	check_eq "$s: ss_result_finding gives the document's findings" \
		"$(jq -r '.findings[] | "\(.id) \(.object // "0x0") \(.culprit.object // "0x0")"' "$TMP/c.json")" \
		"$(awk '{print $1, $3, $4}' "$TMP/f.txt")"
	case $s in
	*planted)
		# a planted object, a free pointer's target, a garbage address
		obj=$(truth "$dir" '.freeptr[0].b // .redzone[0].object')
		compare "$s" "$dump" "$vmlinux" whatis "$dump" "$obj" 0x1234 \
			0xffff888000000000 -- whatis "$obj" 0x1234 0xffff888000000000
		cache=$(truth "$dir" '.freeptr[0].cache // .redzone[0].cache')
		compare "$s" "$dump" "$vmlinux" slabs --cache "$cache" "$dump" -- slabs "$cache"
		compare "$s" "$dump" "$vmlinux" objects --cache "$cache" "$dump" -- objects "$cache"
		compare "$s" "$dump" "$vmlinux" leaks --cache kmalloc-512 "$dump" -- leaks kmalloc-512
		;;
	esac
done

# ---- slabscope opens the file itself (ss_analysis_open): the CLI's
# document, "source" included
dir=$(fixture planted) || { rc=$?; echo "$dir"; exit "$rc"; }
vmlinux=$(truth "$dir" .vmlinux)
"$SLABSCOPE" check --json "$dir/vmcore.mdf" >"$TMP/c.json" 2>/dev/null || true
"$HOST" --file "$dir/vmcore.mdf" "$vmlinux" check >"$TMP/h.json" 2>/dev/null || true
check "ss_analysis_open: the document is the CLI's, source included" \
	cmp -s <(jq -S . "$TMP/c.json") <(jq -S . "$TMP/h.json")
"$HOST" --file "$dir/vmcore.mdf" "" check >"$TMP/h.json" 2>/dev/null || true
check "ss_analysis_open without a vmlinux finds it as the CLI does" \
	cmp -s <(jq -S . "$TMP/c.json") <(jq -S . "$TMP/h.json")

# ---- a host's read errors are its own: on a makedumpfile dump missing
# pages (7.x drops some slab pages), the findings are the same but for the
# wording of the read errors
dir=$(fixture sid-corrupt) || { rc=$?; echo "$dir"; exit "$rc"; }
vmlinux=$(truth "$dir" .vmlinux)
"$SLABSCOPE" check --json "$dir/vmcore.mdf" >"$TMP/c.json" 2>/dev/null || true
"$HOST" "$dir/vmcore.mdf" "$vmlinux" check >"$TMP/h.json" 2>"$TMP/h.err" || true
check_eq "lossy dump: the same findings (kind, cache, object)" \
	"$(jq -c '[.findings[] | [.id, .cache, .object]]' "$TMP/c.json")" \
	"$(jq -c '[.findings[] | [.id, .cache, .object]]' "$TMP/h.json")"
check "lossy dump: the host's faults were findings, not failures" \
	grep -qE 'reads, [1-9][0-9]* faults' "$TMP/h.err"

# ---- errors are values: a wrong vmlinux, no read callback
other=$(truth "$(fixture bullseye-clean)" .vmlinux)
rc=0
"$HOST" "$dir/vmcore.elf" "$other" caches >/dev/null 2>"$TMP/e" || rc=$?
check_eq "another kernel's vmlinux: exit 2" 2 "$rc"
check "another kernel's vmlinux: a mismatch error naming it" \
	grep -q "does not belong to host.c.*(mismatch)" "$TMP/e"
rc=0
"$HOST" "$dir/vmcore.elf" /nonexistent caches >/dev/null 2>"$TMP/e" || rc=$?
check_eq "a missing vmlinux: exit 2" 2 "$rc"
check "a missing vmlinux: named" grep -q "/nonexistent" "$TMP/e"

finish
