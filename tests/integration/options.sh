#!/usr/bin/env bash
# Global options (issue 15): the common options given before the command
# (slabscope --json -k VMLINUX caches DUMP, slabscope -q check DUMP) do
# what they do after it: same output, same exit status; after the command
# they win.
. "$(dirname "$0")/lib.sh"

dir=$(fixture planted)
vmlinux=$(truth "$dir" .vmlinux)
dump=$dir/vmcore.mdf

# same GLOBAL-ARGS -- COMMAND-ARGS...: slabscope GLOBAL-ARGS CMD REST and
# slabscope CMD GLOBAL-ARGS REST print the same and exit the same
same() {
	local g=() a=() o1 r1
	while [ "$1" != -- ]; do g+=("$1"); shift; done
	shift
	run_ss "${g[@]}" "$@"
	o1=$out r1=$rc
	a=("$1" "${g[@]}" "${@:2}")
	run_ss "${a[@]}"
	check_eq "slabscope ${g[*]} $1 ...: exit status as after the command" "$rc" "$r1"
	check "slabscope ${g[*]} $1 ...: output as after the command" test "$o1" = "$out"
	check "slabscope ${g[*]} $1 ...: printed something" test -n "$o1"
}

same --json -k "$vmlinux" -- caches "$dump"
run_ss --json -k "$vmlinux" caches "$dump"
check "--json before caches: JSON" jq -e '.caches | length > 0' >/dev/null <<<"$out"
same -q -- check "$dump"
same --quiet --json -- check "$dump"
same --json -- tasks "$dump"
same -k "$vmlinux" -- info "$dump"
same --json -- whatis "$dump" "$(truth "$dir" '.leak.examples[0]')"
same --json -q -- leaks --cache kmalloc-512 "$dump"

# -k before the command is used: a wrong one fails as after it
run_ss -k /nonexistent/vmlinux info "$dump"
check_eq "-k before info: a missing vmlinux: exit 2" 2 "$rc"
check "-k before info: names the file" grep -q /nonexistent/vmlinux <<<"$err"
# after the command wins
run_ss -k /nonexistent/vmlinux info -k "$vmlinux" "$dump"
check_eq "-k after the command wins: exit 0" 0 "$rc"

finish
