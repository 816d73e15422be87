#!/usr/bin/env bash
# slabscope diff on a baseline and a grown dump of the same kernel: the
# planted kmalloc-512 and task_struct growth rank first with the right
# deltas; snapshots and dumps give the same answer; thresholds set the exit
# status.
. "$(dirname "$0")/lib.sh"

base=$(fixture baseline)
grown=$(fixture planted)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run_ss diff --json "$base/vmcore.mdf" "$grown/vmcore.mdf"
check_eq "exit status 0 without thresholds" 0 "$rc"
j=$out
check_eq "each side: a dump, what it is" \
	"dump $base/vmcore.mdf $(truth "$base" .guest.release) dump $grown/vmcore.mdf SLUB" \
	"$(jq -r '"\(.before.kind) \(.before.source.dump) \(.before.source.release) \(.after.kind) \(.after.path) \(.after.source.allocator)"' <<<"$j")"
leak=$(truth "$grown" .leak.count)
d512=$(jq '.caches[] | select(.name == "kmalloc-512") | .delta' <<<"$j")
check "kmalloc-512 grew by the $leak leaked objects (delta $d512)" \
	test "$d512" -ge "$leak" -a "$d512" -le $((leak + 50))
check_eq "kmalloc-512 ranks first by memory" kmalloc-512 "$(jq -r '.caches[0].name' <<<"$j")"
dtask=$(jq '.caches[] | select(.name == "task_struct") | .delta' <<<"$j")
ntask=$(truth "$grown" .task_leak.count)
check "task_struct grew by about the $ntask leaked tasks (delta $dtask)" \
	test "$dtask" -ge $((ntask - 3)) -a "$dtask" -le $((ntask + 3))
check_eq "task_struct ranks second by memory" task_struct "$(jq -r '.caches[1].name' <<<"$j")"
check_eq "planted caches are new" new \
	"$(jq -r '.caches[] | select(.name == "slabscope_debug") | .status' <<<"$j")"
check_eq "--sort delta: kmalloc-512 first" kmalloc-512 \
	"$("$SLABSCOPE" diff --json --sort delta "$base/vmcore.mdf" "$grown/vmcore.mdf" | jq -r '.caches[0].name')"

# Snapshots give the same numbers as dumps.
"$SLABSCOPE" caches --json "$base/vmcore.mdf" >"$tmp/base.json"
"$SLABSCOPE" caches --json "$grown/vmcore.kdump" >"$tmp/grown.json"
run_ss diff --json "$tmp/base.json" "$tmp/grown.json"
check_eq "snapshots: same kmalloc-512 delta" "$d512" \
	"$(jq '.caches[] | select(.name == "kmalloc-512") | .delta' <<<"$out")"
run_ss diff --json "$tmp/base.json" "$grown/vmcore.elf"
check_eq "snapshot vs dump: same task_struct delta" "$dtask" \
	"$(jq '.caches[] | select(.name == "task_struct") | .delta' <<<"$out")"
check_eq "snapshot side: caches-json, with the dump it was saved from" \
	"caches-json $tmp/base.json $base/vmcore.mdf" \
	"$(jq -r '"\(.before.kind) \(.before.path) \(.before.source.dump)"' <<<"$out")"
# A snapshot saved before documents carried "source" is still read.
jq 'del(.schema, .source)' "$tmp/base.json" >"$tmp/old.json"
run_ss diff --json "$tmp/old.json" "$grown/vmcore.elf"
check_eq "an unversioned snapshot: same delta, source unknown" "$dtask null" \
	"$(jq -r '"\(.caches[] | select(.name == "task_struct") | .delta) \(.before.source)"' <<<"$out")"

# /proc/slabinfo copies are snapshots too.
{
	echo "slabinfo - version: 2.1"
	echo "# name <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>"
	echo "task_struct           50     60   8328    3    8 : tunables    0    0    0 : slabdata     20     20      0"
	echo "kmalloc-512          200    224    512   16    2 : tunables    0    0    0 : slabdata     14     14      0"
} >"$tmp/slabinfo"
run_ss diff --json "$tmp/slabinfo" "$grown/vmcore.mdf"
check_eq "slabinfo before: kmalloc-512 delta" \
	$(($(jq '.caches[] | select(.name == "kmalloc-512") | .allocated' "$tmp/grown.json") - 200)) \
	"$(jq '.caches[] | select(.name == "kmalloc-512") | .delta' <<<"$out")"
check_eq "slabinfo before: a cache it lacks is new" new \
	"$(jq -r '.caches[] | select(.name == "dentry") | .status' <<<"$out")"
check_eq "slabinfo before: kind slabinfo, source unknown" "slabinfo null" \
	"$(jq -r '"\(.before.kind) \(.before.source)"' <<<"$out")"

# Thresholds.
run_ss diff --fail-if 'task_struct>+10%' "$base/vmcore.mdf" "$grown/vmcore.mdf"
check_eq "task_struct>+10% crossed: exit 1" 1 "$rc"
check "text names the crossing cache" grep -q 'threshold task_struct>+10% crossed by: task_struct' <<<"$out"
run_ss diff --fail-if 'task_struct>+90%' --fail-if 'dentry>+1000' "$base/vmcore.mdf" "$grown/vmcore.mdf"
check_eq "thresholds not crossed: exit 0" 0 "$rc"
run_ss diff --json --fail-if 'kmalloc-*>+1M' "$tmp/base.json" "$tmp/grown.json"
check_eq "kmalloc-*>+1M crossed: exit 1" 1 "$rc"
check_eq "crossed by kmalloc-512 only" '["kmalloc-512"]' "$(jq -c '.thresholds[0].caches' <<<"$out")"
run_ss diff --fail-if 'task_struct>>3' "$tmp/base.json" "$tmp/grown.json"
check_eq "bad rule: exit 2" 2 "$rc"
run_ss diff "$tmp/base.json"
check_eq "one operand: exit 2" 2 "$rc"
echo '{"caches": 3}' >"$tmp/bad.json"
run_ss diff "$tmp/bad.json" "$tmp/grown.json"
check_eq "malformed snapshot: exit 2" 2 "$rc"
check "malformed snapshot: message names it" grep -q "$tmp/bad.json" <<<"$err"

finish
