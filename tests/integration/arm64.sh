#!/usr/bin/env bash
# arm64: Debian's arm64 kernels under qemu-system-aarch64/TCG.
#   bookworm 6.1 cloud (fixtures/mkdump's arm64 kind): arm64-planted,
#   arm64-clean, arm64-corrupt; 4 KiB pages, 48-bit VA.
#   trixie 6.12 cloud (trixie-arm64-planted): a 52-bit VA kernel on a CPU
#   without LPA2, so 48 bits in use and a negative PHYS_OFFSET.
#   sid 7.x cloud (sid-arm64-planted): 52 bits in use (LPA2), SLUB sheaves.
#   trixie 6.12 arm64-16k (trixie-arm64-16k-planted): 16 KiB pages.
# For each:
#   info: aarch64, SLUB, the guest's release and CPUs, page size, VA bits;
#   caches: equal to drgn's page scan (tests/oracles/drgn_slab_counts.py on
#   vmcore.proc, the /proc/vmcore layout: drgn cannot start from QEMU's
#   physical-only ELF), and the same across the dump formats;
#   check: every planted fault at its object with its culprit, nothing else;
#   whatis, tasks, leaks: a planted object, the leaked tasks, the leak;
#   QEMU's kdump file: exit 2 naming it.
# bookworm also: no finding on clean, every corruption kind on corrupt, the
# library with a host's memory and the Python module inside drgn.
# Formats: QEMU's ELF, the /proc/vmcore layout, and makedumpfile's -c / -l
# output where makedumpfile can filter the kernel (Debian's cannot filter
# 4 KiB pages with 52-bit VA: trixie and sid cloud kernels have none).
# QEMU's kdump-compressed file (vmcore.kdump: kdump-zlib, unflattened by
# makedumpfile -R) numbers page frames from PHYS_OFFSET on arm64, which
# libkdumpfile 0.5.1 does not follow: nothing in it translates, and
# slabscope must say so (exit 2, naming the dump and the formats to use),
# not blame the vmlinux.
. "$(dirname "$0")/lib.sh"

planted=$(fixture arm64-planted)
clean=$(fixture arm64-clean)
corrupt=$(fixture arm64-corrupt)

