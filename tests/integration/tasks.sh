#!/usr/bin/env bash
# slabscope tasks finds exactly the task_structs the fixture module leaked
# (get_task_struct on short-lived kthreads, never put), and none on a clean
# dump.
. "$(dirname "$0")/lib.sh"

# adds_up LABEL: the JSON in $out counts allocated = reachable +
# unreachable, and init_task apart (also_reached: 1 on an intact list).
adds_up() {
	check_eq "$1: allocated = reachable + unreachable" \
		"$(jq '.allocated' <<<"$out")" "$(jq '.reachable + (.unreachable | length)' <<<"$out")"
	check_eq "$1: init_task reached, counted apart" 1 "$(jq '.also_reached' <<<"$out")"
}

for scenario in planted la57; do
	dir=$(fixture "$scenario")
	run_ss tasks --json "$dir/vmcore.mdf"
	check_eq "$scenario: exit status 1" 1 "$rc"
	want=$(truth "$dir" '[.task_leak.tasks[].addr] | sort | join(" ")')
	got=$(jq -r '[.unreachable[].address] | sort | join(" ")' <<<"$out")
	check_eq "$scenario: exactly the leaked task_structs" "$want" "$got"
	want=$(truth "$dir" '[.task_leak.tasks[].pid] | sort | join(" ")')
	got=$(jq -r '[.unreachable[].pid] | sort | join(" ")' <<<"$out")
	check_eq "$scenario: their pids" "$want" "$got"
	check_eq "$scenario: one group, the leaking command" \
		"ssfx_leak $(truth "$dir" .task_leak.count)" \
		"$(jq -r '.groups[0] | "\(.prefix) \(.count)"' <<<"$out")"
	check_eq "$scenario: all dead" "" \
		"$(jq -r '.unreachable[] | select(.state | test("TASK_DEAD") | not) | .comm' <<<"$out")"
	adds_up "$scenario"
done

for scenario in clean baseline; do
	dir=$(fixture "$scenario")
	run_ss tasks --json "$dir/vmcore.mdf"
	check_eq "$scenario: exit status 0" 0 "$rc"
	check_eq "$scenario: nothing unreachable" 0 "$(jq '.unreachable | length' <<<"$out")"
	check_eq "$scenario: nothing on stderr" "" "$err"
	adds_up "$scenario"
done

dir=$(fixture planted)
run_ss tasks "$dir/vmcore.kdump"
check "text: summary line" grep -q '^task_struct: .* 16 unreachable' <<<"$out"
check "text: group line" grep -q '^ *16  ssfx_leak$' <<<"$out"
# The text's numbers add up too (it said "71 allocated, 56 reachable, 16
# unreachable": init_task, a static symbol, was counted as reachable).
read -r a r u < <(sed -n 's/^task_struct: \([0-9]*\) allocated: \([0-9]*\) reachable .*, \([0-9]*\) unreachable .*/\1 \2 \3/p' <<<"$out")
check_eq "text: allocated = reachable + unreachable" "${a:-?}" "$((${r:-0} + ${u:-0}))"
check "text: init_task said apart" grep -qx 'also reached: init_task (static, not a slab object)' <<<"$out"

# Every other generation's planted dump, when generated.
for sc in slab-planted bullseye-planted trixie-planted sid-planted; do
	dir=$(cached_fixture "$sc") || continue
	run_ss tasks --json -k "$(truth "$dir" .vmlinux)" "$dir/vmcore.elf"
	adds_up "$sc"
done

finish
