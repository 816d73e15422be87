# Sourced by tests/integration/lib.sh and scripts/test: the fixture locks
# of fixtures/mkdump, waited for with a message and a bound (mkdump's own
# flock waits silently, for ever).
#
# fixtures/mkdump holds the lock of a kernel family exclusively while it
# makes fixtures: $SLABSCOPE_CACHE/.mkdump.lock (the 6.1 cloud and SLAB
# kernels), .mkdump-SUITE.lock (another Debian suite's), .mkdump-arm64.lock
# (bookworm's arm64 kernel); a test holds it
# shared while it reads that family's fixtures.

FIXTURE_CACHE=${SLABSCOPE_CACHE:-$HOME/.cache/slabscope}

lock_file() { # FAMILY: "" or bullseye, trixie, sid, arm64
	echo "$FIXTURE_CACHE/.mkdump${1:+-$1}.lock"
}

# lock_holder FILE -s|-x: who holds a lock on FILE that a request of that
# kind waits for (-s: exclusive holders; -x: any), by command line (from
# /proc/PID/fdinfo's lock lines), and the fixtures being generated (the
# .work-* directories of a mkdump)
lock_holder() {
	local file=$1 want=$2 fdl p n cmd w scen what="" kinds=WRITE
	local -A by_cmd=()
	[ "$want" = -x ] && kinds='READ|WRITE'
	while read -r fdl; do
		p=${fdl%/fd/*} n=${fdl##*/}
		[ "${p#/proc/}" != "$BASHPID" ] || continue
		grep -qE "^lock:.* FLOCK .* ($kinds) " "$p/fdinfo/$n" 2>/dev/null || continue
		cmd=$(tr '\0' ' ' <"$p/cmdline" 2>/dev/null)
		cmd=${cmd% }
		case ",${by_cmd[$cmd]:-}," in *",${p#/proc/},"*) continue ;; esac
		by_cmd[$cmd]+="${by_cmd[$cmd]:+,}${p#/proc/}"
	done < <(find /proc/[0-9]*/fd -maxdepth 1 -lname "$file" 2>/dev/null)
	for cmd in "${!by_cmd[@]}"; do
		what="${what:+$what; }pid ${by_cmd[$cmd]}: $cmd"
	done
	for w in "$FIXTURE_CACHE"/fixtures/*/.work-*; do
		[ -d "$w" ] || continue
		w=${w#"$FIXTURE_CACHE"/fixtures/}   # KERNEL/.work-SCENARIO.XXXXXX
		scen=${w#*/.work-}
		what="${what:+$what; }generating ${scen%.*} for ${w%%/*}"
	done
	echo "${what:-a process that has gone}"
}

# say MESSAGE: to stderr, and to the terminal if stderr is not it (a
# test's stderr goes to its log; SLABSCOPE_TEST_TTY=0: not the terminal)
say() {
	echo "$*" >&2
	[ "${SLABSCOPE_TEST_TTY:-1}" = 0 ] || [ -t 2 ] ||
		{ echo "slabscope: $*" >/dev/tty; } 2>/dev/null || true
}

# wait_lock -s|-x FD FILE SECONDS: take the lock of FD (open on FILE) at
# once, or after saying what holds it, within SECONDS; status 1 if not
wait_lock() {
	local mode=$1 fd=$2 file=$3 secs=$4 t0
	flock "$mode" -n "$fd" && return 0
	[ "$secs" -gt 0 ] || return 1
	t0=$(date +%s)
	say "waiting up to ${secs}s for the fixture lock $file, held by: $(lock_holder "$file" "$mode")"
	flock "$mode" -w "$secs" "$fd" || return 1
	say "got the fixture lock $file after $(($(date +%s) - t0))s"
}

# wait_mkdump_locks SECONDS: wait until no one holds any fixture lock
# (each at most SECONDS), for a fixtures/mkdump about to run; status 1
# and a message when one stays held
wait_mkdump_locks() {
	local fam f fd
	for fam in "" bullseye trixie sid arm64; do
		f=$(lock_file "$fam")
		[ -f "$f" ] || continue
		exec {fd}<"$f"
		if ! wait_lock -x "$fd" "$f" "$1"; then
			say "gave up after ${1}s waiting for the fixture lock $f (held by: $(lock_holder "$f" -x))"
			exec {fd}<&-
			return 1
		fi
		exec {fd}<&-
	done
}
