#!/usr/bin/env bash
# Symbols of modules and debug files found by build-id (slabscope(1), DEBUG
# FILES), on real dumps: the planted fixture's slabscope_debug objects were
# allocated and freed by the module's __init code, freed since.  With the
# module's .ko (beside the dump, --module, the .build-id tree, the -dbg and
# installed module trees, or debuginfod) those frames are named and checked
# against the .ko's own disassembly; a .ko of another build is passed over
# with a warning.  The vmlinux is found by the dump's build-id in a
# .build-id tree, and fetched from a real local debuginfod server.
. "$(dirname "$0")/lib.sh"

# Nothing outside the test's directories may answer a lookup.
unset DEBUGINFOD_URLS DEBUGINFOD_CACHE_PATH XDG_CACHE_HOME
tmp=$(mktemp -d)
server=
cleanup() {
	[ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$tmp/empty" "$tmp/home"
export SLABSCOPE_SYSROOT=$tmp/empty

dir=$(fixture planted)
vmlinux=$(truth "$dir" .vmlinux)
rel=$(truth "$dir" .kernel)
ko=$dir/$(truth "$dir" .module)
build_id() { readelf -n "$1" | awk '/Build ID:/ { print $3; exit }'; }
ko_id=$(build_id "$ko")
vmlinux_id=$(build_id "$vmlinux")
check "the fixture's .ko has a build-id" test -n "$ko_id"
check "the vmlinux has a build-id" test -n "$vmlinux_id"

# jqe FILTER JSON [ARGS...]: does the filter hold?
jqe() {
	local f=$1 j=$2
	shift 2
	jq -e "$@" "$f" <<<"$j" >/dev/null
}

# The same dump in a directory of its own, with no .ko beside it.
mkdir -p "$tmp/bare"
ln -s "$dir/vmcore.mdf" "$tmp/bare/vmcore.mdf"
bare=$tmp/bare/vmcore.mdf

# track JSON SIDE: the culprit's alloc or free track of the red zone
# (alloc) or use-after-free (free) finding.
rz_obj=$(truth "$dir" '.redzone[0].object')
uaf_obj=$(truth "$dir" '.use_after_free[0].object')
track() {
	local obj=$rz_obj
	[ "$2" = free ] && obj=$uaf_obj
	jq -c --arg o "$obj" --arg s "$2" \
		'.findings[] | select(.object == $o and .culprit != null) | .culprit[$s]' <<<"$1" | head -1
}

# called_before KO OFFSET FUNCTION: in the .ko's .init.text, the 5 bytes
# before OFFSET are a call whose relocation names FUNCTION (the frame is a
# return address: the truth, independent of slabscope).
called_before() {
	local d
	d=$(objdump -dr --section=.init.text --start-address=$(($2 - 5)) \
		--stop-address=$(($2)) "$1")
	# (6.10+ allocation profiling renamed the allocators *_noprof)
	grep -q 'call' <<<"$d" &&
		grep -Eq "R_X86_64_(PLT|PC)32[[:space:]]+$3(_noprof)?([-+]|$)" <<<"$d"
}

# init_offset KO SYMBOL: the symbol's offset in .init.text.
init_offset() {
	local sec
	sec=$(readelf -SW "$1" | sed -n 's/^ *\[ *\([0-9]*\)\] \.init\.text .*/\1/p')
	readelf -sW "$1" | awk -v s="$2" -v n="$sec" '$8 == s && $7 == n { print $2; exit }'
}

# check_named LABEL JSON KO: the freed init frames read "ssfx_plant+0xOFF
# [slabscope_fixture, init]" (the module's __init planting code; ssfx_init
# where it is inlined), and the call before each is the allocator's.
check_named() {
	local label=$1 j=$2 k=$3 side fn sym off base
	for side in alloc free; do
		fn=kmem_cache_alloc
		[ "$side" = free ] && fn=kmem_cache_free
		sym=$(jq -r '.symbol' <<<"$(track "$j" "$side")")
		if [[ ! $sym =~ ^(ssfx_init|ssfx_plant)\+0x([0-9a-f]+)\ \[slabscope_fixture,\ init\]$ ]]; then
			fail "$label: $side caller is ssfx_plant+0x.. [slabscope_fixture, init], not '$sym'"
			continue
		fi
		pass "$label: $side caller $sym"
		off=$((0x${BASH_REMATCH[2]}))
		base=$((0x$(init_offset "$k" "${BASH_REMATCH[1]}")))
		check "$label: the instruction before the $side caller calls $fn" \
			called_before "$k" $((base + off)) "$fn"
	done
}

# ---- the .ko beside the dump ----
run_ss check --json "$dir/vmcore.mdf"
check_eq "beside: exit status 1 (findings)" 1 "$rc"
beside=$out
# A report without its source (which dump file and vmlinux were read: a
# copy of the dump, a build-id link or a debuginfod download is another
# path).
novml() { jq -S 'del(.source)' <<<"$1"; }
check_named "beside" "$beside" "$ko"
alloc=$(track "$beside" alloc)
src=$(jq -r .source <<<"$alloc")
check "beside: the alloc caller's source line is slabscope_fixture.c:N ($src)" \
	grep -Eq '/slabscope_fixture\.c:[0-9]+$|^slabscope_fixture\.c:[0-9]+$' <<<"$src"
line=${src##*:}
check "beside: that line of the fixture's source calls kmem_cache_alloc" \
	grep -q kmem_cache_alloc <<<"$(sed -n "${line}p" "$SRCDIR/fixtures/kmod/slabscope_fixture.c")"
check "beside: the module frame of the stack has the same line" \
	test "$(jq -r '.stack_sources[0]' <<<"$alloc")" = "$src"
check "beside: do_one_initcall's frame has its line in init/main.c" \
	jqe '[.stack, .stack_sources] | transpose | any(.[0] | startswith("do_one_initcall+")) and
		(map(select(.[0] | startswith("do_one_initcall+")))[0][1] | test("^init/main\\.c:[0-9]+$"))' "$alloc"
check_eq "beside: no symbol warnings" 0 "$(jq '.symbol_warnings | length' <<<"$beside")"
run_ss check "$dir/vmcore.mdf"
check "beside, text: the frame with its source line" \
	grep -Eq '^ +ssfx_(init|plant)\+0x[0-9a-f]+ \[slabscope_fixture, init\] \(.*slabscope_fixture\.c:[0-9]+\)$' <<<"$out"

# ---- no .ko anywhere: the freed code stays unnamed ----
run_ss check --json "$bare"
sym=$(jq -r .symbol <<<"$(track "$out" alloc)")
check_eq "no .ko: the freed init frame is unnamed" \
	"$(jq -r .caller <<<"$(track "$out" alloc)") [module area: freed init code or an unloaded module]" "$sym"
check_eq "no .ko: no source line" null "$(jq -r .source <<<"$(track "$out" alloc)")"
check_eq "no .ko: no symbol warnings" 0 "$(jq '.symbol_warnings | length' <<<"$out")"
nothing=$out

# ---- --module ----
run_ss check --json --module "$ko" "$bare"
check_eq "--module: the same report as with the .ko beside the dump" "$(novml "$beside")" "$(novml "$out")"

# A .ko of another build of the same module (the 5.10 fixture's): not used,
# with a warning; the frames stay unnamed rather than wrongly named.
other=
for d in "${SLABSCOPE_CACHE:-$HOME/.cache/slabscope}"/fixtures/*/*; do
	[ -f "$d/slabscope_fixture.ko" ] || continue
	[ "$(build_id "$d/slabscope_fixture.ko")" != "$ko_id" ] || continue
	other=$d/slabscope_fixture.ko
	break
done
if [ -z "$other" ]; then
	# No other kernel's fixture: the same .ko with its build-id changed.
	other=$tmp/other.ko
	cp "$ko" "$other"
	python3 - "$other" "$ko_id" <<'PY'
import sys
p, hexid = sys.argv[1], sys.argv[2]
b = bytearray(open(p, 'rb').read())
i = b.find(bytes.fromhex(hexid))
b[i] ^= 0xff
open(p, 'wb').write(b)
PY
fi
other_id=$(build_id "$other")
run_ss check --json --module "$other" "$bare"
check_eq "wrong build-id: exit status 1" 1 "$rc"
check_eq "wrong build-id: the frames stay unnamed" "$(jq -S . <<<"$nothing")" \
	"$(jq -S '.symbol_warnings = []' <<<"$out")"
check_eq "wrong build-id: one warning" 1 "$(jq '.symbol_warnings | length' <<<"$out")"
check "wrong build-id: it names the file and both build-ids" \
	jqe '.symbol_warnings[0] | contains($f) and contains($a) and contains($b) and contains("not used")' \
	"$out" --arg f "$other" --arg a "$other_id" --arg b "$ko_id"
run_ss check --module "$other" "$bare"
check "wrong build-id, text: a warning line at the end" \
	grep -q "^warning: $other: build-id $other_id is not that of the loaded module slabscope_fixture" <<<"$out"
run_ss check --json --module "$other" --module "$ko" "$bare"
check_eq "wrong then right --module: the right one is used" \
	"$(jq -S '.symbol_warnings = [] | del(.source)' <<<"$beside")" "$(jq -S '.symbol_warnings = [] | del(.source)' <<<"$out")"
check_eq "wrong then right --module: the wrong one is warned about" 1 \
	"$(jq '.symbol_warnings | length' <<<"$out")"

# A .ko of no loaded module, and a file that is no ELF file.
printf 'name=not_loaded\0license=GPL\0' >"$tmp/modinfo"
gcc -c -x c /dev/null -o "$tmp/empty.o"
objcopy --add-section .modinfo="$tmp/modinfo" "$tmp/empty.o" "$tmp/not_loaded.ko"
run_ss check --json --module "$tmp/not_loaded.ko" --module "$SRCDIR/README.md" "$dir/vmcore.mdf"
check "a module not loaded: warned about" \
	jqe '.symbol_warnings | any(contains("module not_loaded is not loaded in the dump"))' "$out"
check "a file that is no ELF: warned about" \
	jqe '.symbol_warnings | any(startswith($f))' "$out" --arg f "$SRCDIR/README.md"
check_eq "unused --module files change no frame" "$(jq -S '.findings' <<<"$beside")" \
	"$(jq -S '.findings' <<<"$out")"

# ---- the system's directories, under SLABSCOPE_SYSROOT ----
# by_root LABEL ROOT: the bare dump with that sysroot names the frames.
by_root() {
	SLABSCOPE_SYSROOT=$2 run_ss check --json "$bare"
	check_eq "$1: the same report as with the .ko beside the dump" "$(novml "$beside")" "$(novml "$out")"
}
r=$tmp/root-buildid
mkdir -p "$r/usr/lib/debug/.build-id/${ko_id:0:2}"
ln -s "$ko" "$r/usr/lib/debug/.build-id/${ko_id:0:2}/${ko_id:2}.debug"
by_root "module by build-id (.build-id/xx/rest.debug)" "$r"
r=$tmp/root-dbg
mkdir -p "$r/usr/lib/debug/lib/modules/$rel/extra"
ln -s "$ko" "$r/usr/lib/debug/lib/modules/$rel/extra/slabscope_fixture.ko"
by_root "module in the -dbg tree (/usr/lib/debug/lib/modules/REL)" "$r"
r=$tmp/root-mod
mkdir -p "$r/lib/modules/$rel/updates/misc"
# the kernel's module names have '_' where file names may have '-'
ln -s "$ko" "$r/lib/modules/$rel/updates/misc/slabscope-fixture.ko"
by_root "module in /lib/modules/REL (file named with a dash)" "$r"
r=$tmp/root-wrong
mkdir -p "$r/lib/modules/$rel/extra"
ln -s "$other" "$r/lib/modules/$rel/extra/slabscope_fixture.ko"
SLABSCOPE_SYSROOT=$r run_ss check --json "$bare"
check "another build in /lib/modules/REL: not used, warned about" \
	jqe '(.symbol_warnings | length) == 1 and (.symbol_warnings[0] | startswith($f))' \
	"$out" --arg f "$r/lib/modules/$rel/extra/slabscope_fixture.ko"

# ---- leaks: the call site of the debug cache's object ----
run_ss leaks --json --cache slabscope_debug "$dir/vmcore.mdf"
check "leaks: the call site is the freed init code, named" \
	jqe '.groups[0].site | test("^ssfx_(init|plant)\\+0x[0-9a-f]+ \\[slabscope_fixture, init\\]$")' "$out"
run_ss leaks --json --cache slabscope_debug --module "$other" "$bare"
check "leaks: a .ko of another build is warned about" \
	jqe '(.symbol_warnings | length) == 1 and (.groups[0].site | endswith("[module area: freed init code or an unloaded module]"))' "$out"

# ---- other kernel generations (module layout mem[] on 6.4+, notes
# without a count on 7.x): the freed init frames, named and true ----
for scenario in trixie-planted sid-planted; do
	generation_fixture gdir "$scenario" "$scenario" || continue
	run_ss check --json "$gdir/vmcore.mdf"
	gko=$gdir/$(truth "$gdir" .module)
	rz_obj=$(truth "$gdir" '.redzone[0].object') \
		uaf_obj=$(truth "$gdir" '.use_after_free[0].object') \
		check_named "$scenario" "$out" "$gko"
done

# ---- the vmlinux by build-id ----
run_ss info --json "$dir/vmcore.mdf"
check_eq "info: the dump's build-id is its vmlinux's" "$vmlinux_id" "$(jq -r .build_id <<<"$out")"
# With no cache and an empty sysroot, nothing is found, and the message
# says where the build-id was looked for.
nocache() { SLABSCOPE_CACHE=$tmp/empty HOME=$tmp/home "$@"; }
nocache run_ss info "$dir/vmcore.mdf"
check_eq "no vmlinux anywhere: exit status 2" 2 "$rc"
check "no vmlinux anywhere: the message names the .build-id path" \
	grep -qF "$tmp/empty/usr/lib/debug/.build-id/${vmlinux_id:0:2}/${vmlinux_id:2}.debug" <<<"$err"
r=$tmp/root-vmlinux
mkdir -p "$r/usr/lib/debug/.build-id/${vmlinux_id:0:2}"
ln -s "$vmlinux" "$r/usr/lib/debug/.build-id/${vmlinux_id:0:2}/${vmlinux_id:2}.debug"
SLABSCOPE_SYSROOT=$r nocache run_ss check --json "$dir/vmcore.mdf"
check_eq "vmlinux by build-id: the same report as with -k" "$(novml "$beside")" "$(novml "$out")"

# ---- debuginfod: a real local server ----
have_debuginfod() {
	grep -q '^#define HAVE_DEBUGINFOD 1' "$BUILDDIR/config.h" 2>/dev/null &&
		command -v debuginfod >/dev/null
}
if ! have_debuginfod; then
	echo "SKIP: debuginfod tests (slabscope built without libdebuginfod, or no debuginfod server)"
	finish
	exit $?
fi
mkdir -p "$tmp/srv"
ln -s "$vmlinux" "$tmp/srv/vmlinux"
ln -s "$ko" "$tmp/srv/slabscope_fixture.ko"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# -L: follow the symlinks; -t 0 -g 0: one scan, one groom; -c 1: one
# scanner (2 CPUs).
debuginfod -L -F -p "$port" -d "$tmp/index.sqlite" -t 0 -g 0 -c 1 "$tmp/srv" \
	>"$tmp/debuginfod.log" 2>&1 &
server=$!
url=http://127.0.0.1:$port
# Wait until both files are indexed (the vmlinux is 0.6 GB): /metrics.
indexed() {
	python3 - "$url/metrics" <<'PY'
import re, sys, urllib.request
try:
    m = urllib.request.urlopen(sys.argv[1], timeout=5).read().decode()
except Exception:
    sys.exit(1)
files = sum(float(v) for v in re.findall(r'^scanned_files_total\{[^}]*\} (\S+)', m, re.M))
busy = re.search(r'^thread_busy\{role="scan"\} (\S+)', m, re.M)
sys.exit(0 if files >= 2 and busy and float(busy.group(1)) == 0 else 1)
PY
}
t0=$(date +%s)
until indexed; do
	if [ $(($(date +%s) - t0)) -gt 300 ] || ! kill -0 "$server" 2>/dev/null; then
		break
	fi
	sleep 1
done
check "debuginfod indexed the vmlinux and the .ko in $(($(date +%s) - t0)) s" indexed
export DEBUGINFOD_URLS=$url DEBUGINFOD_CACHE_PATH=$tmp/dcache
start=$(date +%s.%N)
nocache run_ss check --json "$bare"
secs=$(echo "$(date +%s.%N) - $start" | bc)
echo "# debuginfod: vmlinux and .ko fetched, check done in $secs s"
check_eq "debuginfod: exit status 1 (findings)" 1 "$rc"
check_eq "debuginfod: the same report as with -k and the .ko" "$(novml "$beside")" "$(novml "$out")"
check_eq "debuginfod: nothing on stderr (not a terminal)" "" "$err"
check "debuginfod: the vmlinux is in the client's cache" \
	test -s "$tmp/dcache/$vmlinux_id/debuginfo"
check "debuginfod: the .ko is in the client's cache" \
	test -s "$tmp/dcache/$ko_id/debuginfo"
kill "$server"
wait "$server" 2>/dev/null
server=
nocache run_ss check --json "$bare"
check_eq "debuginfod's cache, the server gone: the same report" "$(novml "$beside")" "$(novml "$out")"
rm -rf "$tmp/dcache"
DEBUGINFOD_TIMEOUT=5 nocache run_ss info "$bare"
check_eq "debuginfod unreachable, no vmlinux: exit status 2" 2 "$rc"
check "debuginfod unreachable: the message says debuginfod was asked" \
	grep -q "debuginfod ($url) has no debug file of build-id $vmlinux_id" <<<"$err"
check_eq "debuginfod unreachable: one line on stderr" 1 "$(printf '%s\n' "$err" | wc -l)"

finish
