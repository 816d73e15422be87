#!/usr/bin/env bash
# Corrupted kernel slab state in a real dump (issue 9): the fixture module's
# corrupt scenario damages one dedicated cache per fault in a running SLUB
# kernel (a cycle in a node partial list, slab_cache of two slabs pointing at
# garbage, objects/inuse of 0 and all ones, freelists looping onto
# themselves, kmem_cache.name pointing to unmapped memory; and the task
# list skipping one kernel thread).  Each fault is
# one finding at the damaged slab, object or pointer (truth.json .corrupt),
# nothing else in the dump is reported, and the rest of the dump, the
# damaged caches included, is counted right: every other cache equals the
# drgn oracle, the damaged ones equal what their slabs really hold.  The
# same on the SLAB kernel (slab-corrupt), where kmem_cache.num 0 and 65535
# stand in for the per-slab counters SLAB does not have.
. "$(dirname "$0")/lib.sh"

dir=$(fixture corrupt) || { rc=$?; echo "$dir"; exit "$rc"; }
sdir=$(fixture slab-corrupt) || { rc=$?; echo "$sdir"; exit "$rc"; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# ct FAULT [N]: the Nth (default 0) truth entry of that fault
ct() { jq -c --arg f "$1" "[.corrupt[] | select(.fault == \$f)][${2:-0}]" "$dir/truth.json"; }
field() { jq -r ".$2" <<<"$1"; }

check_eq "truth: 9 corrupt entries" 9 "$(truth "$dir" '.corrupt | length')"

for file in vmcore.mdf vmcore.elf vmcore.kdump; do
	t="corrupt/$file"
	run_ss check --json "$dir/$file"
	check_eq "$t: exit status 1 (findings)" 1 "$rc"
	check_eq "$t: nothing on stderr" "" "$err"
	j=$out
	# the findings, for the formats to agree on (source names the file)
	jq 'del(.source)' <<<"$j" >"$TMP/check-$file.json"

	# A cycle in the node partial list: list-corrupt at the stray link.
	c=$(ct partial_cycle)
	f=$(jq -c --arg a "$(field "$c" cache_addr)" '[.findings[] | select(.id == "list-corrupt" and .cache_address == $a)]' <<<"$j")
	check_eq "$t: partial cycle: one list-corrupt finding" 1 "$(jq length <<<"$f")"
	check_eq "$t: partial cycle: at the stray next pointer" \
		"$(field "$c" link_addr)" "$(jq -r '.[0].address' <<<"$f")"
	check "$t: partial cycle: names the node partial list" \
		grep -q "node $(field "$c" node) partial list" <<<"$(jq -r '.[0].message' <<<"$f")"

	# slab_cache garbage: slab-cache-invalid on each slab, with the value.
	for i in 0 1; do
		c=$(ct slab_cache $i)
		f=$(jq -c --arg s "$(field "$c" slab)" '[.findings[] | select(.id == "slab-cache-invalid" and .slab == $s)]' <<<"$j")
		check_eq "$t: slab_cache $i: slab-cache-invalid on $(field "$c" slab)" 1 "$(jq length <<<"$f")"
		check_eq "$t: slab_cache $i: the bad value" "$(field "$c" value)" "$(jq -r '.[0].value' <<<"$f")"
	done
	# ... and the cache that lost them says its node counter is short.
	f=$(jq -c --arg a "$(field "$(ct slab_cache)" cache_addr)" '[.findings[] | select(.cache_address == $a)]' <<<"$j")
	check_eq "$t: slab_cache: the owner's nr_slabs counter-mismatch" counter-mismatch "$(jq -r '.[0].id' <<<"$f")"
	check "$t: slab_cache: the owner's finding points at slab-cache-invalid" \
		grep -q slab-cache-invalid <<<"$(jq -r '.[0].message' <<<"$f")"

	# objects 0 / all ones: one counter-mismatch per slab, analysed as full.
	for i in 0 1; do
		c=$(ct objects $i)
		f=$(jq -c --arg s "$(field "$c" slab)" '[.findings[] | select(.slab == $s)]' <<<"$j")
		check_eq "$t: objects $(field "$c" objects): one finding on the slab" 1 "$(jq length <<<"$f")"
		check_eq "$t: objects $(field "$c" objects): counter-mismatch" counter-mismatch "$(jq -r '.[0].id' <<<"$f")"
		check "$t: objects $(field "$c" objects): message has the claim and the capacity" \
			grep -q "claims $(field "$c" objects) objects (inuse $(field "$c" inuse)).*hold $(field "$c" objects_per_slab) objects" \
			<<<"$(jq -r '.[0].message' <<<"$f")"
	done

	# Looping freelists: freelist-cycle at the looping pointer.
	for i in 0 1; do
		c=$(ct freelist_loop $i)
		f=$(jq -c --arg s "$(field "$c" slab)" '[.findings[] | select(.slab == $s)]' <<<"$j")
		check_eq "$t: loop $(field "$c" loop): one finding on the slab" 1 "$(jq length <<<"$f")"
		check_eq "$t: loop $(field "$c" loop): freelist-cycle" freelist-cycle "$(jq -r '.[0].id' <<<"$f")"
		check_eq "$t: loop $(field "$c" loop): at the looping pointer" \
			"$(field "$c" freeptr_addr)" "$(jq -r '.[0].address' <<<"$f")"
		check_eq "$t: loop $(field "$c" loop): the object reached twice" \
			"$(field "$c" next_new)" "$(jq -r '.[0].object' <<<"$f")"
	done

	# Unreadable name: a warning on the cache, which is still analysed.
	c=$(ct name)
	f=$(jq -c --arg a "$(field "$c" cache_addr)" '[.findings[] | select(.cache_address == $a)]' <<<"$j")
	check_eq "$t: name: one finding on the cache" 1 "$(jq length <<<"$f")"
	check_eq "$t: name: unreadable" unreadable "$(jq -r '.[0].id' <<<"$f")"
	check_eq "$t: name: shown as ?" "?" "$(jq -r '.[0].cache' <<<"$f")"
	check_eq "$t: name: at kmem_cache.name" "$(field "$c" name_addr)" "$(jq -r '.[0].address' <<<"$f")"
	check "$t: name: message has the bad pointer" \
		grep -q "$(field "$c" new)" <<<"$(jq -r '.[0].message' <<<"$f")"

	# Nothing else: 9 findings, all on the damaged caches and slabs.
	check_eq "$t: 9 findings in all" 9 "$(jq '.findings | length' <<<"$j")"
	check_eq "$t: 8 errors, 1 warning" "8 1" "$(jq -r '"\(.summary.errors) \(.summary.warnings)"' <<<"$j")"
done
check "corrupt: check --json agrees on mdf, ELF and kdump" \
	cmp -s "$TMP/check-vmcore.mdf.json" "$TMP/check-vmcore.elf.json"
check "corrupt: check --json agrees on mdf and kdump" \
	cmp -s "$TMP/check-vmcore.mdf.json" "$TMP/check-vmcore.kdump.json"

# The rest is counted right.  The damaged caches: what their slabs hold.
run_ss caches --json "$dir/vmcore.mdf"
check_eq "caches: exit status 0" 0 "$rc"
caches=$out
counts() { # ADDR -> "slabs total allocated"
	jq -r --arg a "$1" '.caches[] | select(.address == $a) | "\(.slabs) \(.total_objects) \(.allocated)"' <<<"$caches"
}
per() { field "$(ct "$1")" objects_per_slab; }
# partial cycle: 4 full slabs less 2 objects each, and the CPU slab with 1
n=$(per partial_cycle)
check_eq "caches: the cycled cache, every slab counted" \
	"5 $((5 * n)) $((4 * n - 8 + 1))" "$(counts "$(field "$(ct partial_cycle)" cache_addr)")"
# objects: 2 full slabs analysed as full, and the CPU slab with 1
n=$(per objects)
check_eq "caches: the cache with bad objects counts, analysed as full" \
	"3 $((3 * n)) $((2 * n + 1))" "$(counts "$(field "$(ct objects)" cache_addr)")"
# slab_cache: the 2 full slabs are no longer its own; the CPU slab with 1
n=$(per slab_cache)
check_eq "caches: the cache that lost two slabs" \
	"1 $n 1" "$(counts "$(field "$(ct slab_cache)" cache_addr)")"
# unreadable name: 1 full slab and the CPU slab with 1
n=$(per name)
check_eq "caches: the cache without a name" \
	"2 $((2 * n)) $((n + 1))" "$(counts "$(field "$(ct name)" cache_addr)")"
check_eq "caches: the cache without a name is called ?" "?" \
	"$(jq -r --arg a "$(field "$(ct name)" cache_addr)" '.caches[] | select(.address == $a) | .name' <<<"$caches")"
# looping freelists: 3 slabs; the self-looping one loses an object to unknown
n=$(per freelist_loop)
check_eq "caches: the cache with looping freelists, 3 slabs" \
	"3 $((3 * n))" "$(counts "$(field "$(ct freelist_loop)" cache_addr)" | cut -d' ' -f1-2)"


# The task list skips one kernel thread forwards: tasks reaches every task
# from both ends (nothing unreachable) and says where the list is broken.
c=$(ct task_list)
# The stopped walk is a finding (exit 1); its warning is on stderr, a
# field in JSON, never among the results on stdout; the counts add up.
run_ss tasks --json "$dir/vmcore.mdf"
check_eq "corrupt: tasks: exit status 1 (the broken list is a finding)" 1 "$rc"
check_eq "corrupt: tasks: no task called unreachable" 0 "$(jq '.unreachable | length' <<<"$out")"
check "corrupt: tasks: the warning names the stray link" \
	grep -q "broken.*entry $(field "$c" link_addr) points to $(field "$c" link_new)" <<<"$(jq -r .warning <<<"$out")"
check_eq "corrupt: tasks: allocated = reachable + unreachable" \
	"$(jq '.allocated' <<<"$out")" "$(jq '.reachable + (.unreachable | length)' <<<"$out")"
run_ss tasks "$dir/vmcore.mdf"
check_eq "corrupt: tasks text: exit status 1" 1 "$rc"
check "corrupt: tasks text: the warning is on stderr" \
	grep -q "^slabscope: warning: $dir/vmcore.mdf: a task list walk stopped early: .*broken" <<<"$err"
check "corrupt: tasks text: no warning on stdout" eval '! grep -qi "warning\|stopped early" <<<"$out"'

# Every other cache equals the drgn oracle (it walks every page and freelist).
vmlinux=$(truth "$dir" .vmlinux)
if /usr/bin/python3 "$SRCDIR/tests/oracles/drgn_slab_counts.py" "$dir/vmcore.mdf" \
	"$vmlinux" >"$TMP/drgn.json" 2>"$TMP/drgn.err"; then
	pass "drgn oracle ran on the corrupt dump"
	bad=$(jq -r '[.corrupt[].cache_addr // empty] | unique | join(" ")' "$dir/truth.json")
	diffs=$(jq -r --slurpfile d "$TMP/drgn.json" --arg bad "$bad" '
		($bad | split(" ")) as $skip
		| .caches[] | select(.address as $a | $skip | index($a) | not)
		| . as $c | ($d[0].caches | to_entries[] | select(.value.address == $c.address) | .value) as $o
		| select($o.slabs != $c.slabs or $o.total != $c.total_objects or $o.allocated != $c.allocated)
		| "\($c.name): slabscope \($c.slabs)/\($c.total_objects)/\($c.allocated) drgn \($o.slabs)/\($o.total)/\($o.allocated)"' <<<"$caches")
	check_eq "every undamaged cache equals drgn (slabs/total/allocated)" "" "$diffs"
	check_eq "as many undamaged caches as drgn sees" \
		"$(jq --arg bad "$bad" '[.caches[] | select(.address as $a | $bad | split(" ") | index($a) | not)] | length' "$TMP/drgn.json")" \
		"$(jq --arg bad "$bad" '[.caches[] | select(.address as $a | $bad | split(" ") | index($a) | not)] | length' <<<"$caches")"
else
	fail "drgn oracle ran on the corrupt dump: $(tail -n 1 "$TMP/drgn.err")"
fi

# whatis in a slab whose cache pointer is garbage: answered, not an error.
c=$(ct slab_cache)
run_ss whatis "$dir/vmcore.mdf" "$(field "$c" slab_addr)"
check_eq "whatis in an orphaned slab: exit 0" 0 "$rc"
check "whatis in an orphaned slab: says the cache pointer is bad" \
	grep -q "cache pointer is bad" <<<"$out"

# ---- SLAB ----
dir=$sdir
check_eq "slab: truth: 7 corrupt entries" 7 "$(truth "$dir" '.corrupt | length')"
for file in vmcore.mdf vmcore.elf; do
	t="slab-corrupt/$file"
	run_ss check --json "$dir/$file"
	check_eq "$t: exit status 1 (findings)" 1 "$rc"
	check_eq "$t: nothing on stderr" "" "$err"
	j=$out

	c=$(ct partial_cycle)
	f=$(jq -c --arg a "$(field "$c" cache_addr)" '[.findings[] | select(.cache_address == $a)]' <<<"$j")
	check_eq "$t: partial cycle: one finding on the cache" 1 "$(jq length <<<"$f")"
	check_eq "$t: partial cycle: list-corrupt" list-corrupt "$(jq -r '.[0].id' <<<"$f")"
	check_eq "$t: partial cycle: at the stray next pointer" \
		"$(field "$c" link_addr)" "$(jq -r '.[0].address' <<<"$f")"

	# slab_cache garbage: filed under the cache whose list holds them.
	for i in 0 1; do
		c=$(ct slab_cache $i)
		f=$(jq -c --arg s "$(field "$c" slab)" '[.findings[] | select(.slab == $s)]' <<<"$j")
		check_eq "$t: slab_cache $i: one finding on the slab" 1 "$(jq length <<<"$f")"
		check_eq "$t: slab_cache $i: slab-cache-invalid" slab-cache-invalid "$(jq -r '.[0].id' <<<"$f")"
		check_eq "$t: slab_cache $i: the bad value" "$(field "$c" value)" "$(jq -r '.[0].value' <<<"$f")"
		check_eq "$t: slab_cache $i: under the cache whose list holds it" \
			"$(field "$c" cache_addr)" "$(jq -r '.[0].cache_address' <<<"$f")"
	done
	f=$(jq -c --arg a "$(field "$(ct slab_cache)" cache_addr)" '[.findings[] | select(.cache_address == $a)]' <<<"$j")
	check_eq "$t: slab_cache: nothing else on that cache" 2 "$(jq length <<<"$f")"

	# kmem_cache.num 0 and 65535: one finding each, at the field.
	for i in 0 1; do
		c=$(ct num $i)
		f=$(jq -c --arg a "$(field "$c" cache_addr)" '[.findings[] | select(.cache_address == $a)]' <<<"$j")
		check_eq "$t: num $(field "$c" new): one finding on the cache" 1 "$(jq length <<<"$f")"
		check_eq "$t: num $(field "$c" new): counter-mismatch" counter-mismatch "$(jq -r '.[0].id' <<<"$f")"
		check_eq "$t: num $(field "$c" new): at kmem_cache.num" "$(field "$c" num_addr)" "$(jq -r '.[0].address' <<<"$f")"
		check "$t: num $(field "$c" new): analysed as the real num" \
			grep -q "analysed as $(field "$c" old) " <<<"$(jq -r '.[0].message' <<<"$f")"
	done

	c=$(ct name)
	f=$(jq -c --arg a "$(field "$c" cache_addr)" '[.findings[] | select(.cache_address == $a)]' <<<"$j")
	check_eq "$t: name: one unreadable finding" "unreadable ?" "$(jq -r '.[0] | "\(.id) \(.cache)"' <<<"$f")"

	check_eq "$t: 6 findings in all" 6 "$(jq '.findings | length' <<<"$j")"
done

run_ss caches --json "$dir/vmcore.mdf"
check_eq "slab caches: exit status 0" 0 "$rc"
caches=$out
n=$(field "$(ct partial_cycle)" objects_per_slab)
check_eq "slab caches: the cycled cache, every slab counted" \
	"4 $((4 * n)) $((4 * n - $(field "$(ct partial_cycle)" freed)))" \
	"$(counts "$(field "$(ct partial_cycle)" cache_addr)")"
for i in 0 1; do
	c=$(ct num $i)
	n=$(field "$c" old)
	check_eq "slab caches: num $(field "$c" new): counted with num $n" \
		"3 $((3 * n)) $((2 * n + 1))" "$(counts "$(field "$c" cache_addr)")"
done
n=$(per slab_cache)
check_eq "slab caches: the cache that lost two slabs" \
	"1 $n $n" "$(counts "$(field "$(ct slab_cache)" cache_addr)")"
n=$(per name)
check_eq "slab caches: the cache without a name" \
	"2 $((2 * n)) $((n + 1))" "$(counts "$(field "$(ct name)" cache_addr)")"


# The task list skips one kernel thread forwards: tasks reaches every task
# from both ends (nothing unreachable) and says where the list is broken.
c=$(ct task_list)
# The stopped walk is a finding (exit 1); its warning is on stderr, a
# field in JSON, never among the results on stdout; the counts add up.
run_ss tasks --json "$dir/vmcore.mdf"
check_eq "slab-corrupt: tasks: exit status 1 (the broken list is a finding)" 1 "$rc"
check_eq "slab-corrupt: tasks: no task called unreachable" 0 "$(jq '.unreachable | length' <<<"$out")"
check "slab-corrupt: tasks: the warning names the stray link" \
	grep -q "broken.*entry $(field "$c" link_addr) points to $(field "$c" link_new)" <<<"$(jq -r .warning <<<"$out")"
check_eq "slab-corrupt: tasks: allocated = reachable + unreachable" \
	"$(jq '.allocated' <<<"$out")" "$(jq '.reachable + (.unreachable | length)' <<<"$out")"
run_ss tasks "$dir/vmcore.mdf"
check_eq "slab-corrupt: tasks text: exit status 1" 1 "$rc"
check "slab-corrupt: tasks text: the warning is on stderr" \
	grep -q "^slabscope: warning: $dir/vmcore.mdf: a task list walk stopped early: .*broken" <<<"$err"
check "slab-corrupt: tasks text: no warning on stdout" eval '! grep -qi "warning\|stopped early" <<<"$out"'

finish
