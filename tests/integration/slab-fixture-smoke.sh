#!/bin/bash
# Smoke test of the SLAB real-dump fixtures (fixtures/mkdump, KERNEL_KIND=slab:
# Debian's linux-source-6.1 built with CONFIG_SLAB + DEBUG_SLAB): every dump
# file of each scenario must open with libkdumpfile, carry VMCOREINFO
# (OSRELEASE == the built release, KERNELOFFSET == truth's KASLR offset) and
# contain the planted bytes that truth.json describes (freelist index
# entries, red zone words, poison, leaked objects); the allocator's counters
# in truth.json must agree with themselves; drgn and slabscope info are tried.
#
# usage: tests/integration/slab-fixture-smoke.sh [SCENARIO...]
#        (default: slab-clean slab-planted)
# Never generates a fixture: a missing one skips the test (fails it under
# SLABSCOPE_REQUIRE_FIXTURES=1) naming the fixtures/mkdump command to run
# (its first run builds the SLAB kernel, ~5 minutes on 2 cores, and
# downloads linux-source-6.1, ~140 MB).
# Ends with "N passed, N failed"; exit 1 if anything failed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# fixture: the cached fixture (tests/integration/lib.sh)
. "$ROOT/tests/integration/lib.sh"
SCENARIOS=("$@")
[ ${#SCENARIOS[@]} -gt 0 ] || SCENARIOS=(slab-clean slab-planted)
PY=/usr/bin/python3
PASS=0
FAIL=0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

ok() { PASS=$((PASS + 1)); printf 'PASS: %s\n' "$*"; }
bad() { FAIL=$((FAIL + 1)); printf 'FAIL: %s\n' "$*"; }
note() { printf 'note %s\n' "$*"; }

# shellcheck disable=SC2046
gcc -Wall -O1 -o "$TMP/kdcheck" "$ROOT/fixtures/tools/kdcheck.c" \
	$(pkg-config --cflags --libs libkdumpfile)

for scen in "${SCENARIOS[@]}"; do
	dir=$(fixture "$scen")
	truth=$dir/truth.json

	# truth.json self-checks; then line 2: kernel, line 3: KASLR offset,
	# line 4: KVADDR EXPECTED pairs that must read back from every dump
	if "$PY" - "$truth" >"$TMP/checks" 2>"$TMP/truth.err" <<'EOF'; then
import json, sys
d = json.load(open(sys.argv[1]))
g = d["guest"]
probs = []
def want(cond, msg):
    if not cond:
        probs.append(msg)
want(d.get("kernel_kind") == "slab", "kernel_kind %r" % d.get("kernel_kind"))
want(g.get("allocator") == "SLAB", "guest allocator %r" % g.get("allocator"))
want(d["kernel"].endswith("-slabscope-slab"), "kernel %s" % d["kernel"])
want(not d["freeptr"], "SLUB freeptr entries on SLAB")
scen = set(filter(None, g["scenarios"].split(",")))
if "freeptr" in scen:
    faults = sorted(f["fault"] for f in d["freelist_index"])
    want(faults == ["allocated_object", "duplicate", "out_of_range"], "faults %s" % faults)
    want(sorted(f["placement"] for f in d["freelist_index"]) ==
         ["objfreelist", "off_slab", "on_slab"], "placements")
for f in d["freelist_index"]:
    want(f["list"] == "slabs_partial", "%s on %s" % (f["cache"], f["list"]))
    want(f["active"] <= f["position"] < f["num"], "%s position" % f["cache"])
    want(f["old"] < f["num"] and f["new"] != f["old"], "%s values" % f["cache"])
    want((f["new"] >= f["num"]) == (f["fault"] == "out_of_range"), "%s range" % f["cache"])
for u in d["use_after_free"]:
    want(u["where"] == "slab_freelist" and u["freelist_position"] >= u["slab_active"],
         "uaf not a free entry of its slab")
    want(u["redzone1"] == "0x9f911029d74e35b", "uaf red zone 1 %s" % u["redzone1"])
for r in d["redzone"]:
    want(r["redzone1"] == "0xd84156c5635688c0" and r["word_old"] == "0xd84156c5635688c0",
         "red zone words %s %s" % (r["redzone1"], r["word_old"]))
if "leak512" in scen:
    want(d["leak"] and d["leak"]["count"] == 3000, "leak count")
    want(d["leak"].get("store_user") is False, "kmalloc-512 store_user")
names = {c["cache"] for c in d["slab_counters"]}
want({"kmalloc-512", "task_struct", "kmem_cache"} <= names, "counters for %s" % sorted(names))
for c in d["slab_counters"]:
    listed = c["partial_slabs_listed"] + c["full_slabs_listed"] + c["free_slabs_listed"]
    if not c["quiescent"]:
        continue
    n = c["cache"]
    want(c["total_slabs"] == listed, "%s: total_slabs %d, listed %d" % (n, c["total_slabs"], listed))
    want(c["free_slabs"] == c["free_slabs_listed"], "%s: free_slabs" % n)
    want(c["free_objects"] == c["total_slabs"] * c["num"] - c["active_partial"] - c["active_full"],
         "%s: free_objects" % n)
    want(c["slabinfo"]["active_objs"] == c["num"] * c["total_slabs"] - c["free_objects"],
         "%s: active_objs" % n)
if probs:
    sys.stderr.write("; ".join(probs) + "\n")
    sys.exit(1)
print("ok")
print(d["kernel"])
print(g["kaslr_offset"])
le = lambda v: "hex:" + int(v, 16).to_bytes(8, "little").hex()
pairs = []
for f in d["freelist_index"]:
    pairs += [f["entry_addr"], "hex:%02x" % f["new"]]
for r in d["redzone"]:
    pairs += [r["bad_addr"], "hex:" + r["new"], r["word_addr"], le(r["word_new"]),
              r["raw"], le("0xd84156c5635688c0")]
for u in d["use_after_free"]:
    # red zone 1 inactive, then the poisoned object up to the write
    pairs += [u["bad_addr"], "hex:" + u["new"],
              u["raw"], le("0x09f911029d74e35b") + "6b" * 16]
if d["leak"]:
    for a in d["leak"]["examples"]:
        pairs += [a, "IPMIRPLY"]
print(" ".join(pairs))
print(d["vmlinux"])
print("%d freelist faults, %d red zone, %d use-after-free, %d counter sets" % (
    len(d["freelist_index"]), len(d["redzone"]), len(d["use_after_free"]),
    len(d["slab_counters"])))
EOF
		ok "$scen: truth.json consistent (SLAB, $(sed -n 6p "$TMP/checks"))"
	else
		bad "$scen: truth.json: $(cat "$TMP/truth.err")"
		continue
	fi
	release=$(sed -n 2p "$TMP/checks")
	kaslr=$(sed -n 3p "$TMP/checks")
	read -r -a pairs < <(sed -n 4p "$TMP/checks")
	for f in vmcore.elf vmcore.kdump vmcore.mdf vmcore.mdf-lzo; do
		if out=$("$TMP/kdcheck" -s addrxlat.ostype=linux -a x86_64 "$dir/$f" "${pairs[@]}" 2>&1); then
			koff=$(printf '%s\n' "$out" | sed -n 's/^KERNELOFFSET: //p')
			rel=$(printf '%s\n' "$out" | sed -n 's/^OSRELEASE: //p')
			if [ "0x$koff" != "$kaslr" ]; then
				bad "$scen/$f: KERNELOFFSET 0x$koff != truth $kaslr"
			elif [ "$rel" != "$release" ]; then
				bad "$scen/$f: OSRELEASE $rel != $release"
			else
				ok "$scen/$f: libkdumpfile reads it, OSRELEASE=$rel, KERNELOFFSET=$kaslr, $((${#pairs[@]} / 2)) planted values"
			fi
		else
			bad "$scen/$f: libkdumpfile: $(printf '%s' "$out" | grep -E 'FAIL|MISSING' | head -3 | tr '\n' ' ')"
		fi
	done
	if "$TMP/kdcheck" "$dir/vmcore.flat" >/dev/null 2>&1; then
		bad "$scen/vmcore.flat: libkdumpfile accepted the flattened format (expected a refusal)"
	else
		ok "$scen/vmcore.flat: refused by libkdumpfile (flattened format)"
	fi

	vmlinux=$(sed -n 5p "$TMP/checks")
	if "$PY" -c 'import drgn' 2>/dev/null; then
		if "$PY" - "$dir/vmcore.mdf" "$vmlinux" >"$TMP/drgn.out" 2>&1 <<'EOF'
import sys, drgn
p = drgn.Program()
p.set_core_dump(sys.argv[1])
p.load_debug_info([sys.argv[2]])
print(p["init_uts_ns"].name.release.string_().decode())
print(p.type("freelist_idx_t"))
EOF
		then
			if grep -qxF "$release" "$TMP/drgn.out"; then
				ok "$scen/vmcore.mdf: drgn reads init_uts_ns and freelist_idx_t"
			else
				bad "$scen/vmcore.mdf: drgn read release '$(head -n 1 "$TMP/drgn.out")'"
			fi
		else
			bad "$scen/vmcore.mdf: drgn: $(tail -n 1 "$TMP/drgn.out")"
		fi
	fi
	# slabscope's own view, informative only (its SLAB model is tested elsewhere)
	if [ -x "$ROOT/build/slabscope" ]; then
		alloc=$("$ROOT/build/slabscope" info -k "$vmlinux" "$dir/vmcore.mdf" 2>&1 |
			grep -i -m 1 'allocator' || true)
		note "$scen/vmcore.mdf: slabscope info: ${alloc:-no allocator line}"
	fi
done
echo "$PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
