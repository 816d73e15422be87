#!/usr/bin/env bash
# Hostile dumps, round 2 (issue 20): damaged headers, damaged pages and low
# pointers in real fixture dumps.  Whatever the damage: no crash, no hang,
# no sanitizer report, exit status 0, 1 or 2, and an exit-2 line that names
# the file and the field at fault.
#   SLABSCOPE_FLIP_SETS  random flip sets per dump format (default 10,
#                        and half as many of bits flipped anywhere;
#                        `make fuzz` runs 200)
. "$(dirname "$0")/lib.sh"

dir=$(fixture planted) || { rc=$?; echo "$dir"; exit "$rc"; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
edit=$SRCDIR/tests/integration/dumpedit.py
sets=${SLABSCOPE_FLIP_SETS:-10}

# What ASan, UBSan and LSan print when they find something.
sanitizer_report='ERROR: AddressSanitizer|runtime error:|LeakSanitizer'

# sane T: the run left by run_ss neither crashed nor tripped a sanitizer
sane() {
	check "$1: exit status $rc is 0, 1 or 2" test "$rc" -le 2
	check "$1: no sanitizer report" \
		eval '! grep -qE "$sanitizer_report" <<<"$err"'
}

# survives DESC ARGS...: run slabscope ARGS (120 s at most); 0 if it
# ended with 0, 1 or 2 and no sanitizer report, else 1 with a "#" line;
# $rc is its exit status
survives() {
	local desc=$1
	shift
	rc=0
	timeout 120 "$SLABSCOPE" "$@" >/dev/null 2>"$TMP/err" || rc=$?
	if [ "$rc" -gt 2 ] || grep -qE "$sanitizer_report" "$TMP/err"; then
		echo "# $desc: exit $rc: $(head -c 300 "$TMP/err")"
		return 1
	fi
}

# The fixture's kernel: where kmem_cache.name is, and the link-time
# addresses of linux_banner and slab_caches (drgn reads the vmlinux once).
vml=$(truth "$dir" .vmlinux)
read -r name_off banner sc_addr objsize_off cpuslab_off < <(/usr/bin/python3 -c "
import drgn
p = drgn.Program()
p.load_debug_info(['$vml'])
kc = p.type('struct kmem_cache')
print(drgn.offsetof(kc, 'name'),
      p.symbol('linux_banner').address, p.symbol('slab_caches').address,
      drgn.offsetof(kc, 'object_size'), drgn.offsetof(kc, 'cpu_slab'))")
# kernel_phys ADDR: the physical address of a kernel image address
kaslr=$(truth "$dir" .guest.kaslr_offset)
phys_base=$(truth "$dir" .guest.phys_base)
kernel_phys() { echo $(($1 + kaslr - 0xffffffff80000000 + phys_base)); }

# ---- headers ----

# max_mapnr (the 32-bit field at 440) all ones, max_mapnr_64 intact:
# libkdumpfile's open failed on it and its kdump_free() then read freed
# memory (a crash in the plain build).  Now the header check names it.
for f in vmcore.mdf vmcore.kdump; do
	cp "$dir/$f" "$TMP/$f"
	printf '\377\377\377\377' | dd of="$TMP/$f" bs=1 seek=440 conv=notrunc 2>/dev/null
	for c in info caches; do
		run_ss "$c" "$TMP/$f"
		t="$f, max_mapnr 0xffffffff: $c"
		sane "$t"
		check_eq "$t: exit 2" 2 "$rc"
		check "$t: one line naming the file and the field" \
			grep -qx "slabscope: $TMP/$f: corrupt kdump header: max_mapnr is 0xffffffff but the sub-header's max_mapnr_64 is 0x[0-9a-f]*" <<<"$err"
	done
	rm -f "$TMP/$f"
done

# A header claiming 1 TiB of bitmaps (bitmap_blocks 2^28) on a sparse 2 TiB
# file: the check used to read all of it before anything else.
f=vmcore.mdf
cp "$dir/$f" "$TMP/$f"
printf '\000\000\000\020' | dd of="$TMP/$f" bs=1 seek=436 conv=notrunc 2>/dev/null
truncate -s 2T "$TMP/$f"
s=$SECONDS
rc=0
timeout 60 "$SLABSCOPE" info "$TMP/$f" >/dev/null 2>"$TMP/err" || rc=$?
err=$(cat "$TMP/err")
t="1 TiB bitmap claimed"
sane "$t"
check_eq "$t: exit 2" 2 "$rc"
check "$t: within 10 s ($((SECONDS - s)) s)" test $((SECONDS - s)) -le 10
check "$t: the line names the bitmaps" \
	grep -q "^slabscope: $TMP/$f: corrupt kdump header: max_mapnr 0x[0-9a-f]* needs bitmaps of [0-9]* blocks, the header says 268435456$" <<<"$err"
rm -f "$TMP/$f"

# A sub-header offset of 2^48 (VMCOREINFO's): a damaged field, not a
# truncated copy (it was "truncated dump ... extends to byte 3e14").
f=vmcore.mdf
cp "$dir/$f" "$TMP/$f"
python3 -c "
import struct, sys
f = open(sys.argv[1], 'r+b')
f.seek(428)
bs, = struct.unpack('<i', f.read(4))
f.seek(bs + 32)
f.write(struct.pack('<Q', 1 << 48))" "$TMP/$f"
run_ss info "$TMP/$f"
t="VMCOREINFO offset 2^48"
sane "$t"
check_eq "$t: exit 2" 2 "$rc"
check "$t: a damaged header field, not a truncated dump" \
	grep -q "^slabscope: $TMP/$f: corrupt dump header: the VMCOREINFO would extend to byte [0-9]*, but the file has [0-9]* bytes: a header field is damaged$" <<<"$err"
rm -f "$TMP/$f"

# VMCOREINFO's phys_base damaged (one digit) in the mdf: nothing of the
# kernel translates; the line names phys_base and KERNELOFFSET with their
# values, not the vmlinux.
cp "$dir/vmcore.mdf" "$TMP/pb.mdf"
/usr/bin/python3 - "$TMP/pb.mdf" <<'PYEOF'
import re, sys
with open(sys.argv[1], "r+b") as f:
    data = f.read()
    m = re.search(rb"NUMBER\(phys_base\)=(-?)([0-9])", data)
    f.seek(m.start(2))
    f.write(b"9" if m.group(2) != b"9" else b"8")
PYEOF
run_ss caches "$TMP/pb.mdf"
t="VMCOREINFO phys_base damaged"
sane "$t"
check_eq "$t: exit 2" 2 "$rc"
check "$t: one line naming phys_base and KERNELOFFSET, not the vmlinux" \
	eval '[ "$(wc -l <<<"$err")" = 1 ] && grep -q "^slabscope: $TMP/pb.mdf: the kernel.s own memory cannot be read: .*VMCOREINFO.s phys_base (-*[0-9]*) or KERNELOFFSET ([0-9a-f]*) or the kernel.s page tables are damaged" <<<"$err" && ! grep -q "does not belong" <<<"$err"'
rm -f "$TMP/pb.mdf"

# The first ELF note's name size damaged in the mdf (the notes sit where
# the sub-header's offset_note says): the notes no longer parse, and the
# line says so instead of calling it a dump taken without VMCOREINFO.
cp "$dir/vmcore.mdf" "$TMP/nt.mdf"
/usr/bin/python3 - "$TMP/nt.mdf" <<'PYEOF'
import struct, sys
with open(sys.argv[1], "r+b") as f:
    f.seek(4096 + 48)                       # kdump_sub_header.offset_note
    off, = struct.unpack("<Q", f.read(8))
    f.seek(off)                             # namesz of the first note
    f.write(struct.pack("<I", 0xffffff))
PYEOF
run_ss caches "$TMP/nt.mdf"
t="ELF notes of the mdf damaged"
sane "$t"
check_eq "$t: exit 2" 2 "$rc"
check "$t: one line calling the notes corrupt, not the dump without VMCOREINFO" \
	eval '[ "$(wc -l <<<"$err")" = 1 ] && grep -q "^slabscope: $TMP/nt.mdf: corrupt ELF notes ([0-9]* bytes at byte [0-9]*): they do not parse" <<<"$err"'
rm -f "$TMP/nt.mdf"

# The ELF header's e_machine says ARM: the header is blamed, not the
# vmlinux (it was "the dump's page frames are not where its headers say
# (a QEMU kdump-compressed dump of an arm64 guest is one...)").
cp --sparse=always "$dir/vmcore.elf" "$TMP/em.elf"
printf '\050\000' | dd of="$TMP/em.elf" bs=1 seek=18 conv=notrunc 2>/dev/null
run_ss info "$TMP/em.elf"
t="ELF e_machine ARM"
sane "$t"
check_eq "$t: exit 2" 2 "$rc"
check "$t: the header is named as damaged" \
	grep -q "^slabscope: $TMP/em.elf: the kernel's own memory cannot be read: the file's header says the machine is arm, but its kernel (.*) is x86_64: the header (ELF e_machine) is damaged" <<<"$err"
rm -f "$TMP/em.elf"

# ---- low addresses: only the kernel's own mappings resolve ----

# A NULL kmem_cache.name in QEMU's ELF dump (PT_LOADs with VirtAddr 0):
# the name was read from physical page 0 (shown as "S?", no finding).  Now
# it is unreadable, as in the mdf: a warning, the cache shown as "?".
pob=$(truth "$dir" '.guest.page_offset_base')
kc=$("$SLABSCOPE" caches --json --cache task_struct "$dir/vmcore.mdf" | jq -r '.caches[0].address')
python3 "$edit" elf-poke "$dir/vmcore.elf" "$TMP/null.elf" \
	$((kc - pob + name_off)) 0000000000000000
run_ss check --json "$TMP/null.elf"
t="NULL kmem_cache.name in the ELF dump"
sane "$t"
check_eq "$t: check exit 1" 1 "$rc"
check "$t: an unreadable warning for the name pointer 0x0" \
	jq -e '[.findings[] | select(.id == "unreadable" and (.message | test("name pointer 0x0 is unreadable")))] | length == 1' <<<"$out"
run_ss caches "$TMP/null.elf"
check "$t: caches shows the cache as ?" grep -q "^! ?  *${kc#0x} " <<<"$out"
check "$t: no cache is read from physical page 0 (S?)" eval '! grep -q "S?" <<<"$out"'
rm -f "$TMP/null.elf"

# ---- kmem_cache fields no cache can have (issue 20, 6) ----

# kmalloc-512's object_size 0, then its cpu_slab NULL, in the ELF dump: a
# cache-field-invalid finding naming the field (a NULL cpu_slab was taken
# for a redirected free pointer with an overflow culprit), and no other
# cache's findings change.
kc512=$("$SLABSCOPE" caches --json --cache kmalloc-512 "$dir/vmcore.mdf" | jq -r '.caches[0].address')
"$SLABSCOPE" check --json "$dir/vmcore.elf" |
	jq -c '[.findings[] | select(.cache != "kmalloc-512") | .id] | sort' >"$TMP/other.findings"
for edit_field in "object_size $objsize_off 00000000 object_size is 0" \
	"cpu_slab $cpuslab_off 0000000000000000 cpu_slab is NULL"; do
	read -r fname foff fhex fmsg <<<"$edit_field"
	python3 "$edit" elf-poke "$dir/vmcore.elf" "$TMP/field.elf" $((kc512 - pob + foff)) "$fhex"
	t="kmalloc-512 $fname damaged in the ELF dump"
	run_ss check --json "$TMP/field.elf"
	sane "$t"
	check_eq "$t: check exit 1" 1 "$rc"
	check "$t: cache-field-invalid names $fname" \
		jq -e --arg m "kmalloc-512: $fmsg" '[.findings[] | select(.id == "cache-field-invalid" and (.message | startswith($m)))] | length == 1' <<<"$out"
	check "$t: no free pointer blamed for it" \
		jq -e '[.findings[] | select(.cache == "kmalloc-512" and (.id | startswith("freeptr")))] | length == 0' <<<"$out"
	check "$t: other caches' findings unchanged" \
		eval 'jq -c "[.findings[] | select(.cache != \"kmalloc-512\") | .id] | sort" <<<"$out" | cmp -s - "$TMP/other.findings"'
done
rm -f "$TMP/field.elf"

# A CPU's frozen kmalloc-512 slab with inuse 65520 of 16 objects: frozen
# slabs' counters went unchecked (0 findings).  Its struct page is found in
# the ELF dump by the bytes of its vmemmap page (drgn reads them from the
# mdf; the vmemmap is not linear), and inuse rewritten there.
fslab=$("$SLABSCOPE" slabs --json --cache kmalloc-512 "$dir/vmcore.mdf" |
	jq -r '[.slabs[] | select(.frozen)][0].slab')
cp --sparse=always "$dir/vmcore.elf" "$TMP/frozen.elf"
/usr/bin/python3 - "$dir/vmcore.mdf" "$vml" "$fslab" "$TMP/frozen.elf" <<'PYEOF'
import drgn, sys
prog = drgn.Program()
prog.set_core_dump(sys.argv[1])
prog.load_debug_info([sys.argv[2]])
# The whole vmemmap page holding it: one struct page's 64 bytes need not
# be unique (CI's fixture had two alike), a page of 64 of them is.
addr = int(sys.argv[3], 0)
page = prog.read(addr & ~4095, 4096)
counters = drgn.offsetof(prog.type("struct slab"), "counters")
with open(sys.argv[4], "r+b") as f:
    data = f.read()
    at = data.find(page)
    assert at >= 0 and data.find(page, at + 1) < 0, "vmemmap page not unique"
    f.seek(at + (addr & 4095) + counters)
    f.write((65520).to_bytes(2, "little"))  # inuse:16, the low bits
PYEOF
t="frozen kmalloc-512 slab $fslab with inuse 65520"
run_ss check --json "$TMP/frozen.elf"
sane "$t"
check_eq "$t: check exit 1" 1 "$rc"
check "$t: counter-mismatch on that slab" \
	jq -e --arg s "$fslab" --arg m "inuse is 65520 but" '[.findings[] | select(.id == "counter-mismatch" and .slab == $s and (.message | contains($m)))] | length == 1' <<<"$out"
rm -f "$TMP/frozen.elf"

# ---- slab_caches broken both ways: caches found through their slabs ----

# Both links of the list head garbage: the walk finds no cache from either
# end, yet every slab the page scan sees names its cache: each such cache
# is read from there and analysed like the others (caches without slabs
# are lost, and said to be).
python3 "$edit" elf-poke "$dir/vmcore.elf" "$TMP/list.elf" \
	"$(kernel_phys "$sc_addr")" 00beadde238effff00beadde238effff
run_ss check --json "$dir/vmcore.elf"
good=$out
run_ss check --json "$TMP/list.elf"
t="slab_caches head garbage both ways"
sane "$t"
check_eq "$t: check exit 1" 1 "$rc"
check_eq "$t: every slab still checked" \
	"$(jq .summary.slabs <<<"$good")" "$(jq .summary.slabs <<<"$out")"
check_eq "$t: every object still checked" \
	"$(jq .summary.objects <<<"$good")" "$(jq .summary.objects <<<"$out")"
check "$t: list-corrupt names slab_caches" \
	jq -e '[.findings[] | select(.id == "list-corrupt" and (.message | test("slab_caches")))] | length >= 1' <<<"$out"
check_eq "$t: no slab-cache-invalid" 0 \
	"$(jq '[.findings[] | select(.id == "slab-cache-invalid")] | length' <<<"$out")"
check_eq "$t: every planted fault still found" \
	"$(jq -c '[.findings[] | select(.severity == "error" and .id != "list-corrupt") | .object] | sort' <<<"$good")" \
	"$(jq -c '[.findings[] | select(.severity == "error" and .id != "list-corrupt") | .object] | sort' <<<"$out")"
for c in tasks "objects --cache kmalloc-512" "leaks --cache kmalloc-512"; do
	# shellcheck disable=SC2086
	run_ss $c "$TMP/list.elf"
	check "$t: $c runs (exit $rc)" test "$rc" -le 1
done
rm -f "$TMP/list.elf"

# ---- blame: a damaged page is not another kernel ----

# linux_banner's page damaged in the file: the vmlinux was said not to
# belong to the dump.  The release VMCOREINFO records decides instead.
bpfn=$(($(kernel_phys "$banner") / 4096))
python3 "$edit" flip "$dir/vmcore.mdf" "$TMP/banner.mdf" "$bpfn"
run_ss info "$TMP/banner.mdf"
t="linux_banner's page damaged"
sane "$t"
check_eq "$t: info exit 0" 0 "$rc"
check "$t: no vmlinux blamed" eval '! grep -q "does not belong" <<<"$err"'
run_ss caches "$TMP/banner.mdf"
check_eq "$t: caches exit 0" 0 "$rc"
rm -f "$TMP/banner.mdf"

# ---- damaged page descriptors: damaged pages, not a damaged dump ----

# A kmalloc-512 slab page's descriptor claiming 4 GiB of data (libkdumpfile
# would overflow its page buffer) or data at a far offset: the dump opened
# to "corrupt kdump page descriptor" and nothing else.  Now that page is
# unreadable (never handed to libkdumpfile), its slab a warning, and every
# other cache is counted as in the intact dump.
slab_mem=$("$SLABSCOPE" slabs --json --cache kmalloc-512 "$dir/vmcore.mdf" | jq -r '.slabs[0].memory')
pfn=$(((slab_mem - pob) >> 12))
"$SLABSCOPE" caches --json "$dir/vmcore.mdf" |
	jq -c '[.caches[] | select(.name != "kmalloc-512") | [.name, .objects, .slabs]]' >"$TMP/intact.counts"
for field in "size 0xffffffff" "offset 0x7fffffffffffffff"; do
	# shellcheck disable=SC2086 # field is "NAME VALUE"
	python3 "$edit" desc-poke "$dir/vmcore.mdf" "$TMP/desc.mdf" "$pfn" $field
	t="page descriptor $field (kmalloc-512 slab page $pfn)"
	run_ss check --json "$TMP/desc.mdf"
	sane "$t"
	check_eq "$t: check exit 1 (the analysis goes on)" 1 "$rc"
	check "$t: the slab is unreadable, its page descriptor named" \
		jq -e '[.findings[] | select(.id == "unreadable" and .cache == "kmalloc-512" and (.message | test("page descriptor is damaged")))] | length == 1' <<<"$out"
	run_ss caches --json "$TMP/desc.mdf"
	check "$t: every other cache counted as in the intact dump" \
		eval 'jq -c "[.caches[] | select(.name != \"kmalloc-512\") | [.name, .objects, .slabs]]" <<<"$out" | cmp -s - "$TMP/intact.counts"'
done
rm -f "$TMP/desc.mdf"

# One bit of the dumped-pages bitmap cleared (a dumped slab page) or set
# (page 8 of an excluded run): every page after it would be read from
# another page's data, so nothing translated and the phys_base line
# blamed the placement.  Now the bitmap is named: it disagrees with where
# the page data begins.
for how in "$pfn clear" "set"; do
	if [ "$how" = set ]; then
		# the first page after pfn that the dump lacks
		p=$((pfn + 1))
		while [ "$(python3 "$edit" page "$dir/vmcore.mdf" "$p")" != excluded ]; do p=$((p + 1)); done
		how="$p set"
	fi
	# shellcheck disable=SC2086 # how is "PFN set|clear"
	python3 "$edit" bitmap-bit "$dir/vmcore.mdf" "$TMP/bm.mdf" $how
	t="dumped-pages bitmap: page ${how% *}'s bit ${how#* }"
	run_ss caches "$TMP/bm.mdf"
	sane "$t"
	check_eq "$t: exit 2" 2 "$rc"
	check "$t: one line naming the bitmap as damaged" \
		eval '[ "$(wc -l <<<"$err")" = 1 ] && grep -q "^slabscope: $TMP/bm.mdf: corrupt kdump header: the dumped-pages bitmap lists [0-9]* pages, but the page data begins at byte [0-9]*, where a table of [0-9]* descriptors would end: the bitmap is damaged" <<<"$err"'
done
rm -f "$TMP/bm.mdf"

# ---- random bit flips in compressed page data ----

# Seeded: the same sets on every run.  Each set flips one bit in each of 8
# compressed pages; `caches` must go on, with the damaged pages reported as
# unreadable, whatever libkdumpfile makes of them.
for f in vmcore.mdf vmcore.mdf-lzo vmcore.kdump; do
	[ -f "$dir/$f" ] || continue
	bad=0 worst=0
	for seed in $(seq 1 "$sets"); do
		python3 "$edit" randflip "$dir/$f" "$TMP/flip" "$seed" 8 >/dev/null
		survives "$f seed $seed" caches "$TMP/flip" || bad=$((bad + 1))
		[ "$rc" -gt "$worst" ] && worst=$rc
	done
	check "$f: $sets random flip sets: no crash, hang or sanitizer report (worst exit $worst)" \
		test "$bad" -eq 0
	rm -f "$TMP/flip"
done

# Bits flipped anywhere, headers and tables included, in every format:
# `info` and `caches` end with 0, 1 or 2, never a crash, a hang or a
# sanitizer report.
for f in vmcore.mdf vmcore.mdf-lzo vmcore.kdump vmcore.elf; do
	[ -f "$dir/$f" ] || continue
	bad=0
	for seed in $(seq 1 $(((sets + 1) / 2))); do
		python3 "$edit" randflip-any "$dir/$f" "$TMP/flip" "$seed" 16 >/dev/null
		for c in info caches; do
			survives "$f anywhere seed $seed $c" "$c" "$TMP/flip" ||
				bad=$((bad + 1))
		done
	done
	check "$f: $(((sets + 1) / 2)) sets of 16 bits flipped anywhere: no crash, hang or sanitizer report" \
		test "$bad" -eq 0
	rm -f "$TMP/flip"
done

# ---- around the dump: snapshots, output, options (issue 20, 8-10) ----

d=$dir/vmcore.mdf
"$SLABSCOPE" caches --json "$d" >"$TMP/s.json"
# A negative count in a snapshot is refused, naming the cache and field.
jq '.caches[0].allocated = -5' "$TMP/s.json" >"$TMP/neg.json"
run_ss diff "$TMP/s.json" "$TMP/neg.json"
check_eq "snapshot with a negative count: exit 2" 2 "$rc"
check "snapshot with a negative count: the line says which" \
	grep -q "^slabscope: $TMP/neg.json: cache 0 (.*): allocated is -5, a count cannot be negative$" <<<"$err"
# Two caches of one name ("?" for unreadable names) stay two rows.
jq '.caches[0].name = "?" | .caches[1].name = "?"' "$TMP/s.json" >"$TMP/q1.json"
jq '.caches[0].name = "?" | .caches[1].name = "?" | .caches[1].allocated += 100' \
	"$TMP/s.json" >"$TMP/q2.json"
run_ss diff --json "$TMP/q1.json" "$TMP/q2.json"
check_eq "two caches named ?: two rows, each with its own counts" \
	"$(jq -c '[.caches[0].allocated, .caches[1].allocated + 100]' "$TMP/s.json")" \
	"$(jq -c '[.caches[] | select(.name == "?") | .allocated_after] | sort' <<<"$out" | jq -c 'sort')"

# Write errors on stdout: exit 2 with one line, batch too.
for c in "batch" "batch --json" "objects --cache kmalloc-512" "objects --json --cache kmalloc-512"; do
	rc=0
	# shellcheck disable=SC2086
	"$SLABSCOPE" $c "$d" >/dev/full 2>"$TMP/err" || rc=$?
	check_eq "$c > /dev/full: exit 2" 2 "$rc"
	check "$c > /dev/full: says so" grep -q "writing .*output (No space left on device)" "$TMP/err"
done

# Options: a count is digits, a timeout a number of seconds.
for a in "caches --top ''" "caches --top 99999999999999999999" "caches --top ' 3'" \
	"batch --timeout ''" "batch -j ''"; do
	eval run_ss "$a" "$d"
	check_eq "$a: exit 2" 2 "$rc"
done
run_ss whatis "$d" -- -1
check_eq "whatis DUMP -- -1: exit 2" 2 "$rc"
run_ss batch --rules "$TMP" "$d"
check "batch --rules DIR: says it is a directory" grep -q "$TMP: cannot read (Is a directory)" <<<"$err"
# Blanks around '>' as slabscope-rules(5) allows.
run_ss diff --fail-if 'task_struct > +10%' "$d" "$d"
check_eq "--fail-if 'task_struct > +10%': accepted, not crossed" 0 "$rc"
run_ss help caches
check_eq "slabscope help caches: exit 0" 0 "$rc"
check "slabscope help caches: the command's help" grep -q "^Usage: slabscope caches" <<<"$out"
# A timed-out dump's row has the time it ran, and it is killed at its
# deadline, not when it next writes (planted takes 0.15-0.3 s).
run_ss batch --json --timeout 0.03 "$d"
check "batch: a timed-out row's seconds are the time it ran" \
	jq -se '.[0].status == "ERROR" and .[0].seconds >= 0.03 and .[0].seconds < 0.15' <<<"$out"

finish
