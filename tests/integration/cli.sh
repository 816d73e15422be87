#!/usr/bin/env bash
# The command-line contract, without any dump: help, usage errors, and
# every command's --help agreeing with its man page.
. "$(dirname "$0")/lib.sh"

run_ss --help
check_eq "--help exits 0" 0 "$rc"
check "--help lists info" grep -q '^  info ' <<<"$out"

run_ss --version
check_eq "--version exits 0" 0 "$rc"

run_ss
check_eq "no command exits 2" 2 "$rc"

run_ss frobnicate x
check_eq "unknown command exits 2" 2 "$rc"
check "unknown command says so on one line" \
	test "$(wc -l <<<"$err")" -eq 1 -a -n "$err"

run_ss info
check_eq "info without DUMP exits 2" 2 "$rc"
run_ss info --no-such-option x
check_eq "unknown option exits 2" 2 "$rc"

# Every long option in a command's --help appears in its man page and the
# other way round, and the man page names the command's exit statuses.
commands=$("$SLABSCOPE" --help | sed -n 's/^  \([a-z]\+\) .*/\1/p')
for cmd in $commands; do
	man="$SRCDIR/man/slabscope-$cmd.1"
	check "man page for $cmd exists" test -f "$man"
	[ -f "$man" ] || continue
	help_opts=$("$SLABSCOPE" "$cmd" --help | grep -o -- '--[a-z][a-z-]*' | sort -u)
	man_opts=$(sed 's/\\-/-/g' "$man" | grep -o -- '--[a-z][a-z-]*' | sort -u)
	check_eq "$cmd: --help and man page list the same options" \
		"$(echo $help_opts)" "$(echo $man_opts)"
	run_ss "$cmd" --help
	check_eq "$cmd --help exits 0" 0 "$rc"
	run_ss help "$cmd"
	check_eq "help $cmd exits 0" 0 "$rc"
done

# Every finding id is documented in slabscope-check(1).
for id in $("$SLABSCOPE" check --list-ids | awk '{print $1}'); do
	check "finding id $id is in slabscope-check(1)" \
		grep -q "^\.B $id\$" "$SRCDIR/man/slabscope-check.1"
done

finish
