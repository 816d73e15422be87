#!/usr/bin/env bash
# slabscope batch over generated dumps: planted (FAIL), clean (PASS), an
# unreadable file and a flattened dump (ERROR) give the expected rows, exit
# status and a JUnit file that validates; rules change verdicts; a baseline
# turns growth into failures.
. "$(dirname "$0")/lib.sh"

planted=$(fixture planted)
clean=$(fixture clean)
base=$(fixture baseline)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "not a dump" >"$tmp/garbage.vmcore"

run_ss batch -j 2 --junit "$tmp/junit.xml" "$planted/vmcore.mdf" \
	"$clean/vmcore.mdf" "$tmp/garbage.vmcore" "$planted/vmcore.flat"
check_eq "exit status 2 (an ERROR row)" 2 "$rc"
# A one-byte overwrite may leave an invalid or a redirected pointer,
# depending on where the boot put the objects: either names the cache.
check "planted: FAIL" grep -qE "^FAIL  $planted/vmcore.mdf: .*freeptr-(invalid|redirected) in slabscope_fp_partial" <<<"$out"
check "clean: PASS" grep -q "^PASS  $clean/vmcore.mdf\$" <<<"$out"
check "garbage: ERROR with the reason" grep -q "^ERROR $tmp/garbage.vmcore: not a kernel dump" <<<"$out"
check "flattened: ERROR says makedumpfile -R" grep -q "^ERROR $planted/vmcore.flat: .*makedumpfile -R" <<<"$out"
check_eq "rows in input order" "FAIL PASS ERROR ERROR" \
	"$(awk '/^(PASS|FAIL|ERROR)/ {printf "%s%s", sep, $1; sep=" "}' <<<"$out")"
check "summary" grep -q '^4 dumps: 1 passed, 1 failed, 2 errors$' <<<"$out"
check "JUnit validates against the schema" \
	xmllint --noout --schema "$SRCDIR/tests/data/junit.xsd" "$tmp/junit.xml"
check_eq "JUnit counts" "4 1 2" \
	"$(xmllint --xpath 'concat(/testsuites/@tests, " ", /testsuites/@failures, " ", /testsuites/@errors)' "$tmp/junit.xml")"

# Without errors the exit status says pass/fail.
run_ss batch "$clean/vmcore.mdf" "$base/vmcore.mdf"
check_eq "all pass: exit 0" 0 "$rc"
run_ss batch "$clean/vmcore.mdf" "$planted/vmcore.kdump"
check_eq "a failure: exit 1" 1 "$rc"

# Rules: ignore the planted caches' findings, warn on one.
cat >"$tmp/rules" <<'R'
# planted on purpose
ignore finding * in slabscope_fp_*
warn finding redzone-overwritten
ignore finding poison-overwritten in slabscope_debug
R
run_ss batch --rules "$tmp/rules" "$planted/vmcore.mdf"
check_eq "rules: everything ignored or warned: exit 0" 0 "$rc"
check "rules: the warning is shown" grep -q '^PASS .*warning: redzone-overwritten in slabscope_debug' <<<"$out"
echo "fail finding redzone-overwritten in slabscope_*" >>"$tmp/rules"
run_ss batch --rules "$tmp/rules" --json "$planted/vmcore.mdf"
check_eq "rules: a later line overrides: exit 1" 1 "$rc"
check_eq "JSON lines: one row and a summary" 2 "$(wc -l <<<"$out")"
check_eq "JSON row status" FAIL "$(head -1 <<<"$out" | jq -r .status)"
check_eq "JSON row: the failing reason as ids and a count" \
	"fail finding redzone-overwritten slabscope_debug 1" \
	"$(head -1 <<<"$out" | jq -r '.reasons[] | select(.verdict == "fail") | "\(.verdict) \(.id) \(.finding) \(.cache) \(.count)"')"
