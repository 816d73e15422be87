#!/usr/bin/env bash
# slabscope tasks finds exactly the task_structs the fixture module leaked
# (get_task_struct on short-lived kthreads, never put), and none on a clean
# dump.
. "$(dirname "$0")/lib.sh"

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
	check "$scenario: allocated = reachable-in-slab + unreachable" \
		test "$(jq '.allocated' <<<"$out")" -ge "$(truth "$dir" .task_leak.count)"
done

for scenario in clean baseline; do
	dir=$(fixture "$scenario")
	run_ss tasks --json "$dir/vmcore.mdf"
	check_eq "$scenario: exit status 0" 0 "$rc"
	check_eq "$scenario: nothing unreachable" 0 "$(jq '.unreachable | length' <<<"$out")"
done

dir=$(fixture planted)
run_ss tasks "$dir/vmcore.kdump"
check "text: summary line" grep -q '^task_struct: .* 16 unreachable' <<<"$out"
check "text: group line" grep -q '^ *16  ssfx_leak$' <<<"$out"

finish
