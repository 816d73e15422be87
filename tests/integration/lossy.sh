#!/usr/bin/env bash
# Lossy makedumpfile dumps (issue 14): makedumpfile 1.7.8 misses pages of
# 7.x kernels, and libkdumpfile 0.5.1 corrupted its page cache after a read
# of such a page (SIGSEGV in kdump_read() on the sid-planted mdf).  caches
# and check must finish with their own status (0, 1), the missing pages
# reported as unreadable findings, never a signal.  Skipped when the
# fixture has not been generated (fixtures/mkdump sid-planted).
. "$(dirname "$0")/lib.sh"

if ! dir=$(cached_fixture sid-planted); then
	listed sid-planted || { echo "SKIP: fixture sid-planted not generated"; exit 77; }
	skip_all "fixture sid-planted not generated"
fi
vmlinux=$(truth "$dir" .vmlinux)
# jqe FILTER: jq -e on $out, false when there is no output at all
jqe() { [ -n "$out" ] && jq -e "$1" >/dev/null <<<"$out"; }
ran=0
for f in vmcore.mdf vmcore.mdf-lzo; do
	[ -f "$dir/$f" ] || continue
	ran=$((ran + 1))
	run_ss caches -q -k "$vmlinux" "$dir/$f"
	check_eq "$f: caches exits 0 (no signal)" 0 "$rc"
	check "$f: caches lists the caches" grep -q kmalloc-512 <<<"$out"
	run_ss check --json -k "$vmlinux" "$dir/$f"
	check_eq "$f: check exits 1 (findings, no signal)" 1 "$rc"
	n=$(jq '[.findings[] | select(.id == "unreadable")] | length' \
		<<<"$out" 2>/dev/null) || n=0
	[[ $n =~ ^[0-9]+$ ]] || n=0
	check "$f: missing pages are unreadable findings ($n)" test "$n" -gt 0
	check "$f: the unreadable pages are excluded by makedumpfile" \
		jqe '[.findings[] | select(.id == "unreadable")
			| .message | test("excluded by makedumpfile")] | all'
	check "$f: the planted free pointer faults are still found" \
		jqe '[.findings[] | select(.id == "freeptr-invalid")]
			| length > 0'
done
[ "$ran" -gt 0 ] || skip_all "sid-planted has no makedumpfile output"
finish
