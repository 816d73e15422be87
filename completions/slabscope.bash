# bash completion for slabscope(1)                         -*- shell-script -*-
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Completes the commands, each command's options (as `slabscope COMMAND
# --help` lists them: tests/integration/completion.sh fails when one is
# missing here), the values of options that take a fixed set, files for
# DUMP, -k/--vmlinux and the other file options, and cache names for
# --cache once a DUMP is on the line (from `slabscope caches` on it).
# Needs nothing from the bash-completion package (it uses _filedir when
# that is loaded).

_slabscope_commands="info batch caches check diff leaks objects slabs whatis tasks browse help"
# Before the command; after it, every command takes all but -V.
_slabscope_global="-k --vmlinux --module --json -q --quiet --threads -h --help -V --version"
_slabscope_common="-k --vmlinux --module --json -q --quiet --threads -h --help"

# _slabscope_own COMMAND: the command's own options
_slabscope_own() {
	case $1 in
	batch) echo "--rules --baseline -j --jobs --junit --timeout" ;;
	caches) echo "--sort --top --cache" ;;
	check) echo "--cache --list-ids" ;;
	diff) echo "--sort --all --fail-if" ;;
	leaks) echo "--cache --stack --free --content --top --unreferenced --list --why --fail-if" ;;
	objects) echo "--cache --state" ;;
	slabs) echo "--cache --cpu --node --list --summary" ;;
	browse) echo "--cache --findings" ;;
	esac
}

# _slabscope_files [-d]: files (or directories) matching $cur
_slabscope_files() {
	if declare -F _filedir >/dev/null; then
		_filedir "$@"
		return
	fi
	compopt -o filenames 2>/dev/null
	local IFS=$'\n'
	if [ "${1:-}" = -d ]; then
		COMPREPLY=($(compgen -d -- "$cur"))
	else
		COMPREPLY=($(compgen -f -- "$cur"))
	fi
}

# _slabscope_caches PROG VMLINUX DUMP: the cache names of DUMP
_slabscope_caches() {
	local k=()
	[ -n "$2" ] && k=(-k "$2")
	"$1" caches -q --sort name "${k[@]}" "$3" 2>/dev/null |
		awk '/^  / && $1 != "CACHE" { print $1 }'
}

_slabscope() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local i w cmd="" vmlinux="" dump="" skip=0
	COMPREPLY=()
	# the command: the first word that is neither an option nor the
	# argument of one; then the vmlinux and the first DUMP given
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if [ "$skip" = 1 ]; then
			skip=0
			case ${COMP_WORDS[i - 1]} in -k | --vmlinux) vmlinux=$w ;; esac
			continue
		fi
		case $w in
		-k | --vmlinux | --module | --rules | --baseline | -j | --jobs | --threads | --junit | \
			--timeout | --sort | --top | --cache | --fail-if | --state | \
			--cpu | --node | --list) skip=1 ;;
		--vmlinux=*) vmlinux=${w#*=} ;;
		-*) ;;
		*)
			if [ -z "$cmd" ]; then
				cmd=$w
			elif [ -z "$dump" ]; then
				dump=$w
			fi
			;;
		esac
	done

	# the argument of the option before the cursor
	case $prev in
	-k | --vmlinux | --module | --rules | --junit | --baseline)
		_slabscope_files
		return
		;;
	--sort)
		case $cmd in
		caches) COMPREPLY=($(compgen -W "name allocated total slabs size memory" -- "$cur")) ;;
		diff) COMPREPLY=($(compgen -W "memory delta ratio name" -- "$cur")) ;;
		esac
		return
		;;
	--state)
		COMPREPLY=($(compgen -W "allocated free cpu-free sheaf unknown all" -- "$cur"))
		return
		;;
	--list)
		# a comma-separated list: complete its last element
		local head=""
		[[ $cur == *,* ]] && head=${cur%,*},
		COMPREPLY=($(compgen -P "$head" -W "cpu cpu-partial partial full free full-untracked kfence" -- "${cur##*,}"))
		compopt -o nospace 2>/dev/null
		return
		;;
	--cache)
		if [ -n "$dump" ] && [ -f "$dump" ]; then
			local IFS=$'\n'
			COMPREPLY=($(compgen -W "$(_slabscope_caches "${COMP_WORDS[0]}" "$vmlinux" "$dump")" -- "$cur"))
		fi
		return
		;;
	--top | --cpu | --node | -j | --jobs | --timeout | --fail-if)
		return
		;;
	esac

	if [ -z "$cmd" ]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$_slabscope_global" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$_slabscope_commands" -- "$cur"))
		fi
		return
	fi
	if [ "$cmd" = help ]; then
		[ -n "$dump" ] || COMPREPLY=($(compgen -W "${_slabscope_commands% help}" -- "$cur"))
		return
	fi
	if [[ $cur == -* ]]; then
		local common=$_slabscope_common
		# browse is interactive: no --json
		[ "$cmd" = browse ] && common=${common/--json /}
		COMPREPLY=($(compgen -W "$(_slabscope_own "$cmd") $common" -- "$cur"))
		return
	fi
	# operands: dumps (batch: directories too; diff: snapshots); whatis's
	# ADDRESS is not completed
	_slabscope_files
}
complete -F _slabscope slabscope
