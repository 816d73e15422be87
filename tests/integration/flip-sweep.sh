#!/usr/bin/env bash
# Issue 20's random-flip sweep: SLABSCOPE_SWEEP_SETS (default 200) seeded
# sets of flipped bits per dump format of the planted fixture (makedumpfile
# zlib and lzo, QEMU's kdump, QEMU's ELF), over headers, the whole file and
# compressed pages (tests/integration/flipsweep.py says how).  Not in `make
# check`: at 0.1-0.2 s a run it takes the build without sanitizers, beside
# memcheck (`make flip-sweep`, run by scripts/test); the sanitizer build
# runs hostile-dumps.sh's smaller sets.
. "$(dirname "$0")/lib.sh"

dir=$(fixture planted) || { rc=$?; echo "$dir"; exit "$rc"; }
dumps=()
for f in vmcore.mdf vmcore.mdf-lzo vmcore.kdump vmcore.elf; do
	[ -f "$dir/$f" ] && dumps+=("$dir/$f")
done
exec python3 "$SRCDIR/tests/integration/flipsweep.py" "$SLABSCOPE" \
	"${SLABSCOPE_SWEEP_SETS:-200}" "${dumps[@]}"
