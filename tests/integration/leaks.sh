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
# --free groups the free objects by who freed them: the heading says so
# (it said "by allocation call site"), and the groups hold every free one
run_ss leaks --free --cache kmalloc-512 "$dir/vmcore.mdf"
check "--free: text groups by free call site" \
	grep -q '^kmalloc-512: [0-9]* free objects in [0-9]* groups, by free call site (SLAB_STORE_USER tracks)$' <<<"$out"
check "--free: text does not say allocation" eval '! grep -q allocation <<<"$out"'
run_ss leaks --free --stack --cache kmalloc-512 "$dir/vmcore.mdf"
check "--free --stack: text groups by free stack" grep -q ', by free stack (SLAB_STORE_USER tracks)$' <<<"$out"
run_ss leaks --free --json --top 1000 --cache kmalloc-512 "$dir/vmcore.mdf"
nfree=$("$SLABSCOPE" objects --json --state free --cache kmalloc-512 "$dir/vmcore.mdf" | jq '.objects | length')
check_eq "--free: JSON state" free "$(jq -r .state <<<"$out")"
check_eq "--free: every free object (objects --state free) in a group" "$nfree $nfree" \
	"$(jq '.objects' <<<"$out") $(jq '[.groups[].count] | add' <<<"$out")"
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
