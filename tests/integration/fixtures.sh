#!/usr/bin/env bash
# How tests find fixtures (issue 15), on a cache of its own (never the
# real one): make check never runs fixtures/mkdump (no download, no kernel
# build, no guest); a missing fixture skips the test with the command that
# makes it, or fails it under SLABSCOPE_REQUIRE_FIXTURES=1; a test waits
# for a fixtures/mkdump that holds the fixture lock, saying what it waits
# for, at most SLABSCOPE_FIXTURE_LOCK_TIMEOUT seconds, and a later test of
# the same run does not wait again; --disable-dump-tests skips, never
# fails.
. "$(dirname "$0")/lib.sh"

TMP=$(mktemp -d)
holder=
trap '[ -z "$holder" ] || kill "$holder" 2>/dev/null; rm -rf "$TMP"' EXIT
cache=$TMP/cache
mkdir -p "$cache/fixtures/6.1.0-99-cloud-amd64" "$TMP/build/tests"

# A test that looks up fixture $1 and prints it (or what it was told to)
cat >"$TMP/t.sh" <<EOF
. "$SRCDIR/tests/integration/lib.sh"
dir=\$(fixture "\$1")
echo "dir \$dir"
finish
EOF
# lookup SCENARIO [VAR=VALUE...]: run it; $out, $err, $rc, $secs
lookup() {
	local s=$1 t0
	shift
	t0=$(date +%s)
	rc=0
	env SLABSCOPE_CACHE="$cache" BUILDDIR="$TMP/build" SRCDIR="$SRCDIR" \
		SLABSCOPE_REQUIRE_FIXTURES=0 SLABSCOPE_DUMP_TESTS=yes SLABSCOPE_TEST_TTY=0 "$@" \
		bash "$TMP/t.sh" "$s" >"$TMP/out" 2>"$TMP/err" </dev/null || rc=$?
	secs=$(($(date +%s) - t0))
	out=$(cat "$TMP/out") err=$(cat "$TMP/err")
}

# missing: skip, naming the command; required: fail; the test ends there
lookup planted
check_eq "missing fixture: the test skips (77)" 77 "$rc"
check "missing fixture: says which command makes it" \
	grep -q '^SKIP: fixture planted not generated: run fixtures/mkdump planted' <<<"$err"
check_eq "missing fixture: the test ends at the lookup (in \$(...) too)" "" "$out"
lookup planted SLABSCOPE_REQUIRE_FIXTURES=1
check_eq "missing required fixture: the test fails" 1 "$rc"
check "missing required fixture: says so" grep -q '^FAIL: required fixture missing: fixture planted' <<<"$err"
lookup planted SLABSCOPE_REQUIRE_FIXTURES=1 SLABSCOPE_DUMP_TESTS=no
check_eq "--disable-dump-tests: skips even when required" 77 "$rc"
check "--disable-dump-tests: says so" grep -q 'disable-dump-tests' <<<"$err"
# as do tests that look fixtures up as optional and then skip_all
# (lossy.sh, sheaves.sh)
rc=0
env SLABSCOPE_CACHE="$cache" BUILDDIR="$TMP/build" SLABSCOPE_REQUIRE_FIXTURES=1 SLABSCOPE_DUMP_TESTS=no \
	bash -c '. "$1"; cached_fixture sid-baseline || skip_all "fixture sid-baseline not generated"' _ \
	"$SRCDIR/tests/integration/lib.sh" >/dev/null 2>&1 || rc=$?
check_eq "--disable-dump-tests: an optional fixture's skip_all skips when required" 77 "$rc"

# a complete fixture is found; an incomplete one (interrupted) is not
fx=$cache/fixtures/6.1.0-99-cloud-amd64/planted
mkdir -p "$fx"
for f in vmcore.elf vmcore.kdump vmcore.flat vmcore.mdf vmcore.mdf-lzo console.log; do
	echo x >"$fx/$f"
done
lookup planted
check_eq "incomplete fixture (no truth.json): skipped" 77 "$rc"
echo '{}' >"$fx/truth.json"
lookup planted
check_eq "complete fixture: found" "0 dir $fx" "$rc $(head -n 1 <<<"$out")"

