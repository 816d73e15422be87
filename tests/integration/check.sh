#!/usr/bin/env bash
# slabscope check on real dumps: every planted fault is found with the right
# id, cache and object; dumps with nothing planted give no finding, even
# booted with slub_debug=FZPU (every cache red-zoned, poisoned, tracked).
. "$(dirname "$0")/lib.sh"

# has_finding JSON ID CACHE OBJECT: a finding with these fields exists.
has_finding() {
	jq -e --arg id "$2" --arg c "$3" --arg o "$4" \
		'any(.findings[]; .id == $id and .cache == $c and .object == $o)' \
		<<<"$1" >/dev/null
}

for scenario in planted la57; do
	dir=$(fixture "$scenario")
	for file in vmcore.mdf vmcore.elf; do
		t="$scenario/$file"
		run_ss check --json "$dir/$file"
		check_eq "$t: exit status 1 (findings)" 1 "$rc"
		j=$out

		# Red zone: the allocated object, its first bad byte, the bytes.
		obj=$(truth "$dir" '.redzone[0].object')
		bad=$(truth "$dir" '.redzone[0].bad_addr')
		check "$t: redzone-overwritten on $obj" \
			has_finding "$j" redzone-overwritten slabscope_debug "$obj"
		f=$(jq -c --arg o "$obj" '.findings[] | select(.object == $o and .id == "redzone-overwritten")' <<<"$j")
		check_eq "$t: redzone first bad byte" "$bad" "$(jq -r .address <<<"$f")"
		check_eq "$t: redzone found byte" "$(truth "$dir" '.redzone[0].new')" \
			"$(jq -r '.found[0:2]' <<<"$f")"
		check_eq "$t: redzone expected byte" cc "$(jq -r '.expected[0:2]' <<<"$f")"
		check_eq "$t: redzone culprit is the object itself" "$obj" \
			"$(jq -r .culprit.object <<<"$f")"
		check "$t: redzone culprit has an alloc track with a stack" \
			test "$(jq '.culprit.alloc.stack | length' <<<"$f")" -gt 0
		check_eq "$t: redzone culprit relation" own-payload-overflow \
			"$(jq -r .culprit.relation <<<"$f")"

		# Use after free: poison of the freed object.
		obj=$(truth "$dir" '.use_after_free[0].object')
		bad=$(truth "$dir" '.use_after_free[0].bad_addr')
		check "$t: poison-overwritten on $obj" \
			has_finding "$j" poison-overwritten slabscope_debug "$obj"
		f=$(jq -c --arg o "$obj" '.findings[] | select(.object == $o and .id == "poison-overwritten")' <<<"$j")
		check_eq "$t: poison first bad byte" "$bad" "$(jq -r .address <<<"$f")"
		check_eq "$t: poison found bytes" "$(truth "$dir" '.use_after_free[0].new')" \
			"$(jq -r '.found[0:16]' <<<"$f")"
		check "$t: use after free culprit has a free track" \
			test "$(jq -r '.culprit.free.symbol' <<<"$f")" != null
		check_eq "$t: use after free culprit relation" use-after-free \
			"$(jq -r .culprit.relation <<<"$f")"
		check_eq "$t: use after free relation as a sentence" \
			"was written after it was freed" "$(jq -r .culprit.relation_text <<<"$f")"

		check_freeptr_faults "$t" "$dir" "$j"
		n=$(truth "$dir" '.freeptr | length')
		check_eq "$t: nothing else found" \
			$((n + 2)) "$(jq '.findings | length' <<<"$j")"
		check_eq "$t: summary counts the findings" \
			"$(jq '.findings | length' <<<"$j")" "$(jq .summary.findings <<<"$j")"
	done
done

# Nothing planted: no finding, exit 0 (debug-clean runs with slub_debug=FZPU,
# so every red zone, poison byte and padding byte of every cache is checked).
for scenario in clean debug-clean baseline leak-tracked; do
	dir=$(fixture "$scenario")
	run_ss check --json "$dir/vmcore.mdf"
	check_eq "$scenario: exit status 0" 0 "$rc"
	check_eq "$scenario: no findings" 0 "$(jq '.summary.findings' <<<"$out")"
	check "$scenario: every cache checked" test "$(jq '.summary.caches' <<<"$out")" -gt 100
done

# Text output, --cache, errors.
dir=$(fixture planted)
run_ss check --cache slabscope_debug "$dir/vmcore.mdf"
check_eq "--cache: exit 1" 1 "$rc"
check "--cache: only that cache" test "$(grep -c 'ERROR' <<<"$out")" -eq 2
check "text: summary line" grep -q '^checked 1 caches, .*: 2 findings' <<<"$out"
check "text: culprit line" grep -q 'culprit: object' <<<"$out"
run_ss check --cache kmalloc-512 "$dir/vmcore.mdf"
check_eq "--cache of a clean cache: exit 0" 0 "$rc"
run_ss check --cache no-such "$dir/vmcore.mdf"
check_eq "--cache unknown: exit 2" 2 "$rc"
check "--cache unknown: names it" grep -q "no-such" <<<"$err"

finish
