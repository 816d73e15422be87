# Sourced by every integration test.  Each check prints one "PASS: ..." or
# "FAIL: ..." line; finish prints the totals and sets the exit status
# (automake: 0 pass, 1 fail, 77 skip).
set -u
: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${BUILDDIR:=$SRCDIR/build}"
: "${SLABSCOPE:=$BUILDDIR/slabscope}"
export LC_ALL=C

npass=0
nfail=0
pass() { echo "PASS: $*"; npass=$((npass + 1)); }
fail() { echo "FAIL: $*"; nfail=$((nfail + 1)); }

# check DESCRIPTION COMMAND...: pass if the command succeeds.
check() {
	local desc=$1
	shift
	if "$@"; then pass "$desc"; else fail "$desc"; fi
}

# check_eq DESCRIPTION EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1: expected '$2', got '$3'"
	fi
}

# run_ss ARGS...: run slabscope, leaving stdout in $out, stderr in $err and
# the exit status in $rc.
run_ss() {
	local o e
	o=$(mktemp) e=$(mktemp)
	rc=0
	"$SLABSCOPE" "$@" >"$o" 2>"$e" || rc=$?
	out=$(cat "$o")
	err=$(cat "$e")
	rm -f "$o" "$e"
}

# end_test STATUS: exit the test with STATUS, also from a command
# substitution (dir=$(fixture S)), whose exit would only leave the
# subshell: the test itself gets a signal and exits (traps below).
trap 'exit 77' USR1
trap 'exit 1' USR2
end_test() {
	if [ "$BASHPID" != "$$" ]; then
		if [ "$1" = 77 ]; then kill -USR1 $$; else kill -USR2 $$; fi
	fi
	exit "$1"
}

# skip_all MESSAGE: skip the whole test (automake: 77), or fail it when
# fixtures are required (SLABSCOPE_REQUIRE_FIXTURES=1, scripts/test) and
# the dump tests are not disabled.
# The message goes to stderr: in $(...) stdout is the caller's value.
skip_all() {
	if [ "${SLABSCOPE_REQUIRE_FIXTURES:-0}" = 1 ] && ! dumps_disabled; then
		echo "FAIL: required fixture missing: $*" >&2
		end_test 1
	fi
	echo "SKIP: $*" >&2
	end_test 77
}

# Tests that need dumps are skipped, never failed, in a build configured
# with --disable-dump-tests (make distcheck: the dumps were tested on the
# source tree).
dumps_disabled() { [ "${SLABSCOPE_DUMP_TESTS:-yes}" = no ]; }
skip_dumps() {
	echo "SKIP: tests on fixture dumps disabled (configure --disable-dump-tests)" >&2
	end_test 77
}

# listed SCENARIO: is the scenario one CI generates (tests/integration/
# FIXTURES) and are fixtures required (SLABSCOPE_REQUIRE_FIXTURES=1)?
# Only then is its absence a failure; the others (other kernel
# generations) are tested when generated.
listed() {
	[ "${SLABSCOPE_REQUIRE_FIXTURES:-0}" = 1 ] && ! dumps_disabled &&
		grep -qx "$1" "$(dirname "${BASH_SOURCE[0]}")/FIXTURES"
}

# ---- finding fixtures: never generating one ----
# The tests use the fixtures fixtures/mkdump left in the cache
# ($SLABSCOPE_CACHE/fixtures/KERNEL/SCENARIO): they never run it, so make
# check neither downloads nor builds kernels nor boots guests (scripts/test
# runs fixtures/mkdump first, which regenerates what its recipes changed).
# A missing fixture skips the test with the command that makes it.
# While a fixtures/mkdump replaces fixtures it holds the lock of their
# kernel family exclusively (fixture-lock.sh); a test looks a fixture up
# under that lock, shared, and waits for a mkdump at most
# SLABSCOPE_FIXTURE_LOCK_TIMEOUT seconds, saying what it waits for, then
# skips.  (It does not keep the lock while it runs: what it starts would
# inherit the lock and could keep it after the test, tmux servers say.)
. "$(dirname "${BASH_SOURCE[0]}")/fixture-lock.sh"
: "${SLABSCOPE_FIXTURE_LOCK_TIMEOUT:=300}"

