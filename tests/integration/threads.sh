#!/usr/bin/env bash
# Read-ahead threads (--threads, SLABSCOPE_JOBS; issue 19): the analysis
# reads the struct page array and the slab pages on worker threads, each
# with a libkdumpfile context of its own, and takes the bytes in order, so
# every output is the same byte for byte with 1, 2 or 5 threads: on a
# complete and on filtered dumps, on corrupt kernel state (unreadable
# pages, garbage pointers), on a lossy makedumpfile dump (failed reads in
# the workers), on the SLAB build, on arm64 (a 52-bit kernel running with
# 48 bits), and on QEMU's arm64 kdump file that cannot be read at all.
. "$(dirname "$0")/lib.sh"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# same LABEL ARGS...: the command's stdout, stderr and exit status with
# --threads 1, 2 and 5 (and SLABSCOPE_JOBS=3 without --threads) are equal
same() {
	local label=$1 n
	shift
	"$SLABSCOPE" "$@" --threads 1 >"$TMP/1.out" 2>"$TMP/1.err"
	echo $? >>"$TMP/1.out"
	for n in 2 5 env; do
		if [ $n = env ]; then
			SLABSCOPE_JOBS=3 "$SLABSCOPE" "$@" >"$TMP/n.out" 2>"$TMP/n.err"
		else
			"$SLABSCOPE" "$@" --threads $n >"$TMP/n.out" 2>"$TMP/n.err"
		fi
		echo $? >>"$TMP/n.out"
		check "$label: --threads $n as 1 (stdout, status)" cmp -s "$TMP/1.out" "$TMP/n.out"
		check "$label: --threads $n as 1 (stderr)" cmp -s "$TMP/1.err" "$TMP/n.err"
	done
}

# One format each (what the read-ahead sees differs by format: the
# makedumpfile file where there is one, compressed and filtered; the ELF
# on arm64's 52-bit kernels; QEMU's kdump file on arm64, unreadable)
checked=0
for sc_f in planted:vmcore.mdf corrupt:vmcore.elf slab-corrupt:vmcore.mdf \
	sid-corrupt:vmcore.mdf trixie-corrupt:vmcore.mdf arm64-corrupt:vmcore.kdump \
	trixie-arm64-planted:vmcore.elf; do
	sc=${sc_f%%:*} f=${sc_f#*:}
	generation_fixture dir "$sc" "$sc" || continue
	vmlinux=$(truth "$dir" .vmlinux)
	checked=$((checked + 1))
	same "$sc/$f caches" caches --json -q -k "$vmlinux" "$dir/$f"
	same "$sc/$f check" check --json -q -k "$vmlinux" "$dir/$f"
done
dir=$(fixture planted)
same "planted slabs" slabs -q --cache kmalloc-512 "$dir/vmcore.mdf"
check "some fixtures were compared ($checked files)" test "$checked" -gt 0

# the option's values
for bad in 0 65 -1 x '' 2x; do
	run_ss caches --threads "$bad" "$dir/vmcore.mdf"
	check_eq "--threads '$bad': exit 2" 2 "$rc"
	check "--threads '$bad': one line naming the option" \
		eval '[ "$(wc -l <<<"$err")" = 1 ] && grep -q -- "--threads takes a number from 1 to 64" <<<"$err"'
done
run_ss --threads 2 caches "$dir/vmcore.mdf" --threads 64
check_eq "--threads before and after the command, 64: exit 0" 0 "$rc"
SLABSCOPE_JOBS=garbage run_ss caches -q "$dir/vmcore.mdf"
check_eq "SLABSCOPE_JOBS garbage is ignored: exit 0" 0 "$rc"

finish
