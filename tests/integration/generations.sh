#!/usr/bin/env bash
# Every kernel generation (5.10, 6.1, 6.12, 7.x) on its own fixtures:
#   info on planted (release, CPUs, allocator, caches), mdf and ELF;
#   check on clean (booted with slub_debug): no finding;
#   check on planted: every planted free pointer found at the truth's
#   object, and the red zone / use-after-free objects where the kernel's
#   debug flags are in effect;
#   check on corrupt: one finding per planted fault kind.
# The complete formats (ELF, QEMU's kdump) are checked; makedumpfile's
# output of 7.x kernels is lossy (see the README's support table).
# A generation whose fixtures are not in tests/integration/FIXTURES is
# skipped when they have not been generated (fixtures/mkdump SCENARIO
# makes them); listed ones are required under SLABSCOPE_REQUIRE_FIXTURES=1.
. "$(dirname "$0")/lib.sh"

# label scenario, one generation a line
generations="5.10 bullseye-planted
6.1 planted
6.12 trixie-planted
7.x sid-planted"

prefix_of() { case $1 in planted) echo "" ;; *) echo "${1%planted}" ;; esac; }
# has JSON JQ-ARGS...: jq -e on JSON, quietly
has() { local json=$1; shift; jq -e "$@" >/dev/null <<<"$json"; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
ran=0
while read -r label scenario; do
	generation_fixture dir "$label" "$scenario" || continue
	ran=$((ran + 1))
	vmlinux=$(truth "$dir" .vmlinux)
	release=$(truth "$dir" .kernel)
	cpus=$(truth "$dir" .guest.cpus)
	for file in vmcore.mdf vmcore.elf; do
		t="$label $scenario/$file"
		run_ss info --json -k "$vmlinux" "$dir/$file"
		check_eq "$t: exit status" 0 "$rc"
		check_eq "$t: no stderr" "" "$err"
		j() { jq -r "$1" <<<"$out" 2>/dev/null; }
		check_eq "$t: release" "$release" "$(j .release)"
		check_eq "$t: CPUs" "$cpus" "$(j .cpus)"
		check_eq "$t: allocator" SLUB "$(j .allocator)"
		caches=$(j .caches)
		check "$t: more than 100 caches ($caches)" test "${caches:-0}" -gt 100
	done
	pre=$(prefix_of "$scenario")
	for file in vmcore.elf vmcore.kdump; do
		# planted: each free pointer fault at its object; the red zone
		# and use-after-free ones where the debug flags take effect
		run_ss caches --json -k "$vmlinux" "$dir/$file"
		debug=$(jq -r '.caches[] | select(.name == "slabscope_debug") | .flags | index("RED_ZONE") != null' <<<"$out")
		run_ss check --json -k "$vmlinux" "$dir/$file"
		check_eq "$label $scenario/$file: exit 1" 1 "$rc"
		for b in $(truth "$dir" '.freeptr[].b'); do
			check "$label $scenario/$file: free pointer fault at $b" \
				has "$out" --arg b "$b" '[.findings[] | select(.id | startswith("freeptr-") or . == "freelist-cycle") | select(.object == $b)] | length > 0'
			# the overflowing neighbour A is the culprit
			a=$(truth "$dir" ".freeptr[] | select(.b == \"$b\") | .a")
			check "$label $scenario/$file: culprit of $b is A $a" \
				has "$out" --arg b "$b" --arg a "$a" '[.findings[] | select(.object == $b and .culprit.object == $a)] | length > 0'
		done
		[ "$debug" = true ] || echo "NOTE: $label: slabscope_debug's debug flags are not in effect (slub_debug_enabled off)"
		for o in $(truth "$dir" '(.redzone // [])[].object, (.use_after_free // [])[].object'); do
			[ "$debug" = true ] || continue
			check "$label $scenario/$file: debug fault at $o" \
				has "$out" --arg o "$o" '[.findings[] | select(.object == $o)] | length > 0'
		done
		if [ "$file" = vmcore.elf ]; then
			# objects: kmalloc-512's allocated objects, as caches counts
			run_ss caches --json -k "$vmlinux" "$dir/$file"
			want=$(jq '.caches[] | select(.name == "kmalloc-512") | .allocated' <<<"$out")
			run_ss objects --json --cache kmalloc-512 --state allocated -k "$vmlinux" "$dir/$file"
			check_eq "$label $scenario/$file: objects lists kmalloc-512's allocated" \
				"$want" "$(jq '[.. | objects | select(.state? == "allocated")] | length' <<<"$out")"
			# whatis: a leaked object, from inside it
			o=$(truth "$dir" '.leak.examples[0]')
			run_ss whatis --json -k "$vmlinux" "$dir/$file" "$(printf '0x%x' $((o + 100)))"
			check "$label $scenario/$file: whatis: leaked object, allocated" \
				has "$out" --arg o "$o" '[.. | objects | select(.cache? == "kmalloc-512" and .object? == $o and .state? == "allocated")] | length == 1'
			# diff: the leak's growth against the baseline
			if bdir=$(cached_fixture "${pre}baseline"); then
				run_ss diff --json -k "$vmlinux" "$bdir/$file" "$dir/$file"
				check "$label ${pre}baseline -> $scenario: kmalloc-512 grew by the leak" \
					has "$out" --argjson n "$(truth "$dir" .leak.count)" '[.caches[] | select(.name == "kmalloc-512") | .delta >= $n and .delta <= $n + 50] == [true]'
			fi
			# batch: one FAIL row (the planted faults) with JUnit
			run_ss batch -k "$vmlinux" --junit "$TMP/junit.xml" "$dir/$file"
			check_eq "$label $scenario/$file: batch exits 1" 1 "$rc"
			check "$label $scenario/$file: batch JUnit has a failure" grep -q '<failure' "$TMP/junit.xml"
		fi
		# tasks: the leaked task_structs, exactly
		want=$(truth "$dir" '.task_leak.tasks | length')
		run_ss tasks --json -k "$vmlinux" "$dir/$file"
		check_eq "$label $scenario/$file: unreachable task_structs" "$want" \
			"$(jq -r '.unreachable | if type == "array" then length else . end' <<<"$out")"
		# clean: no finding (the kernel's own counters agree on every cache)
		if cdir=$(cached_fixture "${pre}clean"); then
			run_ss check -k "$vmlinux" "$cdir/$file"
			check_eq "$label ${pre}clean/$file: exit 0" 0 "$rc"
			check "$label ${pre}clean/$file: 0 findings" grep -q ": 0 findings" <<<"$out"
		fi
		# leak-tracked: the leak's 3000 objects grouped by their
		# allocation stack from the stack depot
		if ldir=$(cached_fixture "${pre}leak-tracked"); then
			run_ss leaks --stack --json --cache kmalloc-512 --top 1 \
				-k "$(truth "$ldir" .vmlinux)" "$ldir/$file"
			check "$label ${pre}leak-tracked/$file: leak stack" \
				has "$out" --argjson n "$(truth "$ldir" .leak.count)" \
				'.groups[0].count == $n and ([.groups[0].stack[] | select(startswith("ssfx_ipmi_queue_rejected_reply"))] | length) == 1'
			# track ages: from tick_nsec, or on 7.x (none) from the
			# timekeeper; the leak is younger than a minute
			check "$label ${pre}leak-tracked/$file: track ages" \
				has "$out" '.groups[0].age_max_s != null and .groups[0].age_max_s < 60'
		fi
		# corrupt: every planted fault kind
		if kdir=$(cached_fixture "${pre}corrupt"); then
			run_ss check --json -k "$(truth "$kdir" .vmlinux)" "$kdir/$file"
			for id in list-corrupt slab-cache-invalid counter-mismatch freelist-cycle unreadable; do
				check "$label ${pre}corrupt/$file: $id" \
					has "$out" --arg id "$id" '[.findings[] | select(.id == $id)] | length > 0'
			done
		fi
	done
done <<<"$generations"

# An independent page scan: tests/oracles/drgn_slab_counts.py walks every
# struct page, freelist and sheaf with drgn.  slabscope's counts on the
# ELF dump equal it on every cache but the planted ones (caches.sh says
# what each side makes of those on 6.1).  drgn reads makedumpfile's
# output only: the complete vmcore.mdf0 where -d 31 is lossy.
if /usr/bin/python3 -c 'import drgn' 2>/dev/null; then
	while read -r label scenario; do
		for sc in "$scenario" "$(prefix_of "$scenario")clean"; do
			dir=$(cached_fixture "$sc") || continue
			vmlinux=$(truth "$dir" .vmlinux)
			odump=$dir/vmcore.mdf0
			[ -f "$odump" ] || odump=$dir/vmcore.mdf
			oracle=$(/usr/bin/python3 "$SRCDIR/tests/oracles/drgn_slab_counts.py" \
				"$odump" "$vmlinux" 2>&1) || { fail "$label $sc: drgn oracle: ${oracle##*$'\n'}"; continue; }
			run_ss caches --json -k "$vmlinux" "$dir/vmcore.elf"
			# files: a dump's JSON is longer than an argument may be
			printf '%s' "$oracle" >"$TMP/oracle.json"
			printf '%s' "$out" >"$TMP/caches.json"
			diff=$(oracle_diff "$TMP/oracle.json" "$TMP/caches.json" "$dir")
			n=$(jq '.caches | length' <<<"$out")
			check_eq "$label $sc: every cache ($n) equals drgn's page scan (slabs/total/allocated)" "" "$diff"
			check_eq "$label $sc: as many caches as drgn finds" \
				"$(jq '.caches | length' <<<"$oracle")" "$n"
		done
	done <<<"$generations"
else
	fail "python3-drgn is installed (scripts/DEPENDS)"
fi

# kmem_buckets (6.11+ with SLAB_BUCKETS): the private copies of the kmalloc
# caches are told apart from what they copy, by the bucket arrays.
for scenario in trixie-clean sid-clean; do
	dir=$(cached_fixture "$scenario") || continue
	run_ss caches --json -k "$(truth "$dir" .vmlinux)" "$dir/vmcore.elf"
	check "$scenario: memdup_user-64 is a kmem_buckets copy of kmalloc-64" \
		has "$out" '[.caches[] | select(.name == "memdup_user-64") | .bucket_of] == ["kmalloc-64"]'
	check "$scenario: no kmalloc cache is a copy" \
		has "$out" '[.caches[] | select(.name | startswith("kmalloc-")) | .bucket_of | select(. != null)] | length == 0'
	check "$scenario: 13 copies each of memdup_user and msg_msg" \
		has "$out" '[.caches[] | select(.bucket_of != null) | .name | sub("-[0-9]+k?$"; "")] | group_by(.) | map(length) == [13, 13]'
done
if dir=$(cached_fixture planted); then
	run_ss caches --json "$dir/vmcore.elf"
	check "6.1 planted: no kmem_buckets (no copies)" \
		has "$out" '[.caches[] | select(.bucket_of != null)] | length == 0'
fi

# KFENCE (6.12, booted with kfence.sample_interval=1): its one-object slabs
# are not counted as their caches' (the node counters do not count them).
if dir=$(cached_fixture trixie-kfence); then
	run_ss check -k "$(truth "$dir" .vmlinux)" "$dir/vmcore.kdump"
	check_eq "trixie-kfence: exit 0" 0 "$rc"
	check "trixie-kfence: 0 findings" grep -q ": 0 findings" <<<"$out"
fi

if [ "$ran" = 0 ] && [ "$nfail" = 0 ]; then
	echo "SKIP: no generation's fixture generated"
	exit 77
fi
finish