# family SCENARIO: its lock family (the recipe's KERNEL_KIND; a suite's
# arm64 kinds, trixie-arm64 and the like, are the suite's family)
family() {
	local k
	k=$(sed -n "s/^KERNEL_KIND=[\"']\{0,1\}\([a-z0-9-]*\).*/\1/p" "$SRCDIR/fixtures/recipes/$1" 2>/dev/null)
	case $k in bullseye* | trixie* | sid* | arm64) echo "${k%%-*}" ;; *) echo "" ;; esac
}

# locked_lookup SCENARIO: newest_fixture under its family's lock, shared.
# A busy lock is waited for until a deadline shared by the run's tests
# ($BUILDDIR/tests/fixture-lock.deadline, set by the first waiter, removed
# by whoever gets the lock): once a test gave up, the others of the run
# (within the hour) do not wait again.  Status 2: gave up, and why in
# $gave_up.
locked_lookup() {
	local f fd rc=0
	f=$(lock_file "$(family "$1")")
	[ -f "$f" ] || { newest_fixture "$1"; return; }   # no mkdump ever ran
	exec {fd}<"$f"
	if ! flock -s -n "$fd"; then
		local mark=$BUILDDIR/tests/fixture-lock.deadline now deadline wait
		now=$(date +%s)
		deadline=$(cat "$mark" 2>/dev/null) || deadline=0
		if [ "$deadline" -gt "$now" ] 2>/dev/null; then
			wait=$((deadline - now))
		elif [ "$((now - deadline))" -lt 3600 ] 2>/dev/null; then
			wait=0
		else
			wait=$SLABSCOPE_FIXTURE_LOCK_TIMEOUT
			mkdir -p "${mark%/*}" && echo "$((now + wait))" >"$mark"
		fi
		if wait_lock -s "$fd" "$f" "$wait"; then
			rm -f "$mark"
		else
			gave_up="gave up waiting for the fixture lock $f (held by: $(lock_holder "$f" -s); SLABSCOPE_FIXTURE_LOCK_TIMEOUT=${SLABSCOPE_FIXTURE_LOCK_TIMEOUT}s; rm $mark to wait again)"
			rc=2
		fi
	fi
	[ $rc = 2 ] || newest_fixture "$1" || rc=$?
	exec {fd}<&-
	return $rc
}

# fixture_complete DIR: does DIR hold every file fixtures/mkdump wrote
# (those its truth.json lists: no makedumpfile output where makedumpfile
# cannot filter the kernel)?
fixture_complete() {
	local f
	[ -s "$1/truth.json" ] || return 1
	for f in $(jq -r '.files[]' "$1/truth.json" 2>/dev/null) truth.json; do
		[ -s "$1/$f" ] || return 1
	done
}

