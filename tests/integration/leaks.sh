#!/usr/bin/env bash
# slabscope leaks names the planting function of the kmalloc-512 leak with
# its exact count when the cache keeps tracks (slub_debug=U,kmalloc-512),
# and still singles the leak out by content without tracks.
. "$(dirname "$0")/lib.sh"

dir=$(fixture leak-tracked)
fn=$(truth "$dir" .leak.function)
count=$(truth "$dir" .leak.count)
for file in vmcore.mdf vmcore.kdump; do
	run_ss leaks --json --cache kmalloc-512 "$dir/$file"
	check_eq "tracked $file: exit 0" 0 "$rc"
	check_eq "tracked $file: method" track "$(jq -r .method <<<"$out")"
	check_eq "tracked $file: the leak is the first group" \
		"$fn [slabscope_fixture]" "$(jq -r '.groups[0].site | sub("\\+0x[0-9a-f]+ "; " ")' <<<"$out")"
	check_eq "tracked $file: exact count" "$count" "$(jq '.groups[0].count' <<<"$out")"
	check "tracked $file: ages are set" test "$(jq '.groups[0].age_max_s != null' <<<"$out")" = true
	check "tracked $file: pid range" test "$(jq '.groups[0].pid_min' <<<"$out")" -gt 0
done
run_ss leaks --json --stack --cache kmalloc-512 "$dir/vmcore.mdf"
check_eq "--stack: the leak is the first group" "$count" "$(jq '.groups[0].count' <<<"$out")"
check "--stack: its stack names the planting function" \
	jq -e --arg f "$fn" '.groups[0].stack | any(startswith($f))' <<<"$out"
run_ss leaks --json --content --cache kmalloc-512 "$dir/vmcore.mdf"
check_eq "--content on a tracked cache: method" content "$(jq -r .method <<<"$out")"
examples=$(truth "$dir" '.leak.examples[]')
run_ss leaks --json --top 1 --cache kmalloc-512 "$dir/vmcore.mdf"
for a in $(jq -r '.groups[0].examples[]' <<<"$out"); do
	check "track group example $a is a leaked object" \
		test "$("$SLABSCOPE" whatis --json "$dir/vmcore.mdf" "$a" | jq -r '.addresses[0].cache')" = kmalloc-512
done

for scenario in planted la57; do
	dir=$(fixture "$scenario")
	run_ss leaks --json --cache kmalloc-512 "$dir/vmcore.mdf"
	check_eq "$scenario untracked: method" content "$(jq -r .method <<<"$out")"
	check_eq "$scenario untracked: the tag group is first" \
		"tag:$(truth "$dir" .leak.tag)" "$(jq -r '.groups[0].signature' <<<"$out")"
	check_eq "$scenario untracked: its count" "$(truth "$dir" .leak.count)" \
		"$(jq '.groups[0].count' <<<"$out")"
done

dir=$(fixture planted)
run_ss leaks --cache kmalloc-512 "$dir/vmcore.mdf"
check "text says the method" grep -q 'by content signature' <<<"$out"
run_ss leaks "$dir/vmcore.mdf"
check_eq "without --cache: exit 2" 2 "$rc"
run_ss leaks --cache nope "$dir/vmcore.mdf"
check_eq "unknown cache: exit 2" 2 "$rc"

finish
