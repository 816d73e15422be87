#!/usr/bin/env bash
# slabscope info on the planted fixture of each kernel generation (5.10,
# 6.1, 6.12, 7.x): release, CPUs, allocator and cache count, in makedumpfile
# and ELF format.  A generation whose fixture has not been generated is
# skipped (its recipe is not in tests/integration/FIXTURES yet), unless
# SLABSCOPE_REQUIRE_FIXTURES=1.
. "$(dirname "$0")/lib.sh"

# label scenario, one generation a line
generations="5.10 bullseye-planted
6.1 planted
6.12 trixie-planted
7.x sid-planted"

# Generations whose allocator the SLUB probe does not recognise yet
# (src/lib/slab/slub.c probes kmem_cache.cpu_slab, which 7.x replaced by
# cpu_sheaves): their allocator check is reported, not counted.
allocator_xfail=" 7.x "

ran=0
while read -r label scenario; do
	if ! dir=$(cached_fixture "$scenario"); then
		if [ "${SLABSCOPE_REQUIRE_FIXTURES:-0}" = 1 ]; then
			fail "$label: fixture $scenario missing"
		else
			echo "SKIP: $label: fixture $scenario not generated"
		fi
		continue
	fi
	ran=$((ran + 1))
	vmlinux=$(truth "$dir" .vmlinux)
	release=$(truth "$dir" .kernel)
	cpus=$(truth "$dir" .guest.cpus)
	for file in vmcore.mdf vmcore.elf; do
		t="$label $scenario/$file"
		run_ss info --json -k "$vmlinux" "$dir/$file"
		check_eq "$t: exit status" 0 "$rc"
		check_eq "$t: no stderr" "" "$err"
		j() { jq -r "$1" <<<"$out" 2>/dev/null; }
		check_eq "$t: release" "$release" "$(j .release)"
		check_eq "$t: CPUs" "$cpus" "$(j .cpus)"
		allocator=$(j .allocator)
		if [ "$allocator" != SLUB ] && [[ $allocator_xfail == *" $label "* ]]; then
			echo "XFAIL: $t: allocator: expected 'SLUB', got '$allocator' (SLUB probe of src/lib/slab/)"
		else
			check_eq "$t: allocator" SLUB "$allocator"
		fi
		caches=$(j .caches)
		check "$t: more than 100 caches ($caches)" test "${caches:-0}" -gt 100
	done
done <<<"$generations"

if [ "$ran" = 0 ] && [ "$nfail" = 0 ]; then
	echo "SKIP: no generation's fixture generated"
	exit 77
fi
finish