check_eq "JSON row: what the dump is" \
	"$planted/vmcore.mdf $(truth "$planted" .guest.release) SLUB" \
	"$(head -1 <<<"$out" | jq -r '"\(.source.dump) \(.source.release) \(.source.allocator)"')"
check_eq "JSON summary: counts and the rules" "0 1 0 $tmp/rules" \
	"$(tail -1 <<<"$out" | jq -r '"\(.summary.passed) \(.summary.failed) \(.summary.errors) \(.rules)"')"
run_ss batch --json "$tmp/garbage.vmcore" "$planted/vmcore.flat"
check_eq "JSON: ERROR rows say why as an id" "not-a-dump not-a-dump" \
	"$(jq -r 'select(.status == "ERROR") | .error_id' <<<"$out" | xargs)"

# Growth against a baseline snapshot.
"$SLABSCOPE" caches --json "$base/vmcore.mdf" >"$tmp/base.json"
cat >"$tmp/growth" <<'R'
ignore finding *
fail growth kmalloc-512 > +100%
warn growth task_struct > +10%
R
run_ss batch --rules "$tmp/growth" --baseline "$tmp/base.json" "$planted/vmcore.mdf" "$base/vmcore.elf"
check_eq "growth: exit 1" 1 "$rc"
check "growth: planted fails on kmalloc-512" grep -q "^FAIL  $planted/vmcore.mdf: growth kmalloc-512 " <<<"$out"
check "growth: planted warns on task_struct" grep -q "warning: growth task_struct" <<<"$out"
check "growth: the baseline itself passes" grep -q "^PASS  $base/vmcore.elf\$" <<<"$out"
run_ss batch --json --rules "$tmp/growth" --baseline "$tmp/base.json" "$planted/vmcore.mdf"
check_eq "growth JSON: the reason's id, cache, counts and rule" \
	"growth kmalloc-512 $(jq '.caches[] | select(.name == "kmalloc-512") | .allocated' "$tmp/base.json") kmalloc-512>+100%" \
	"$(head -1 <<<"$out" | jq -r '.reasons[] | select(.verdict == "fail") | "\(.id) \(.cache) \(.before) \(.rule)"')"
check_eq "growth JSON: the summary's baseline, with the dump it was saved from" \
	"caches-json $base/vmcore.mdf" \
	"$(tail -1 <<<"$out" | jq -r '"\(.baseline.kind) \(.baseline.source.dump)"')"

# A directory is scanned for dumps.
mkdir -p "$tmp/dir/sub"
ln -s "$clean/vmcore.mdf" "$tmp/dir/link-is-not-followed"
cp "$tmp/garbage.vmcore" "$tmp/dir/sub/notes.txt"
head -c 4096 "$planted/vmcore.kdump" >"$tmp/dir/sub/truncated.kdump"
run_ss batch "$tmp/dir"
check_eq "directory: only the dump-looking file, as an ERROR" \
	"ERROR $tmp/dir/sub/truncated.kdump" "$(awk '/^(PASS|FAIL|ERROR)/ {print $1, $2}' <<<"$out" | tr -d :)"

# Bad rules and options.
echo "fail finding no-such-id" >"$tmp/bad"
run_ss batch --rules "$tmp/bad" "$clean/vmcore.mdf"
check_eq "unknown finding id in rules: exit 2" 2 "$rc"
check "the message names file and line" grep -q "$tmp/bad:1: unknown finding id" <<<"$err"
run_ss batch --rules "$tmp/growth" "$clean/vmcore.mdf"
check_eq "growth rules without --baseline: exit 2" 2 "$rc"
run_ss batch -j 0 "$clean/vmcore.mdf"
check_eq "-j 0: exit 2" 2 "$rc"
# An empty directory: a clear line, not undefined behaviour (UBSan caught
# qsort(NULL, 0) in the sanitizer build).
mkdir "$tmp/empty"
run_ss batch "$tmp/empty"
check_eq "empty directory: exit 2" 2 "$rc"
check "empty directory: says so" grep -q "no dumps found under $tmp/empty" <<<"$err"

finish