# newest_fixture SCENARIO: the directory of the complete fixture of that
# scenario in the cache, the newest kernel's if several; status 1 if none
newest_fixture() {
	local d best=""
	for d in "$FIXTURE_CACHE"/fixtures/*/"$1"; do
		fixture_complete "$d" || continue
		if [ -z "$best" ] || [ "$d/truth.json" -nt "$best/truth.json" ]; then
			best=$d
		fi
	done
	[ -n "$best" ] || return 1
	echo "$best"
}

# fixture SCENARIO: print the fixture directory; skip the whole test (or
# fail it, SLABSCOPE_REQUIRE_FIXTURES=1) if there is none.
fixture() {
	local rc=0
	dumps_disabled && skip_dumps
	locked_lookup "$1" || rc=$?
	case $rc in
	0) ;;
	2) skip_all "$gave_up" ;;
	*) skip_all "fixture $1 not generated: run fixtures/mkdump $1 (it fetches or builds its kernel once, then boots a guest under QEMU; see fixtures/mkdump --help)" ;;
	esac
}

# cached_fixture SCENARIO: like fixture, but status 1 and no output when
# there is none (for scenarios whose absence is no failure: other kernel
# generations, tested when generated).
cached_fixture() {
	local rc=0
	dumps_disabled && return 1
	locked_lookup "$1" || rc=$?
	[ $rc != 2 ] || echo "$gave_up" >&2
	return $rc
}

# generation_fixture VAR LABEL SCENARIO: set VAR to the scenario's cached
# fixture; without one, a failure when CI must have it (listed), else a
# SKIP line, and status 1 (the loops over kernel generations).
generation_fixture() {
	local found
	if found=$(cached_fixture "$3"); then
		printf -v "$1" '%s' "$found"
		return 0
	fi
	if listed "$3"; then
		fail "$2: fixture $3 missing"
	else
		echo "SKIP: $2: fixture $3 not generated"
	fi
	return 1
}

# truth DIR JQ-FILTER: a value from the fixture's ground truth.
truth() { jq -r "$2" "$1/truth.json"; }

# oracle_diff ORACLE_JSON CACHES_JSON DIR: the caches of a `caches --json`
# document (a file) whose slabs/total/allocated differ from drgn's page scan
# (tests/oracles/drgn_slab_counts.py output, a file), "name: ours vs drgn's"
# joined by "; ", empty when none do.  Caches with planted free pointer,
# red zone or use-after-free damage (DIR's truth.json) are left out: drgn's
# walk stops at the damage.
oracle_diff() {
	local planted
	planted=$(jq -c '[(.freeptr // [])[].cache, (.redzone // [])[].cache,
		(.use_after_free // [])[].cache] | unique' "$3/truth.json")
	jq -rn --slurpfile O "$1" --slurpfile S "$2" --argjson p "$planted" \
		'$O[0] as $o | $S[0] as $s | [$s.caches[] | select(.name as $n | $p | index($n) | not)
		  | . as $c | $o.caches[$c.name] as $x
		  | select($x == null or $x.slabs != $c.slabs
		      or $x.total != $c.total_objects or $x.allocated != $c.allocated)
		  | "\($c.name): \($c.slabs)/\($c.total_objects)/\($c.allocated) vs \($x.slabs)/\($x.total)/\($x.allocated)"]
		  | join("; ")' 2>&1
}

# check_freeptr_faults LABEL DIR CHECK_JSON: each planted overflow onto a
# free pointer (DIR's truth.json .freeptr) in check's document: B is named,
# at B's free pointer, A is the culprit.  A one-byte change may leave a
# pointer that is still an object of the slab (8-byte objects): then it is
# freeptr-redirected; when it decodes to B itself (seen once in a chroot
# boot of la57), a freelist-cycle at B, with A as the hedged culprit.
check_freeptr_faults() {
	local t=$1 dir=$2 j=$3 n i cache a b f id want
	n=$(truth "$dir" '.freeptr | length')
	check "$t: truth has free pointer faults ($n)" test "$n" -gt 0
	for i in $(seq 0 $((n - 1))); do
		cache=$(truth "$dir" ".freeptr[$i].cache")
		a=$(truth "$dir" ".freeptr[$i].a")
		b=$(truth "$dir" ".freeptr[$i].b")
		f=$(jq -c --arg o "$b" --arg c "$cache" '[.findings[] | select(.object == $o and .cache == $c)][0]' <<<"$j")
		id=$(jq -r .id <<<"$f")
		if [ "$(truth "$dir" ".freeptr[$i].next_new")" = "$b" ]; then
			check_eq "$t: $cache: B's pointer names B: freelist-cycle at B" \
				freelist-cycle "$id"
		else
			check "$t: $cache: B $b has a free pointer finding ($id)" \
				test "$id" = freeptr-invalid -o "$id" = freeptr-redirected
		fi
		check_eq "$t: $cache: bad pointer is B's free pointer" \
			"$(truth "$dir" ".freeptr[$i].b_freeptr_addr")" "$(jq -r .address <<<"$f")"
		check_eq "$t: $cache: the culprit is A" "$a" "$(jq -r .culprit.object <<<"$f")"
		want=previous-object-overflow
		[ "$id" != freelist-cycle ] || want=cycle-overflow-or-double-free
		check_eq "$t: $cache: A's relation: right before B" "$want" \
			"$(jq -r .culprit.relation <<<"$f")"
	done
}

finish() {
	# The time is for CI's budget (which tests to trim), not a check.
	echo "$npass passed, $nfail failed in ${SECONDS} s"
	[ "$nfail" -eq 0 ]
}