# has JSON JQ-ARGS...: jq -e on JSON, quietly
has() { local json=$1; shift; jq -e "$@" >/dev/null <<<"$json"; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# formats DIR: the dump files of the fixture slabscope reads (truth.json's
# files less QEMU's kdump ones and the console)
formats() {
	jq -r '.files | to_entries[] | select(.key as $k | ["elf", "proc", "mdf", "mdf_lzo"] | index($k)) | .value' "$1/truth.json"
}

# check_info DIR LABEL VA_BITS VA_BITS_CONFIG PAGE_SIZE
check_info() {
	local dir=$1 label=$2 vmlinux file t
	vmlinux=$(truth "$dir" .vmlinux)
	for file in $(formats "$dir"); do
		t="$label/$file"
		run_ss info --json -k "$vmlinux" "$dir/$file"
		check_eq "$t: info exit status" 0 "$rc"
		check_eq "$t: info no stderr" "" "$err"
		check_eq "$t: arch" aarch64 "$(jq -r .arch <<<"$out")"
		check_eq "$t: allocator" SLUB "$(jq -r .allocator <<<"$out")"
		check_eq "$t: VA bits in use (64 - TCR_EL1_T1SZ)" "$3" "$(jq -r .va_bits <<<"$out")"
		check_eq "$t: VA bits built (VMCOREINFO VA_BITS)" "$4" "$(jq -r .va_bits_config <<<"$out")"
		check_eq "$t: page size" "$5" "$(jq -r .page_size <<<"$out")"
		check_eq "$t: release" "$(truth "$dir" .kernel)" "$(jq -r .release <<<"$out")"
		check_eq "$t: CPUs" "$(truth "$dir" .guest.cpus)" "$(jq -r .cpus <<<"$out")"
	done
}

# check_caches DIR LABEL: the same counts from every format (the ELF is
# complete; -d 31 drops no slab page), and equal to drgn's independent page
# scan on every cache but the planted ones (caches.sh says what each side
# makes of those)
counts='[.caches[] | "\(.name) \(.slabs) \(.total_objects) \(.allocated)"] | join("\n")'
check_caches() {
	local dir=$1 label=$2 vmlinux file elf diff n
	vmlinux=$(truth "$dir" .vmlinux)
	run_ss caches --json -k "$vmlinux" "$dir/vmcore.elf"
	check_eq "$label: caches exit 0" 0 "$rc"
	elf=$(jq -r "$counts" <<<"$out")
	printf '%s' "$out" >"$TMP/caches.json"
	for file in $(formats "$dir"); do
		[ "$file" != vmcore.elf ] || continue
		run_ss caches --json -k "$vmlinux" "$dir/$file"
		check "$label/$file: caches equal the ELF's" test "$elf" = "$(jq -r "$counts" <<<"$out")"
	done
	if ! /usr/bin/python3 -c 'import drgn' 2>/dev/null; then
		fail "python3-drgn is installed (scripts/DEPENDS)"
		return
	fi
	if ! /usr/bin/python3 "$SRCDIR/tests/oracles/drgn_slab_counts.py" \
		"$dir/vmcore.proc" "$vmlinux" >"$TMP/oracle.json" 2>"$TMP/oracle.err"; then
		fail "$label: drgn oracle: $(tail -n 1 "$TMP/oracle.err")"
		return
	fi
	diff=$(oracle_diff "$TMP/oracle.json" "$TMP/caches.json" "$dir")
	n=$(jq '.caches | length' "$TMP/caches.json")
	check_eq "$label: every cache ($n) equals drgn's page scan (slabs/total/allocated)" "" "$diff"
	check_eq "$label: as many caches as drgn finds" "$(jq '.caches | length' "$TMP/oracle.json")" "$n"
}

# check_planted DIR LABEL: on every format, each free pointer fault at B
# with A as the culprit, the red zone and the use-after-free at their
# objects with their relations, nothing else; whatis, tasks, leaks on the
# ELF only (the formats read the same memory: caches across them is
# asserted equal above; CI's time goes to the generations instead)
check_planted() {
	local dir=$1 label=$2 vmlinux file t j f id want kind key rel o got
	vmlinux=$(truth "$dir" .vmlinux)
	for file in $(formats "$dir"); do
		t="$label/$file"
		run_ss check --json -k "$vmlinux" "$dir/$file"
		check_eq "$t: check exit 1" 1 "$rc"
		j=$out
		check_freeptr_faults "$t" "$dir" "$j"
		for kind in redzone:redzone-overwritten:own-payload-overflow \
			use_after_free:poison-overwritten:use-after-free; do
			IFS=: read -r key id rel <<<"$kind"
			for o in $(truth "$dir" "(.$key // [])[].object"); do
				f=$(jq -c --arg o "$o" --arg id "$id" '[.findings[] | select(.object == $o and .id == $id)][0]' <<<"$j")
				check_eq "$t: $id at $o (slabscope_debug)" slabscope_debug "$(jq -r .cache <<<"$f")"
				check_eq "$t: $id culprit relation" "$rel" "$(jq -r .culprit.relation <<<"$f")"
			done
		done
		check_eq "$t: nothing else found" \
			"$(truth "$dir" '[.freeptr, .redzone, .use_after_free] | map(length) | add')" \
			"$(jq '.findings | length' <<<"$j")"
		[ "$file" = vmcore.elf ] || continue

		o=$(truth "$dir" '.redzone[0].object')
		run_ss whatis --json -k "$vmlinux" "$dir/$file" "$(printf '0x%x' $((o + 8)))"
		check "$t: whatis: the red zone object is a slabscope_debug object" \
			has "$out" --arg o "$o" '[.. | objects | select(.cache? == "slabscope_debug" and .object? == $o)] | length == 1'
		o=$(truth "$dir" '.leak.examples[0]')
		run_ss whatis --json -k "$vmlinux" "$dir/$file" "$(printf '0x%x' $((o + 100)))"
		check "$t: whatis: a leaked object, allocated kmalloc-512" \
			has "$out" --arg o "$o" '[.. | objects | select(.cache? == "kmalloc-512" and .object? == $o and .state? == "allocated")] | length == 1'

		run_ss tasks --json -k "$vmlinux" "$dir/$file"
		# exit 1: unreachable tasks found (tasks.sh)
		check_eq "$t: tasks exit status 1" 1 "$rc"
		want=$(truth "$dir" '[.task_leak.tasks[].addr] | sort | join(" ")')
		got=$(jq -r '[.unreachable[] | if type == "object" then .address else . end] | sort | join(" ")' <<<"$out" 2>/dev/null)
		check_eq "$t: the leaked task_structs, exactly" "$want" "$got"

		run_ss leaks --json --cache kmalloc-512 -k "$vmlinux" "$dir/$file"
		check_eq "$t: leaks exit 0" 0 "$rc"
		check "$t: leaks: a group of the leak's $(truth "$dir" .leak.count) objects" \
			has "$out" --argjson n "$(truth "$dir" .leak.count)" '[.groups[] | select(.count == $n)] | length == 1'
	done
}

# check_signed DIR LABEL: whatis of pointer-authentication-signed return
# addresses (drgn finds them on init_stack, tests/oracles/drgn_signed_return.py):
# the code address each signs, the same symbol as drgn's
check_signed() {
	local dir=$1 label=$2 vmlinux w s sym n=0
	vmlinux=$(truth "$dir" .vmlinux)
	while read -r w s sym; do
		n=$((n + 1))
		run_ss whatis --json -k "$vmlinux" "$dir/vmcore.elf" "$w"
		check_eq "$label: whatis $w: signed, stripped to $s" "$s" "$(jq -r '.addresses[0].pac_stripped' <<<"$out")"
		check_eq "$label: whatis $w: kernel code, $sym" "kernel $sym" "$(jq -r '.addresses[0] | "\(.kind) \(.symbol)"' <<<"$out")"
	done < <(/usr/bin/python3 "$SRCDIR/tests/oracles/drgn_signed_return.py" "$dir/vmcore.proc" "$vmlinux" 2>"$TMP/signed.err")
	check "$label: drgn finds signed return addresses on init_stack ($n)" test "$n" -gt 0
}

# check_commands DIR LABEL: the commands not checked above, on QEMU's ELF:
# objects and slabs of kmalloc-512 agree with caches, diff of the dump with
# its own caches snapshot shows no growth, batch fails it on its findings
check_commands() {
	local dir=$1 label=$2 vmlinux f=$1/vmcore.elf counts
	vmlinux=$(truth "$dir" .vmlinux)
	run_ss caches --json -k "$vmlinux" "$f"
	printf '%s' "$out" >"$TMP/snap.json"
	counts=$(jq -r '.caches[] | select(.name == "kmalloc-512") | "\(.allocated) \(.total_objects) \(.slabs)"' <<<"$out")
	run_ss objects --json --cache kmalloc-512 -k "$vmlinux" "$f"
	check_eq "$label: objects exit 0" 0 "$rc"
	check_eq "$label: objects of kmalloc-512: allocated and all as caches counts" \
		"${counts% *}" "$(jq -r '"\([.objects[] | select(.state == "allocated")] | length) \(.objects | length)"' <<<"$out")"
	run_ss slabs --json --cache kmalloc-512 -k "$vmlinux" "$f"
	check_eq "$label: slabs exit 0" 0 "$rc"
	check_eq "$label: slabs of kmalloc-512: as many as caches counts" "${counts##* }" \
		"$(jq '[.. | objects | select(has("slab") and has("objects") and has("total"))] | length' <<<"$out")"
	run_ss diff --json -k "$vmlinux" "$TMP/snap.json" "$f"
	check_eq "$label: diff of the dump with its own snapshot: exit 0" 0 "$rc"
	run_ss batch --json -k "$vmlinux" "$f"
	check_eq "$label: batch exits 1 (the planted findings)" 1 "$rc"
	check_eq "$label: batch row FAIL" FAIL "$(head -n 1 <<<"$out" | jq -r .status)"
}

# check_kdump DIR LABEL: QEMU's arm64 kdump file: one clear line, exit 2
check_kdump() {
	run_ss caches -k "$(truth "$1" .vmlinux)" "$1/vmcore.kdump"
	check_eq "$2/vmcore.kdump (QEMU's arm64 kdump-compressed): exit 2" 2 "$rc"
	check "$2/vmcore.kdump: one line naming the dump, not blaming the vmlinux" \
		eval '[ "$(wc -l <<<"$err")" = 1 ] && grep -q "vmcore.kdump: the kernel.s own memory cannot be read.*use QEMU.s ELF dump or makedumpfile.s output" <<<"$err" && ! grep -q "does not belong" <<<"$err"'
}

# bookworm 6.1
check_info "$planted" arm64-planted 48 48 4096
check_info "$corrupt" arm64-corrupt 48 48 4096
check_caches "$planted" arm64-planted
check_caches "$clean" arm64-clean
check_planted "$planted" arm64-planted
check_signed "$planted" arm64-planted
check_commands "$planted" arm64-planted
check_kdump "$planted" arm64-planted

# check on clean: no finding
for file in $(formats "$clean"); do
	run_ss check -k "$(truth "$clean" .vmlinux)" "$clean/$file"
	check_eq "arm64-clean/$file: check exit 0" 0 "$rc"
	check "arm64-clean/$file: 0 findings" grep -q ": 0 findings" <<<"$out"
done

# check on corrupt: every planted fault kind (as generations.sh on x86_64)
for file in vmcore.elf vmcore.mdf; do
	run_ss check --json -k "$(truth "$corrupt" .vmlinux)" "$corrupt/$file"
	check_eq "arm64-corrupt/$file: check exit 1" 1 "$rc"
	for id in list-corrupt slab-cache-invalid counter-mismatch freelist-cycle unreadable; do
		check "arm64-corrupt/$file: $id" \
			has "$out" --arg id "$id" '[.findings[] | select(.id == $id)] | length > 0'
	done
done

# the newer generations: SCENARIO VA_BITS VA_BITS_CONFIG PAGE_SIZE
while read -r scen va vaconf psize; do
	generation_fixture gdir "$scen" "$scen" || continue
	check_info "$gdir" "$scen" "$va" "$vaconf" "$psize"
	check_caches "$gdir" "$scen"
	check_planted "$gdir" "$scen"
	check_signed "$gdir" "$scen"
	check_commands "$gdir" "$scen"
	check_kdump "$gdir" "$scen"
done <<'EOF'
trixie-arm64-planted 48 52 4096
sid-arm64-planted 52 52 4096
trixie-arm64-16k-planted 52 52 16384
EOF

# The library with a host's memory (tests/api/host reads the dump with
# libkdumpfile itself) and the Python module inside drgn 0.0.22, on arm64:
# the CLI's check document (less "source")
dir=$planted
vmlinux=$(truth "$dir" .vmlinux)
"$SLABSCOPE" check --json "$dir/vmcore.mdf" >"$TMP/c.json" 2>/dev/null || true
"$BUILDDIR/tests/api/host" "$dir/vmcore.mdf" "$vmlinux" check >"$TMP/h.json" 2>/dev/null || true
check "arm64: libslabscope with a host's memory gives the CLI's check" \
	cmp -s <(jq -S 'del(.source)' "$TMP/c.json") <(jq -S 'del(.source)' "$TMP/h.json")
pkg=$BUILDDIR/python/build-tree
if [ -d "$pkg/slabscope" ]; then
	# the sanitizer build's module needs its runtime first (drgn-module.sh)
	asan=$(ldd "$pkg"/slabscope/_slabscope*.so 2>/dev/null | awk '/libasan\.so/ { print $3 }')
	ubsan=$(ldd "$pkg"/slabscope/_slabscope*.so 2>/dev/null | awk '/libubsan\.so/ { print $3 }')
	env ${asan:+LD_PRELOAD="$asan $ubsan" ASAN_OPTIONS=detect_leaks=0} \
		PYTHONPATH="$pkg" PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 - \
		"$dir/vmcore.mdf" "$vmlinux" "$dir" >"$TMP/d.json" 2>"$TMP/d.err" <<'PY' || true
import json, sys, drgn, slabscope
prog = drgn.Program()
prog.set_core_dump(sys.argv[1])
prog.load_debug_info([sys.argv[2]])
a = slabscope.Analysis(prog, vmlinux=sys.argv[2], module_dir=sys.argv[3])
r = a.check()
print(r.json if isinstance(r.json, str) else json.dumps(r.json))
PY
	check "arm64: the Python module inside drgn gives the CLI's check" \
		cmp -s <(jq -S 'del(.source)' "$TMP/c.json") <(jq -S 'del(.source)' "$TMP/d.json" 2>/dev/null)
fi

finish
