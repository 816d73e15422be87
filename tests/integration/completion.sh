#!/usr/bin/env bash
# Shell completion (issue 15): completions/slabscope.bash and
# completions/_slabscope complete every command of `slabscope --help` and
# every option of every command's --help, so that they cannot drift from
# the commands: each option is looked for in both files (in the command's
# own part), and offered by bash and, when zsh is installed, by zsh for
# "slabscope COMMAND -".  Option values, files and cache names of a dump
# (when the planted fixture is generated) are tried too.
. "$(dirname "$0")/lib.sh"

bashc=$SRCDIR/completions/slabscope.bash
zshc=$SRCDIR/completions/_slabscope
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# the words start with "slabscope": the build's
PATH=$(cd "$(dirname "$SLABSCOPE")" && pwd):$PATH
export PATH

check "slabscope.bash: bash syntax" bash -n "$bashc"
# bcomplete WORDS...: what bash offers for the last word (one a line)
bcomplete() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_slabscope; printf "%s\n" "${COMPREPLY[@]}"' _ "$bashc" "$@" | sort -u
}
havez=0
if command -v zsh >/dev/null; then
	havez=1
	check "_slabscope: zsh syntax" zsh -n "$zshc"
else
	echo "# zsh not installed: the zsh completion is only read, not run"
fi
# zcomplete WORDS...: what zsh offers for the last word (one a line)
zcomplete() {
	zsh -f "$SRCDIR/tests/integration/zcomplete.zsh" "$SRCDIR/completions" "$TMP/z" "$*"
	grep -v -- '^--done--$' "$TMP/z" | sort -u
}
# missing WANTED OFFERED: the words of WANTED not in OFFERED
missing() { comm -23 <(tr ' ' '\n' <<<"$1" | sed '/^$/d' | sort -u) <(sort -u <<<"$2") | tr '\n' ' '; }

# help_options COMMAND: the options its --help defines (the lines that
# start with one), less those it says it does not accept
help_options() {
	"$SLABSCOPE" "$@" --help | grep -E '^ +(-[a-zA-Z], )?--[a-z]' |
		grep -v 'not accepted' | grep -oE '^ +(-[a-zA-Z], )?--[a-z][a-z-]*' |
		tr -d ' ,' | sed 's/^\(-[a-zA-Z]\)\(--\)/\1 \2/' | tr ' ' '\n' | sort -u
}

commands=$("$SLABSCOPE" --help | sed -n 's/^  \([a-z]\+\) .*/\1/p')
check_eq "bash: the commands of slabscope --help (and help)" \
	"$(echo $commands help | tr ' ' '\n' | sort -u | tr '\n' ' ')" "$(bcomplete slabscope '' | tr '\n' ' ')"
if [ $havez = 1 ]; then
	check_eq "zsh: the commands of slabscope --help (and help)" \
		"$(echo $commands help | tr ' ' '\n' | sort -u | tr '\n' ' ')" "$(zcomplete 'slabscope ' | tr '\n' ' ')"
fi

# The global options (before the command): slabscope --help's.
want=$(help_options | tr '\n' ' ')
check_eq "bash: every global option offered before the command" "" "$(missing "$want" "$(bcomplete slabscope -)")"
[ $havez = 0 ] ||
	check_eq "zsh: every global option offered before the command" "" "$(missing "$want" "$(zcomplete 'slabscope -')")"

for cmd in $commands; do
	want=$(help_options "$cmd" | tr '\n' ' ')
	check "$cmd: --help defines options" test -n "$want"
	# in the files: bash's _slabscope_own entry or the common options;
	# zsh's case branch of the command (or the common ones it passes)
	bown=$(sed -n "s/^\t$cmd) echo \"\(.*\)\" ;;\$/\1/p" "$bashc")
	bcommon=$(sed -n 's/^_slabscope_common="\(.*\)"$/\1/p' "$bashc")
	check_eq "slabscope.bash names every option of $cmd --help" "" \
		"$(missing "$want" "$(tr ' ' '\n' <<<"$bown $bcommon")")"
	zpart=$(sed -n "/^\t\t([a-z|]*\b$cmd\b[a-z|]*)\$/,/^\t\t\t;;\$/p" "$zshc")
	zcommon=$(sed -n '/^\tcommon=(/,/^\t)/p' "$zshc")
	check_eq "_slabscope names every option of $cmd --help" "" \
		"$(missing "$want" "$(grep -oE -- '-{1,2}[a-zA-Z][a-z-]*' <<<"$zpart$zcommon" | sort -u)")"
	# and offers them
	check_eq "bash offers every option of $cmd --help" "" "$(missing "$want" "$(bcomplete slabscope "$cmd" -)")"
	[ $havez = 0 ] ||
		check_eq "zsh offers every option of $cmd --help" "" "$(missing "$want" "$(zcomplete "slabscope $cmd -")")"
done
check "bash: browse does not offer --json (refused)" eval '! bcomplete slabscope browse - | grep -qx -- --json'
[ $havez = 0 ] ||
	check "zsh: browse does not offer --json (refused)" eval '! zcomplete "slabscope browse -" | grep -qx -- --json'

# The command after global options; option values
check_eq "bash: the command after --json -k FILE" caches "$(bcomplete slabscope --json -k /x ca)"
check_eq "bash: caches --sort keys" "allocated memory name size slabs total" \
	"$(bcomplete slabscope caches --sort '' | tr '\n' ' ' | sed 's/ $//')"
check_eq "bash: objects --state values" "all allocated" \
	"$(bcomplete slabscope objects --state a | tr '\n' ' ' | sed 's/ $//')"
check "bash: slabs --list completes the last of a list" \
	grep -qx 'partial,full' <<<"$(bcomplete slabscope slabs --list partial,fu)"
if [ $havez = 1 ]; then
	check_eq "zsh: the command after --json -k FILE" caches "$(zcomplete 'slabscope --json -k /x ca')"
	check_eq "zsh: caches --sort keys" "allocated memory name size slabs total" \
		"$(zcomplete 'slabscope caches --sort ' | tr '\n' ' ' | sed 's/ $//')"
fi
# Files for DUMP and -k
mkdir "$TMP/d" && touch "$TMP/d/vmcore.one" "$TMP/d/vmlinux-6.1"
check_eq "bash: DUMP is a file" "$TMP/d/vmcore.one" "$(bcomplete slabscope info "$TMP/d/vmc")"
check_eq "bash: -k FILE is a file" "$TMP/d/vmlinux-6.1" "$(bcomplete slabscope info -k "$TMP/d/vml")"
if [ $havez = 1 ]; then
	check_eq "zsh: DUMP is a file" "vmcore.one" "$(zcomplete "slabscope info $TMP/d/vmc")"
	check_eq "zsh: -k FILE is a file" "vmlinux-6.1" "$(zcomplete "slabscope info -k $TMP/d/vml")"
fi

# Cache names of a dump on the line (slabscope caches on it)
if dir=$(cached_fixture planted); then
	want=$("$SLABSCOPE" caches --json "$dir/vmcore.mdf" | jq -r '.caches[].name | select(startswith("kmalloc-1"))' | sort -u)
	check_eq "bash: --cache names of the dump" "$want" \
		"$(bcomplete slabscope leaks "$dir/vmcore.mdf" --cache kmalloc-1)"
	[ $havez = 0 ] ||
		check_eq "zsh: --cache names of the dump" "$want" \
			"$(zcomplete "slabscope leaks $dir/vmcore.mdf --cache kmalloc-1")"
else
	echo "# fixture planted not generated: cache names not tried"
fi

finish
