#!/usr/bin/env bash
# Damaged dump data where analysis can go on (issue 9): a page whose
# compressed data in a kdump-compressed file is garbage.  slabscope reads
# around it: an `unreadable` warning names the slab and says the page is
# corrupt in the dump file, every planted fault is still found, every other
# cache counts exactly what it counts on the undamaged dump, and the
# damaged slab's objects are "unknown", not guessed.
. "$(dirname "$0")/lib.sh"

dir=$(fixture planted) || { rc=$?; echo "$dir"; exit "$rc"; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
edit=$SRCDIR/tests/integration/dumpedit.py

# The first page of a kmalloc-512 slab with free objects (on its own
# freelist or a CPU's): its free pointers must be read.  (A full slab, freelist and CPU freelist empty,
# is classified from its struct slab alone, without reading its pages:
# see the end.)
pob=$(truth "$dir" '.guest.page_offset_base')
slab=$("$SLABSCOPE" slabs --json --cache kmalloc-512 "$dir/vmcore.mdf" |
	jq -c 'first(.slabs[] | select(.free + .cpu_free > 0))')
obj=$(jq -r .memory <<<"$slab")
in_slab=$(jq -r .allocated <<<"$slab")
pfn=$(((obj - pob) / 4096))

for f in vmcore.mdf vmcore.kdump; do
	t="smashed $f"
	read -r off size flags < <(python3 "$edit" page "$dir/$f" "$pfn")
	check "$t: the page is in the dump ($off $size $flags)" test "$off" != excluded
	check "$t: the page is compressed (flags $flags)" test "${flags:-0}" -ne 0
	python3 "$edit" smash "$dir/$f" "$TMP/$f" "$pfn"

	run_ss check --json "$dir/$f"
	good=$out
	run_ss check --json "$TMP/$f"
	check_eq "$t: check exit status 1 (findings)" 1 "$rc"
	check_eq "$t: check says nothing on stderr" "" "$err"
	bad=$out
	w=$(jq -c '[.findings[] | select(.id == "unreadable")]' <<<"$bad")
	check_eq "$t: one unreadable warning" 1 "$(jq length <<<"$w")"
	check_eq "$t: on kmalloc-512" kmalloc-512 "$(jq -r '.[0].cache' <<<"$w")"
	check "$t: the warning says the page is corrupt in the file" \
		grep -q "is corrupt in the dump file" <<<"$(jq -r '.[0].message' <<<"$w")"
	g=$(jq -c '[.findings[] | select(.id == "dump-incomplete") | .cache]' <<<"$bad")
	check_eq "$t: kmalloc-512 is incomplete by that slab (dump-incomplete)" \
		'["kmalloc-512"]' "$g"
	check_eq "$t: the summary counts the one unreadable slab" 1 \
		"$(jq '.summary.dump_gaps.unreadable_slabs' <<<"$bad")"
	check_eq "$t: every other finding as on the undamaged dump" \
		"$(jq -c '[.findings[] | {id, object, address}]' <<<"$good")" \
		"$(jq -c '[.findings[] | select(.id != "unreadable" and .id != "dump-incomplete") | {id, object, address}]' <<<"$bad")"

	run_ss caches --json "$dir/$f"
	good=$out
	run_ss caches --json "$TMP/$f"
	check_eq "$t: caches exit status 0" 0 "$rc"
	bad=$out
	check_eq "$t: every other cache counts the same" \
		"$(jq -c '[.caches[] | select(.name != "kmalloc-512") | del(.problems)]' <<<"$good")" \
		"$(jq -c '[.caches[] | select(.name != "kmalloc-512") | del(.problems)]' <<<"$bad")"
	g=$(jq -c '.caches[] | select(.name == "kmalloc-512")' <<<"$good")
	b=$(jq -c '.caches[] | select(.name == "kmalloc-512")' <<<"$bad")
	check_eq "$t: kmalloc-512 keeps its slabs and objects" \
		"$(jq -c '[.slabs, .total_objects]' <<<"$g")" "$(jq -c '[.slabs, .total_objects]' <<<"$b")"
	check_eq "$t: kmalloc-512: the damaged slab's objects are unknown" \
		"$(jq '.objects_per_slab' <<<"$g")" "$(jq '.unknown' <<<"$b")"
	check_eq "$t: kmalloc-512: allocated less the slab's ($in_slab)" \
		"$(jq --argjson n "$in_slab" '.allocated - $n' <<<"$g")" "$(jq '.allocated' <<<"$b")"

	run_ss whatis "$TMP/$f" "$obj"
	check_eq "$t: whatis in the damaged page: exit 0" 0 "$rc"
	check "$t: whatis: the object's state is unknown" grep -q "(unknown)" <<<"$out"
	rm -f "$TMP/$f"
done

# A full slab's page damaged (a leaked object's): nothing in it decides
# its objects' states, so it is not read: the same counts, no warning.
full=$(truth "$dir" '.leak.examples[0]')
python3 "$edit" smash "$dir/vmcore.mdf" "$TMP/full.mdf" $(((full - pob) / 4096))
run_ss caches --json "$dir/vmcore.mdf"
good=$out
run_ss caches --json "$TMP/full.mdf"
check_eq "full slab's page smashed: caches exit 0" 0 "$rc"
check_eq "full slab's page smashed: the same counts" \
	"$(jq -c '[.caches[] | del(.problems)]' <<<"$good")" \
	"$(jq -c '[.caches[] | del(.problems)]' <<<"$out")"
rm -f "$TMP/full.mdf"

# A page of kmem_caches garbage in the file (task_struct's and its
# neighbours'): info's slab_caches walk stops there.  The warning is a
# diagnostic: on stderr, not among info's lines on stdout; in JSON the
# caches_warning field; exit status 0 (check reports the damage).
kc=$("$SLABSCOPE" caches --json --cache task_struct "$dir/vmcore.mdf" | jq -r '.caches[0].address')
python3 "$edit" smash "$dir/vmcore.mdf" "$TMP/kc.mdf" $(((kc - pob) / 4096))
run_ss info "$TMP/kc.mdf"
check_eq "kmem_cache page smashed: info exits 0" 0 "$rc"
check "kmem_cache page smashed: info warns on stderr" \
	grep -q "^slabscope: warning: $TMP/kc.mdf: the slab_caches walk stopped early" <<<"$err"
check "kmem_cache page smashed: no warning on stdout" eval '! grep -qi warning <<<"$out"'
run_ss info --json "$TMP/kc.mdf"
check "kmem_cache page smashed: JSON caches_warning" \
	jq -e '.caches_warning | test("is corrupt in the dump file")' <<<"$out"
rm -f "$TMP/kc.mdf"

finish
