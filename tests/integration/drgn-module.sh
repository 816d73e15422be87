#!/usr/bin/env bash
# The Python module for drgn (python/slabscope, man slabscope-python(7)):
# on the planted, corrupt and clean fixture of every kernel generation,
# one Python process opens the dump with drgn and runs every query
# through the module, reading the kernel through prog.read; each answer
# must be the slabscope command's on the same dump: check's and caches'
# --json documents (all but "source", which names the dump for the
# command and the debugger for the module) and texts, whatis of the
# planted addresses, slabs and objects of a planted cache; the findings
# as objects equal the document's.  Then what a user can get wrong: a
# garbage address (a clean answer), a wrong vmlinux, an unknown cache
# and a Program that is no kernel (slabscope.Error, no crash); and the
# module without drgn (slabscope.open of a dump file).
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
pkg=$BUILDDIR/python/build-tree
[ -f "$pkg/slabscope/__init__.py" ] ||
	skip_all "no Python module built: configure found no development files for $PY (apt-get install python3-dev)"
so=$(echo "$pkg"/slabscope/_slabscope*.so)
# PYTHONDONTWRITEBYTECODE: no __pycache__ in the build tree (distcheck
# wants it clean after distclean).
export PYTHONPATH=$pkg PYTHONDONTWRITEBYTECODE=1

# In a --enable-sanitizers build (CI's) the module and libslabscope are
# built with ASan and UBSan, but /usr/bin/python3 is not: ASan's runtime
# must be the first library of the process, so the Python processes get
# the very runtimes the module was linked with preloaded (UBSan's is
# loaded anyway; preloaded for symmetry).  Their leak check is off:
# CPython and drgn keep what they allocated until exit, by design, and
# LSan would report all of it (libslabscope's own leaks are checked by
# every other test, on the CLI).  The slabscope commands run as usual.
asan=$(ldd "$so" 2>/dev/null | awk '/libasan\.so/ { print $3 }')
ubsan=$(ldd "$so" 2>/dev/null | awk '/libubsan\.so/ { print $3 }')
py() {
	if [ -n "$asan" ]; then
		LD_PRELOAD="$asan${ubsan:+ $ubsan}" \
			ASAN_OPTIONS=detect_leaks=0:abort_on_error=0:halt_on_error=1 \
			"$PY" "$@"
	else
		"$PY" "$@"
	fi
}
[ -n "$asan" ] && echo "# sanitizer build: $PY runs with LD_PRELOAD=$asan${ubsan:+ $ubsan}"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# Python prints "ok DESC" or "not ok DESC: WHY" a check: counted here
# (tally < <(...), not in a pipeline's subshell).
tally() {
	local line
	while IFS= read -r line; do
		case $line in
		"ok "*) pass "${1}${line#ok }" ;;
		"not ok "*) fail "${1}${line#not ok }" ;;
		*) echo "$line" ;;
		esac
	done
}

# ---- without a dump ----
cat >"$TMP/nodump.py" <<'EOF'
import sys
try:
    import slabscope
    print("ok import slabscope (version %s)" % slabscope.__version__)
except Exception as e:
    print("not ok import slabscope: %r" % e)
    sys.exit()

def raises(desc, code, fn, *args, **kw):
    try:
        fn(*args, **kw)
    except slabscope.Error as e:
        good = e.code == code and str(e)
        print(("ok " if good else "not ok ") + "%s: slabscope.Error (%s): %s" % (desc, e.code, e))
    except Exception as e:
        print("not ok %s: %r, not slabscope.Error" % (desc, e))
    else:
        print("not ok %s: no error" % desc)

raises("open() of a missing file", "io", slabscope.open, "/nonexistent/vmcore")
raises("open() of a file that is no dump", "format", slabscope.open, sys.argv[1])
try:
    slabscope.Analysis()
    print("not ok Analysis() without a program: no error")
except TypeError as e:
    print("ok Analysis() without a program: TypeError: %s" % e)
try:
    import drgn
except ImportError:
    print("drgn not installed: no Program checks")
else:
    try:
        slabscope.check(drgn.Program())
        print("not ok a Program that is no kernel: no error")
    except slabscope.Error as e:
        print("ok a Program that is no kernel: slabscope.Error: %s" % e)
    except Exception as e:
        print("not ok a Program that is no kernel: %r" % e)
EOF
tally "" < <(py "$TMP/nodump.py" "$SRCDIR/README.md" 2>&1)

dumps_disabled && {
	finish
	exit
}

# ---- on every generation's fixtures ----
# The queries of one dump in one process: writes DIR/{check,caches,
# whatis,slabs,objects}.{json,txt,status} (json without "source") and
# prints its checks.
cat >"$TMP/queries.py" <<'EOF'
import json, os, sys, time
import drgn
import slabscope

dump, vmlinux, wrong, out, addrs, cache, find = sys.argv[1:8]
addrs = [int(a, 16) for a in open(addrs).read().split()]