# A fixtures/mkdump (a stand-in with the name) holds the lock while it
# generates leak-tracked: the test waits at most the timeout, saying for
# whom, then skips; the next test of the run does not wait
mkdir -p "$TMP/bin"
cat >"$TMP/bin/mkdump" <<'EOF'
exec 9>>"$1/.mkdump.lock"
flock 9
mkdir -p "$1/fixtures/6.1.0-99-cloud-amd64/.work-leak-tracked.abc"
echo locked >"$1/held"
sleep "$2" 9>&- &
trap 'kill $! 2>/dev/null; exit' TERM
wait $!
rmdir "$1/fixtures/6.1.0-99-cloud-amd64/.work-leak-tracked.abc"
EOF
hold() { # SECONDS: the stand-in holds the lock that long (from now)
	rm -f "$cache/held"
	bash "$TMP/bin/mkdump" "$cache" "$1" &
	holder=$!
	while [ ! -f "$cache/held" ]; do sleep 0.1; done
}
hold 30
lookup planted SLABSCOPE_FIXTURE_LOCK_TIMEOUT=2
check_eq "lock held: the test gives up and skips" 77 "$rc"
check "lock held: waited about the timeout (${secs}s)" test "$secs" -ge 2 -a "$secs" -le 10
check "lock held: says what it waits for" \
	grep -qF "waiting up to 2s for the fixture lock $cache/.mkdump.lock, held by: pid $holder: bash $TMP/bin/mkdump $cache 30; generating leak-tracked for 6.1.0-99-cloud-amd64" <<<"$err"
check "lock held: says it gave up" grep -q "^SKIP: gave up waiting for the fixture lock" <<<"$err"
lookup planted SLABSCOPE_FIXTURE_LOCK_TIMEOUT=10 SLABSCOPE_REQUIRE_FIXTURES=1
check_eq "lock held, fixtures required: the test fails" 1 "$rc"
check "the next test of the run does not wait (${secs}s)" test "$secs" -le 3
kill "$holder"
wait "$holder" 2>/dev/null
holder=

# a mkdump that finishes within the timeout: the test goes on
rm -f "$TMP/build/tests/fixture-lock.deadline"
hold 2
lookup planted SLABSCOPE_FIXTURE_LOCK_TIMEOUT=30
check_eq "lock released while waiting: found" "0 dir $fx" "$rc $(head -n 1 <<<"$out")"
check "lock released while waiting: says it got it" grep -q "^got the fixture lock $cache/.mkdump.lock after" <<<"$err"
wait "$holder" 2>/dev/null
holder=
check "the deadline mark is gone once the lock was had" test ! -e "$TMP/build/tests/fixture-lock.deadline"
# the test does not keep the lock after the lookup: what it starts (a
# tmux server) would inherit it and could keep it after the test,
# stalling a mkdump
cat >"$TMP/t2.sh" <<EOF
. "$SRCDIR/tests/integration/lib.sh"
dir=\$(fixture planted)
if flock -x -n "$cache/.mkdump.lock" true; then echo free; fi
EOF
check_eq "after the lookup, the lock is free" free \
	"$(SLABSCOPE_CACHE="$cache" BUILDDIR="$TMP/build" SLABSCOPE_DUMP_TESTS=yes bash "$TMP/t2.sh" 2>/dev/null)"

# scripts/test's wait before it runs fixtures/mkdump (whose own wait is
# silent): bounded, saying who holds the lock
hold 30
rc=0
err=$(SLABSCOPE_CACHE="$cache" SLABSCOPE_TEST_TTY=0 bash -c '. "$1"; wait_mkdump_locks 1' _ \
	"$SRCDIR/tests/integration/fixture-lock.sh" 2>&1) || rc=$?
check_eq "before mkdump, a held lock: gives up" 1 "$rc"
check "before mkdump, a held lock: says who holds it" \
	grep -qF "gave up after 1s waiting for the fixture lock $cache/.mkdump.lock (held by: pid $holder: bash $TMP/bin/mkdump $cache 30" <<<"$err"
kill "$holder"
wait "$holder" 2>/dev/null
holder=
check "before mkdump, a free lock: goes on" \
	env SLABSCOPE_CACHE="$cache" bash -c '. "$1"; wait_mkdump_locks 1' _ "$SRCDIR/tests/integration/fixture-lock.sh"

# no test runs fixtures/mkdump (which would download and boot): none has
# its path in quotes ("$SRCDIR/fixtures/mkdump" ...) outside comments
check_eq "no integration test runs fixtures/mkdump" "" \
	"$(grep -n 'fixtures/mkdump"' "$SRCDIR"/tests/integration/*.sh | grep -v ':[0-9]*:[[:space:]]*#' | grep -v '/fixtures\.sh:')"

finish
