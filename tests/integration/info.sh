#!/usr/bin/env bash
# slabscope info on real dumps of every format, 4- and 5-level paging, with
# KASLR on; checked against the guest's own ground truth and against drgn.
. "$(dirname "$0")/lib.sh"

drgn_cache_count() { # DUMP VMLINUX
	/usr/bin/python3 - "$1" "$2" <<'PY' 2>/dev/null
import sys, drgn
from drgn.helpers.linux.slab import for_each_slab_cache
prog = drgn.Program()
prog.set_core_dump(sys.argv[1])
prog.load_debug_info([sys.argv[2]])
print(sum(1 for _ in for_each_slab_cache(prog)))
PY
}

for scenario in planted la57; do
	dir=$(fixture "$scenario")
	vmlinux=$(truth "$dir" .vmlinux)
	release=$(truth "$dir" .kernel)
	kaslr=$(truth "$dir" .guest.kaslr_offset)
	cpus=$(truth "$dir" .guest.cpus)
	if [ "$(truth "$dir" .guest.pgtable_l5)" = true ]; then levels=5; else levels=4; fi
	# drgn reads the makedumpfile dump (it cannot translate QEMU's ELF).
	want_caches=$(drgn_cache_count "$dir/vmcore.mdf" "$vmlinux")
	check "$scenario: drgn counted the caches" test -n "$want_caches"

	for file in vmcore.elf vmcore.kdump vmcore.mdf vmcore.mdf-lzo; do
		t="$scenario/$file"
		run_ss info --json "$dir/$file"
		check_eq "$t: exit status" 0 "$rc"
		check_eq "$t: no stderr" "" "$err"
		j() { jq -r "$1" <<<"$out"; }
		check_eq "$t: release" "$release" "$(j .release)"
		check_eq "$t: arch" x86_64 "$(j .arch)"
		check_eq "$t: KASLR offset" "$kaslr" "$(j .kaslr_offset)"
		check_eq "$t: paging levels" "$levels" "$(j .paging_levels)"
		check_eq "$t: VA bits" "$([ "$levels" = 5 ] && echo 57 || echo 48)" "$(j .va_bits)"
		check_eq "$t: CPUs" "$cpus" "$(j .cpus)"
		check_eq "$t: nodes" 1 "$(j .nodes)"
		check_eq "$t: page size" 4096 "$(j .page_size)"
		check_eq "$t: allocator" SLUB "$(j .allocator)"
		check_eq "$t: freelist hardened" true "$(j .freelist_hardened)"
		check_eq "$t: SLUB_DEBUG" true "$(j .slub_debug)"
		check_eq "$t: caches as drgn counts them" "$want_caches" "$(j .caches)"
		check_eq "$t: vmlinux found automatically" "$vmlinux" "$(j .vmlinux)"
		case $file in
		vmcore.elf) fmt=elf comp=none filtered=false ;;
		vmcore.kdump) fmt=kdump-compressed comp=zlib filtered=false ;;
		vmcore.mdf) fmt=kdump-compressed comp=zlib filtered=true ;;
		vmcore.mdf-lzo) fmt=kdump-compressed comp=lzo filtered=true ;;
		esac
		check_eq "$t: format" "$fmt" "$(j .format)"
		check_eq "$t: compression" "$comp" "$(j .compression)"
		check_eq "$t: filtered" "$filtered" "$(j .filtered)"
	done
done

# Text output, options after the operand, an explicit vmlinux.
dir=$(fixture planted)
vmlinux=$(truth "$dir" .vmlinux)
run_ss info "$dir/vmcore.mdf" -k "$vmlinux"
check_eq "text: exit status" 0 "$rc"
check "text: allocator line" grep -q '^allocator: *SLUB$' <<<"$out"
check "text: KASLR line" grep -q "^KASLR offset: *$(truth "$dir" .guest.kaslr_offset)\$" <<<"$out"
run_ss info "$dir/vmcore.kdump" --vmlinux="$vmlinux" --json
check_eq "--vmlinux= after the operand" "$vmlinux" "$(jq -r .vmlinux <<<"$out")"

finish
