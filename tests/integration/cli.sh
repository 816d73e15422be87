#!/usr/bin/env bash
# The command-line contract, without any dump: help, usage errors, and
# every command's --help agreeing with its man page.
. "$(dirname "$0")/lib.sh"

run_ss --help
check_eq "--help exits 0" 0 "$rc"
check "--help lists info" grep -q '^  info ' <<<"$out"

# -V/--version: slabscope's version, then each library's
for v in --version -V; do
	run_ss $v
	check_eq "$v exits 0" 0 "$rc"
	check_eq "$v: first line" "slabscope $(sed -n 's/^AC_INIT(\[slabscope\], \[\([^]]*\)\].*/\1/p' "$SRCDIR/configure.ac")" \
		"$(head -n 1 <<<"$out")"
done
# libver NAME: the rest of NAME's line in $out ("0.5.1 (built with)")
libver() { awk -v n="$1 " 'index($0, n) == 1 { print substr($0, length(n) + 1) }' <<<"$out"; }
for lib in libkdumpfile libdwarf 'libelf (elfutils)' jansson ncurses; do
	check "--version names $lib with a version" \
		grep -qx '[0-9][0-9.]*\( (built with)\)\?' <<<"$(libver "$lib")"
done
# the versions are the libraries' (pkg-config's, for those that have one)
for pc in libkdumpfile:libkdumpfile jansson:jansson ncursesw:ncurses 'libelf:libelf (elfutils)'; do
	v=$(pkg-config --modversion "${pc%%:*}" 2>/dev/null) || continue
	check_eq "--version: ${pc#*:} is pkg-config's ${pc%%:*} $v" "$v" \
		"$(libver "${pc#*:}" | cut -d' ' -f1)"
done

# Global options: the common options before the command act as after it
# (tests/integration/options.sh compares the outputs on a dump).
run_ss --help
check "--help lists the global options" grep -q '^  -V, --version ' <<<"$out"
help_opts=$(grep -o -- '--[a-z][a-z-]*' <<<"$out" | sort -u)
man_opts=$(sed 's/\\-/-/g' "$SRCDIR/man/slabscope.1" | grep -o -- '--[a-z][a-z-]*' | sort -u)
check "slabscope.1 names every option of slabscope --help" \
	test -z "$(comm -23 <(echo "$help_opts") <(echo "$man_opts"))"
run_ss --json browse x
check_eq "--json before browse: exit 2" 2 "$rc"
check "--json before browse: refused as after it" grep -q -- '--json does not apply' <<<"$err"
run_ss --top 3 caches x
check_eq "a command's option before the command: exit 2" 2 "$rc"
check "a command's option before the command: says so" \
	grep -q "^slabscope: '--top' is no global option" <<<"$err"
run_ss -k
check_eq "-k without FILE: exit 2" 2 "$rc"
run_ss -h caches
check_eq "-h caches exits 0" 0 "$rc"
check_eq "-h caches is caches --help" "$("$SLABSCOPE" caches --help)" "$out"
run_ss -h nope
check_eq "-h of an unknown command: exit 2" 2 "$rc"
run_ss help
check_eq "help alone exits 0" 0 "$rc"

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
