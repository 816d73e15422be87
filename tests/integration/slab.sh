#!/usr/bin/env bash
# The SLAB allocator (CONFIG_SLAB, seed 000's allocator) on dumps of a kernel
# built from Debian's linux-source-6.1: counts agree with the allocator's own
# counters (crash 8.0.2 cannot run kmem on 6.1 SLAB, drgn 0.0.22 miscounts
# it: the kernel's counters are the oracle), every planted fault is found,
# nothing is found on clean dumps, and the other commands work the same.
. "$(dirname "$0")/lib.sh"

for scenario in slab-clean slab-baseline slab-leak-tracked; do
	dir=$(fixture "$scenario")
	run_ss info --json "$dir/vmcore.mdf"
	check_eq "$scenario: allocator" SLAB "$(jq -r .allocator <<<"$out")"
	run_ss check --json "$dir/vmcore.mdf"
	check_eq "$scenario: check exit 0" 0 "$rc"
	check_eq "$scenario: no findings" 0 "$(jq .summary.findings <<<"$out")"
done

dir=$(fixture slab-planted)
for file in vmcore.mdf vmcore.elf; do
	t="slab-planted/$file"
	caches=$("$SLABSCOPE" caches --json "$dir/$file")
	# The allocator's own counters of the quiescent caches (exact at dump
	# time): objects and slabs as /proc/slabinfo would say.
	for c in $(truth "$dir" '.slab_counters[] | select(.quiescent) | .cache'); do
		want=$(truth "$dir" ".slab_counters[] | select(.cache == \"$c\") | \"\(.slabinfo.num_objs) \(.slabinfo.num_slabs)\"")
		got=$(jq -r --arg c "$c" '.caches[] | select(.name == $c) | "\(.total_objects) \(.slabs)"' <<<"$caches")
		check_eq "$t: $c objects and slabs as the kernel counts them" "$want" "$got"
	done
	run_ss check --json "$dir/$file"
	check_eq "$t: check exit 1" 1 "$rc"
	j=$out
	has() { # ID CACHE ADDRESS
		jq -e --arg id "$1" --arg c "$2" --arg a "$3" \
			'any(.findings[]; .id == $id and .cache == $c and .address == $a)' <<<"$j" >/dev/null
	}
	for i in 0 1; do
		c=$(truth "$dir" ".freelist_index[$i].cache")
		a=$(truth "$dir" ".freelist_index[$i].entry_addr")
		case $(truth "$dir" ".freelist_index[$i].fault") in
		out_of_range) id=freeptr-invalid ;;
		duplicate) id=double-free ;;
		*) id=? ;;
		esac
		check "$t: $c: $id at the planted index entry $a" has "$id" "$c" "$a"
	done
	c=$(truth "$dir" '.freelist_index[2].cache')
	check "$t: $c (a free index naming an allocated object) is flagged" \
		test "$(jq --arg c "$c" '[.findings[] | select(.cache == $c)] | length' <<<"$j")" -gt 0
	obj=$(truth "$dir" '.redzone[0].object')
	check "$t: red zone word overwrite on $obj" \
		has redzone-overwritten slabscope_debug "$(truth "$dir" '.redzone[0].word_addr')"
	check_eq "$t: the red zone culprit's user word" \
		"$(truth "$dir" '.redzone[0].user' | sed 's|/0x[0-9a-f]*||')" \
		"$(jq -r --arg o "$obj" '.findings[] | select(.object == $o) | .culprit.alloc.symbol' <<<"$j")"
	check "$t: use after free" \
		has poison-overwritten slabscope_debug "$(truth "$dir" '.use_after_free[0].bad_addr')"
done

# whatis and objects on SLAB's slot layout (red zone word, object, word).
obj=$(truth "$dir" '.redzone[0].object')
w=$("$SLABSCOPE" whatis --json "$dir/vmcore.mdf" "$(truth "$dir" '.redzone[0].word_addr')")
check_eq "whatis: the overwritten word is the red zone after the object" \
	"$obj right-redzone allocated" "$(jq -r '.addresses[0] | "\(.object) \(.region) \(.state)"' <<<"$w")"
w=$("$SLABSCOPE" whatis --json "$dir/vmcore.mdf" "$(truth "$dir" '.use_after_free[0].bad_addr')")
check_eq "whatis: the use after free is in a free object's payload" \
	"$(truth "$dir" '.use_after_free[0].object') payload free" \
	"$(jq -r '.addresses[0] | "\(.object) \(.region) \(.state)"' <<<"$w")"
caches=$("$SLABSCOPE" caches --json "$dir/vmcore.mdf")
for c in kmalloc-512 task_struct slabscope_debug; do
	check_eq "objects --state allocated $c = caches' allocated" \
		"$(jq --arg c "$c" '.caches[] | select(.name == $c) | .allocated' <<<"$caches")" \
		"$("$SLABSCOPE" objects --json --state allocated --cache "$c" "$dir/vmcore.mdf" | jq '.objects | length')"
done

run_ss tasks --json "$dir/vmcore.mdf"
check_eq "tasks: exactly the leaked task_structs" \
	"$(truth "$dir" '[.task_leak.tasks[].addr] | sort | join(" ")')" \
	"$(jq -r '[.unreachable[].address] | sort | join(" ")' <<<"$out")"
run_ss leaks --json --cache kmalloc-512 "$dir/vmcore.mdf"
check_eq "leaks: the tag group and its count" "tag:IPMIRPLY $(truth "$dir" .leak.count)" \
	"$(jq -r '.groups[0] | "\(.signature) \(.count)"' <<<"$out")"
base=$(fixture slab-baseline)
run_ss diff --json "$base/vmcore.mdf" "$dir/vmcore.mdf"
check_eq "diff: kmalloc-512 grew most" kmalloc-512 "$(jq -r '.caches[0].name' <<<"$out")"

finish