def ok(desc, cond, why=""):
    print(("ok " if cond else "not ok ") + desc + ("" if cond else ": " + str(why)))


def save(name, r):
    doc = dict(r.json)
    doc.pop("source", None)
    with open(os.path.join(out, name + ".json"), "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
    with open(os.path.join(out, name + ".txt"), "w") as f:
        f.write(r.text)
    with open(os.path.join(out, name + ".status"), "w") as f:
        f.write("%d\n" % r.status)


prog = drgn.Program()
prog.set_core_dump(dump)
try:
    prog.load_debug_info([vmlinux])
except drgn.MissingDebugInfoError as e:  # modules' debug info: not needed
    pass

t = time.monotonic()
try:
    # the module's .ko beside the dump, where the command looks
    a = slabscope.analysis(prog, vmlinux, module_dir=os.path.dirname(dump))
    r = slabscope.check(prog)
except slabscope.Error as e:
    ok("the module opens the kernel drgn has open", False, "slabscope.Error: %s" % e)
    sys.exit()
print("# load and check through drgn: %.1f s" % (time.monotonic() - t))
ok("one Analysis kept for the Program", a is slabscope.analysis(prog) and prog.cache)
ok("its vmlinux", os.path.realpath(a.vmlinux) == os.path.realpath(vmlinux), a.vmlinux)
save("check", r)
fj = r.json.get("findings", [])
ok("findings as objects: as many as the document's (%d)" % len(fj), len(r.findings) == len(fj), len(r.findings))
h = lambda s: None if s is None else int(s, 16)
bad = []
for f, j in zip(r.findings, fj):
    want = slabscope.Finding(j["id"], j["severity"], j.get("cache"), h(j.get("slab")),
                             h(j.get("object")), h(j["address"]), h(j.get("value")),
                             j["message"], h((j.get("culprit") or {}).get("object")),
                             (j.get("culprit") or {}).get("relation"))
    if f != want:
        bad.append("%r != %r" % (f, want))
ok("findings as objects equal the document's", not bad, "; ".join(bad[:2]))
ok("Result repr", "check: status %d" % r.status in repr(r), repr(r))
if r.findings:
    ok("Finding repr", r.findings[0].kind in repr(r.findings[0]), repr(r.findings[0]))

t = time.monotonic()
c = slabscope.caches(prog)
print("# caches on the kept model: %.2f s" % (time.monotonic() - t))
save("caches", c.result)
ok("caches(): one Cache a document entry (%d)" % len(c),
   len(c) == len(c.result.json["caches"]) and all(isinstance(x, slabscope.Cache) for x in c))
if c:
    first = c[0]
    ok("caches()[name] is the cache of that name", c[first.name] is first)
    ok("Cache attributes: address an int, counts", isinstance(first.address, int)
       and first.allocated == first.json["allocated"], repr(first))
    ok("Cache repr", first.name in repr(first), repr(first))

save("whatis", slabscope.whatis(prog, addrs))
for x in (0xdead000000000000, 0, 0xffffffffffffffff, 0xffff888000000000 - 8):
    try:
        w = slabscope.whatis(prog, x)
        ok("whatis of garbage %#x: a clean answer" % x, w.status == 0 and w.text.startswith(hex(x)), w.text)
    except Exception as e:
        ok("whatis of garbage %#x: a clean answer" % x, False, repr(e))
try:
    w = slabscope.whatis(prog, prog["init_task"].address_of_())
    ok("whatis of a drgn Object: init_task", w.json["addresses"][0].get("symbol") == "init_task+0x0", w.text)
except Exception as e:
    ok("whatis of a drgn Object: init_task", False, repr(e))

if cache:
    save("slabs", slabscope.slabs(prog, cache))
    save("objects", slabscope.objects(prog, cache))
try:
    slabscope.slabs(prog, "no-such-cache")
    ok("slabs of an unknown cache: slabscope.Error", False, "no error")
except slabscope.Error as e:
    ok("slabs of an unknown cache: slabscope.Error (%s)" % e.code, e.code == "notfound", e)

if wrong:
    try:
        slabscope.Analysis(prog, vmlinux=wrong)
        ok("a wrong vmlinux: slabscope.Error", False, "no error")
    except slabscope.Error as e:
        ok("a wrong vmlinux: slabscope.Error (%s): %s" % (e.code, e), e.code == "mismatch" and wrong in str(e), e)
    except Exception as e:
        ok("a wrong vmlinux: slabscope.Error", False, repr(e))
    ok("the kept Analysis survives it", slabscope.analysis(prog) is a)

if find == "find":
    # no vmlinux: the library finds it by the kernel's release and
    # build-id (VMCOREINFO), here in ~/.cache/slabscope/kernels
    try:
        b = slabscope.Analysis(prog)
        ok("no vmlinux given: the library finds the kernel's", os.path.realpath(b.vmlinux)
           == os.path.realpath(vmlinux), b.vmlinux)
        b.close()
    except slabscope.Error as e:
        ok("no vmlinux given: the library finds the kernel's", False, e)
EOF

# label scenarios...: one generation a line (whatis.sh's list)
# Every scenario on 6.1 and 7.x; planted and corrupt on the others (the
# module is the same code whatever the generation; CI's time is counted).
generations="6.1 planted corrupt clean
5.10 bullseye-planted bullseye-corrupt
6.12 trixie-planted trixie-corrupt
7.x sid-planted sid-corrupt sid-clean
6.1-SLAB slab-planted slab-corrupt"

# Every fixture's vmlinux: another generation's is a wrong one.
vmlinuxes=$(for t in "$FIXTURE_CACHE"/fixtures/*/*/truth.json; do jq -r .vmlinux "$t"; done 2>/dev/null | sort -u)

ran=0
start=$SECONDS
while read -r label scenarios; do
	for s in $scenarios; do
		generation_fixture dir "$label $s" "$s" || continue
		ran=$((ran + 1))
		vmlinux=$(truth "$dir" .vmlinux)
		# makedumpfile mis-filters 7.x (README support table): the
		# complete mdf0 where the fixture has one.  drgn reads
		# makedumpfile's format through libkdumpfile, as slabscope
		# does; it cannot translate addresses in the fixtures' ELF
		# dumps (QEMU's, without the kernel's page tables' phys_base:
		# "recursive address translation").
		dump=$dir/vmcore.mdf
		[ -f "$dir/vmcore.mdf0" ] && dump=$dir/vmcore.mdf0
		wrong=$(grep -vxF "$vmlinux" <<<"$vmlinuxes" | head -n 1)
		# planted addresses: freelist pointers, damaged bytes, caches
		jq -r '[.freeptr[]? | .a, .b, .b_freeptr_addr] + [.redzone[]?.bad_addr]
			+ [.use_after_free[]?.bad_addr] + [.caches[]?.addr]
			+ [.guest.init_task] | map(select(. != null)) | .[]' \
			"$dir/truth.json" >"$TMP/addrs"
		echo 0xdead000000000000 >>"$TMP/addrs"
		cache=$(truth "$dir" '[.caches[]?.name][0] // "kmalloc-64"')
		o=$TMP/$s
		mkdir -p "$o/py" "$o/cli"
		tally "$label $s: " < <(py "$TMP/queries.py" "$dump" "$vmlinux" \
			"$wrong" "$o/py" "$TMP/addrs" "$cache" \
			"$([ "$s" = "${scenarios%% *}" ] && echo find)" 2>"$o/py.err")
		if [ -s "$o/py.err" ]; then
			fail "$label $s: the Python process wrote to stderr: $(head -c 600 "$o/py.err")"
		fi
		# the commands on the same dump
		cli() { # NAME ARGS...
			local n=$1 rc=0
			shift
			"$SLABSCOPE" "$@" -k "$vmlinux" "$dump" >"$o/cli/$n.txt" 2>>"$o/cli.err" || rc=$?
			echo "$rc" >"$o/cli/$n.status"
			rc=0
			"$SLABSCOPE" "$@" --json -k "$vmlinux" "$dump" 2>>"$o/cli.err" |
				jq -S 'del(.source)' >"$o/cli/$n.json"
		}
		cli check check
		cli caches caches
		rc=0
		"$SLABSCOPE" whatis -k "$vmlinux" "$dump" <"$TMP/addrs" >"$o/cli/whatis.txt" 2>>"$o/cli.err" || rc=$?
		echo "$rc" >"$o/cli/whatis.status"
		"$SLABSCOPE" whatis --json -k "$vmlinux" "$dump" <"$TMP/addrs" 2>>"$o/cli.err" |
			jq -S 'del(.source)' >"$o/cli/whatis.json"
		cli slabs slabs --cache "$cache"
		cli objects objects --cache "$cache"
		for q in check caches whatis slabs objects; do
			t="$label $s: $q"
			if [ ! -f "$o/py/$q.json" ]; then
				fail "$t: no answer from the module"
				continue
			fi
			jq -S . "$o/py/$q.json" >"$o/py/$q.sorted.json"
			d=$(diff "$o/cli/$q.json" "$o/py/$q.sorted.json" | head -n 8)
			check_eq "$t: JSON document as the command's (but source)" "" "$d"
			d=$(cmp -s "$o/cli/$q.txt" "$o/py/$q.txt" && echo same || diff "$o/cli/$q.txt" "$o/py/$q.txt" | head -n 8)
			check_eq "$t: text as the command's" same "$d"
			check_eq "$t: status as the command's" "$(cat "$o/cli/$q.status")" "$(cat "$o/py/$q.status")"
		done
		if [ "$s" = "${scenarios%% *}" ]; then
			check "$label $s: the planted findings are there" \
				test "$(jq '.findings | length' "$o/py/check.json")" -gt 0
		fi
	done
done <<<"$generations"
echo "# $ran dumps in $((SECONDS - start)) s"
if [ "$ran" = 0 ] && [ "$nfail" = 0 ]; then
	echo "SKIP: no generation's fixture generated"
fi
finish
