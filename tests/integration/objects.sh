#!/usr/bin/env bash
# slabscope objects and whatis on the planted fixture, against the guest's
# ground truth: planted objects are found in the right cache, slab, state
# and region; counts agree with `caches`.
. "$(dirname "$0")/lib.sh"

dir=$(fixture planted)
dump=$dir/vmcore.mdf

whatis() { # ADDRESS JQ: a field of whatis --json
	"$SLABSCOPE" whatis --json "$dump" "$1" | jq -r ".addresses[0] | $2"
}

# The red zone overwrite: the bad byte is in the right red zone of the
# allocated object the module named.
rz_obj=$(truth "$dir" '.redzone[0].object')
rz_bad=$(truth "$dir" '.redzone[0].bad_addr')
check_eq "redzone: cache" slabscope_debug "$(whatis "$rz_bad" .cache)"
check_eq "redzone: object" "$rz_obj" "$(whatis "$rz_bad" .object)"
check_eq "redzone: region" right-redzone "$(whatis "$rz_bad" .region)"
check_eq "redzone: state" allocated "$(whatis "$rz_bad" .state)"
check_eq "redzone: offset = object_size" 100 "$(whatis "$rz_bad" .offset)"
check_eq "redzone: left red zone before the object" left-redzone \
	"$(whatis "$(printf '0x%x' $((rz_obj - 1)))" .region)"

# The use after free: a free object, written in its payload.
uaf_obj=$(truth "$dir" '.use_after_free[0].object')
uaf_bad=$(truth "$dir" '.use_after_free[0].bad_addr')
check_eq "uaf: object" "$uaf_obj" "$(whatis "$uaf_bad" .object)"
check_eq "uaf: state" free "$(whatis "$uaf_bad" .state)"
check_eq "uaf: region" payload "$(whatis "$uaf_bad" .region)"

# Each overflowed free object B is free, on the list the module said, in
# the slab the module said.
n=$(truth "$dir" '.freeptr | length')
for i in $(seq 0 $((n - 1))); do
	cache=$(truth "$dir" ".freeptr[$i].cache")
	b=$(truth "$dir" ".freeptr[$i].b")
	list=$(truth "$dir" ".freeptr[$i].list")
	slab=$(truth "$dir" ".freeptr[$i].slab_page")
	check_eq "freeptr $cache: B's cache" "$cache" "$(whatis "$b" .cache)"
	check_eq "freeptr $cache: B's slab" "$slab" "$(whatis "$b" .slab)"
	case $list in
	cpu_freelist) want_state=cpu-free want_list=cpu ;;
	node_partial) want_state=free want_list=partial ;;
	cpu_partial) want_state=free want_list=cpu-partial ;;
	*) want_state=? want_list=? ;;
	esac
	check_eq "freeptr $cache: B's state" "$want_state" "$(whatis "$b" .state)"
	check_eq "freeptr $cache: B's slab list" "$want_list" "$(whatis "$b" .slab_list)"
done

# The leaked kmalloc-512 objects and task_structs are allocated.
for a in $(truth "$dir" '.leak.examples[]'); do
	check_eq "leak example $a allocated in kmalloc-512" "kmalloc-512 allocated" \
		"$(whatis "$a" '"\(.cache) \(.state)"')"
done
for a in $(truth "$dir" '.task_leak.tasks[].addr' | head -4); do
	check_eq "leaked task_struct $a allocated" "task_struct allocated" \
		"$(whatis "$a" '"\(.cache) \(.state)"')"
done

# Outside any slab: init_task is static data.
run_ss whatis "$dump" "$(truth "$dir" .guest.init_task)"
check_eq "whatis outside slabs: exit 0" 0 "$rc"
check "whatis outside slabs: names the symbol" \
	grep -q 'init_task+0x0 (kernel image)' <<<"$out"

# objects agrees with caches, and lists the leak.
caches=$("$SLABSCOPE" caches --json "$dump")
for cache in kmalloc-512 task_struct dentry slabscope_debug; do
	want=$(jq -r --arg c "$cache" '.caches[] | select(.name == $c) | .allocated' <<<"$caches")
	got=$("$SLABSCOPE" objects --json --state allocated --cache "$cache" "$dump" | jq '.objects | length')
	check_eq "objects --state allocated $cache = caches' allocated" "$want" "$got"
	total=$(jq -r --arg c "$cache" '.caches[] | select(.name == $c) | .total_objects' <<<"$caches")
	got=$("$SLABSCOPE" objects --cache "$cache" "$dump" | wc -l)
	check_eq "objects $cache lists every object" "$total" "$got"
done
objs=$("$SLABSCOPE" objects --cache kmalloc-512 --state allocated "$dump")
for a in $(truth "$dir" '.leak.examples[]'); do
	check "objects kmalloc-512 lists leak example $a" grep -q "^$a " <<<"$objs"
done

run_ss objects "$dump"
check_eq "objects without --cache: exit 2" 2 "$rc"
run_ss objects --cache no-such-cache "$dump"
check_eq "objects with an unknown cache: exit 2" 2 "$rc"
check "unknown cache: message names it" grep -q "no-such-cache" <<<"$err"
run_ss whatis "$dump" zzz
check_eq "whatis with a bad address: exit 2" 2 "$rc"

finish
