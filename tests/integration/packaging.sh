#!/usr/bin/env bash
# Packaging (issue 15): what make install puts where (the program, man
# pages, shell completion, README and COPYING; no headers, no library),
# make uninstall takes it all back; COPYING is the GPL-2 every file's SPDX
# line names; configure runs without CUnit (the unit tests are skipped,
# naming libcunit1-dev); the README's build dependencies are
# scripts/DEPENDS's.
. "$(dirname "$0")/lib.sh"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# ---- make install / uninstall into a staging directory
dest=$TMP/dest
if make -C "$BUILDDIR" -s install DESTDIR="$dest" >"$TMP/install.log" 2>&1; then
	pass "make install DESTDIR=..."
else
	fail "make install DESTDIR=...: $(tail -n 5 "$TMP/install.log")"
fi
files=$(cd "$dest" && find . -type f -o -type l | sort)
# the configured directories (distcheck installs under its own prefix)
mkvar() { sed -n "s/^$1 = //p" "$BUILDDIR/Makefile"; }
prefix=$(mkvar prefix)
libdir=$(mkvar libdir)
libdir=${libdir//'${exec_prefix}'/$(mkvar exec_prefix)}
libdir=${libdir//'${prefix}'/$prefix}
includedir=$(mkvar includedir)
includedir=${includedir//'${prefix}'/$prefix}
has() { grep -qE "$1" <<<"$files"; }
check "installs bin/slabscope" has '/bin/slabscope$'
for m in "$SRCDIR"/man/*.[0-9]; do
	m=${m##*/}
	check "installs man page $m" has "/man/man${m##*.}/$m\$"
done
check "installs the bash completion as bash-completion/completions/slabscope" \
	has '/bash-completion/completions/slabscope$'
check "installs the zsh completion as zsh/vendor-completions/_slabscope" \
	has '/zsh/vendor-completions/_slabscope$'
check "installs COPYING in the doc directory" has '/doc/slabscope/COPYING$'
check "installs README.md in the doc directory" has '/doc/slabscope/README.md$'
check_eq "installs the public headers, only them" \
	".$includedir/slabscope/error.h .$includedir/slabscope/finding.h .$includedir/slabscope/slabscope.h" \
	"$(grep -E '\.h$|/include/' <<<"$files" | tr '\n' ' ' | sed 's/ $//')"
check_eq "installs libslabscope.so.1 (SONAME), its symlinks, no .a or .la" \
	".$libdir/libslabscope.so .$libdir/libslabscope.so.1 .$libdir/libslabscope.so.1.0.0" \
	"$(grep -E '\.(a|so[.0-9]*|la)$' <<<"$files" | grep -v '/crash/\|python' | tr '\n' ' ' | sed 's/ $//')"
check "installs the pkg-config file" has '/lib/pkgconfig/slabscope\.pc$'
if grep -q '^crashext_LTLIBRARIES = src/crash/slabscope.la' "$BUILDDIR/Makefile"; then
	check "installs the crash extension as crash/extensions/slabscope.so, without a .la" \
		test "$(grep -c '/crash/extensions/slabscope' <<<"$files")" = 1 -a \
		-n "$(grep '/crash/extensions/slabscope\.so$' <<<"$files")"
fi
for sc in "$SRCDIR"/schema/*; do
	sc=${sc##*/}
	check "installs the JSON Schema file $sc" has "/share/slabscope/schema/$sc\$"
done
check_eq "installs nothing else" "" \
	"$(grep -vE '/(dist|site)-packages/slabscope/(__init__\.py|_slabscope\.cpython-[0-9a-z_-]+\.so)$|/include/slabscope/[a-z]+\.h$|/lib/libslabscope\.so[.0-9]*$|/lib/pkgconfig/slabscope\.pc$|/crash/extensions/slabscope\.so$|/bin/slabscope$|/man/man[1-7]/(lib)?slabscope[a-z-]*\.[1-7]$|/completions/slabscope$|/_slabscope$|/doc/slabscope/(COPYING|README\.md)$|/share/slabscope/schema/[A-Za-z-]+\.(schema\.json|md)$' <<<"$files")"
inst_bin=$(find "$dest" -path '*/bin/slabscope' | head -n 1)
check "the installed slabscope runs" eval '"$inst_bin" --version >/dev/null'
# the Python module (when configure built it): in PYTHON_DIR (for the
# default prefix where /usr/bin/python3 imports from), no .la, and it
# imports from there (the library from the staging directory; ASan's
# runtime first in a sanitizer build)
if [ -f "$BUILDDIR/python/slabscope/_slabscope.la" ]; then
	pydir=$(mkvar PYTHON_DIR)
	pydir=${pydir//'${prefix}'/$prefix}
	check "installs the Python package in $pydir/slabscope" has "^\.$pydir/slabscope/__init__\.py\$"
	check "installs its extension there, without a .la" \
		test "$(grep -c "^\.$pydir/slabscope/_slabscope" <<<"$files")" = 1
	if [ "$prefix" = /usr/local ]; then
		check "$pydir is on /usr/bin/python3's path" \
			/usr/bin/python3 -c "import sys; sys.exit('$pydir' not in sys.path)"
	fi
	ext=$(echo "$dest$pydir"/slabscope/_slabscope*.so)
	asan=$(ldd "$ext" 2>/dev/null | awk '/libasan\.so/ { print $3 }')
	check "the installed package imports" env ${asan:+LD_PRELOAD=$asan ASAN_OPTIONS=detect_leaks=0} \
		PYTHONPATH="$dest$pydir" LD_LIBRARY_PATH="$dest$libdir" PYTHONDONTWRITEBYTECODE=1 \
		/usr/bin/python3 -c 'import slabscope; slabscope.Analysis'
fi

# ---- the library as a client sees it: SONAME, exports, pkg-config
lib=$dest$libdir/libslabscope.so.1
check_eq "SONAME libslabscope.so.1" "libslabscope.so.1" \
	"$(objdump -p "$lib" 2>/dev/null | awk '$1 == "SONAME" { print $2 }')"
public=$(grep -hoE '^[a-z].*\bss_[a-z_]+\(' "$SRCDIR/include/slabscope/slabscope.h" \
	"$SRCDIR/include/slabscope/error.h" "$SRCDIR/include/slabscope/finding.h" |
	grep -oE 'ss_[a-z_]+\($' | tr -d '(' | sort -u)
exported=$(objdump -T "$lib" | awk 'NF >= 2 && $(NF-1) == "SLABSCOPE_1" && $NF != "SLABSCOPE_1" { print $NF }' | sort -u)
check_eq "every function of the public headers is exported as SLABSCOPE_1" "" \
	"$(comm -23 <(echo "$public") <(echo "$exported") | tr '\n' ' ')"
check_eq "nothing but the public headers' functions and data is SLABSCOPE_1" \
	"ss_error_nomem ss_finding_kinds ss_walk_stop" \
	"$(comm -13 <(echo "$public") <(echo "$exported") | tr '\n' ' ' | sed 's/ $//')"
check_eq "every other exported symbol is SLABSCOPE_PRIVATE" "" \
	"$(objdump -T "$lib" | awk 'NF >= 6 && $2 == "g" && $4 != "*UND*" && $(NF-1) !~ /^SLABSCOPE_(1|PRIVATE)$/ { print $NF }' | grep -v '^SLABSCOPE_' | tr '\n' ' ')"
pc() { PKG_CONFIG_PATH=$dest$libdir/pkgconfig PKG_CONFIG_SYSROOT_DIR=$dest pkg-config "$@"; }
check_eq "pkg-config --modversion slabscope" "$(sed -n 's/^AC_INIT(\[slabscope\], \[\([^]]*\)\].*/\1/p' "$SRCDIR/configure.ac")" \
	"$(pc --modversion slabscope)"
# a client built from the installed headers and library only (a
# sanitizer build's library needs its runtime in the client too)
san=
objdump -p "$lib" | grep -q 'NEEDED.*libasan' && san="-fsanitize=address,undefined"
if ${CC:-cc} -std=c11 -Wall -Werror $san -o "$TMP/client" "$SRCDIR/tests/api/host.c" \
	$(pc --cflags --libs slabscope) $(pkg-config --cflags --libs libkdumpfile) \
	>"$TMP/cc.log" 2>&1; then
	pass "a client builds against the installed headers with pkg-config"
else
	fail "a client builds against the installed headers with pkg-config: $(head -n 5 "$TMP/cc.log")"
fi
planted=$(cached_fixture planted) || planted=
if [ -n "$planted" ] && [ -x "$TMP/client" ]; then
	rc=0
	LD_LIBRARY_PATH=$dest$libdir "$TMP/client" "$planted/vmcore.mdf" \
		"$(truth "$planted" .vmlinux)" findings >"$TMP/client.out" 2>/dev/null || rc=$?
	check_eq "the installed library's client finds the planted faults (exit 1)" 1 "$rc"
	check_eq "the installed library's client: the CLI's findings" \
		"$("$SLABSCOPE" check --json "$planted/vmcore.mdf" | jq -r '.findings[].id')" \
		"$(awk '{print $1}' "$TMP/client.out")"
fi
make -C "$BUILDDIR" -s uninstall DESTDIR="$dest" >"$TMP/uninstall.log" 2>&1
check_eq "make uninstall leaves no file" "" "$(cd "$dest" && find . -type f -o -type l)"

# ---- the licence
if [ -f /usr/share/common-licenses/GPL-2 ]; then
	check "COPYING is the GPL version 2" cmp -s "$SRCDIR/COPYING" /usr/share/common-licenses/GPL-2
else
	check "COPYING is the GPL version 2" grep -q 'GNU GENERAL PUBLIC LICENSE' "$SRCDIR/COPYING"
fi
check "COPYING is distributed" grep -qE '^dist_doc_DATA = .*COPYING' "$SRCDIR/Makefile.am"
other=$(cd "$SRCDIR" && grep -rhoE '^(/\*|#|//) SPDX-License-Identifier: [A-Za-z0-9.+-]+' \
	src include tests fixtures scripts completions | sed 's/.*: //' | sort -u |
	grep -vxE 'GPL-2\.0(-or-later)?')
check_eq "every SPDX line is GPL-2.0(-or-later)" "" "$other"

# ---- configure without CUnit: a pkg-config that knows no cunit
if [ -f "$SRCDIR/config.status" ]; then
	echo "# $SRCDIR is configured in place: no second configure of it (the CUnit-less one skipped)"
else
	mkdir -p "$TMP/bin" "$TMP/nocunit"
	real=$(command -v pkg-config)
	cat >"$TMP/bin/pkg-config" <<EOF
#!/bin/sh
for a in "\$@"; do case \$a in cunit*) exit 1 ;; esac; done
exec "$real" "\$@"
EOF
	chmod +x "$TMP/bin/pkg-config"
	rc=0
	(cd "$TMP/nocunit" && PKG_CONFIG=$TMP/bin/pkg-config "$SRCDIR/configure" -q \
		>"$TMP/configure.log" 2>&1) || rc=$?
	check_eq "configure without CUnit: succeeds" 0 "$rc"
	check "configure without CUnit: warns, naming libcunit1-dev" \
		grep -q 'WARNING: CUnit not found: make check will skip the unit tests (apt-get install libcunit1-dev' "$TMP/configure.log"
	check "without CUnit: the unit tests are the skipping stand-in" \
		grep -qE '^UNIT_TESTS = tests/unit/no-cunit\.sh$' "$TMP/nocunit/Makefile"
	check "without CUnit: no unit test program to build" \
		eval '! grep -qE "^check_PROGRAMS = .*run-unit" "$TMP/nocunit/Makefile"'
fi
rc=0
out=$("$SRCDIR/tests/unit/no-cunit.sh") || rc=$?
check_eq "the stand-in reports a skip (77)" 77 "$rc"
check "the stand-in names libcunit1-dev" grep -q '^SKIP: .*apt-get install libcunit1-dev' <<<"$out"

# ---- README's build dependencies are scripts/DEPENDS's first block
want=$(sed -n '/^# peers/q; /^#/d; /^$/d; p' "$SRCDIR/scripts/DEPENDS" | sort | tr '\n' ' ')
# the apt-get command of the section and its continuation lines
got=$(sed -n '/^## Build and install from source/,/^## /p' "$SRCDIR/README.md" |
	awk '/apt-get install/ { on = 1 } on { print; if ($0 !~ /\\$/) exit }' |
	tr -d '\\' | tr ' ' '\n' | grep -vE '^(sudo|apt-get|install|)$' | sort | tr '\n' ' ')
check_eq "README's build dependencies are scripts/DEPENDS's" "$want" "$got"
check "README: autoreconf -fi && ./configure && make && make install" \
	grep -q 'autoreconf -fi && ./configure && make && sudo make install' "$SRCDIR/README.md"

finish
