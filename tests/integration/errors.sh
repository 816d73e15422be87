#!/usr/bin/env bash
# Inputs that cannot be analysed: exit status 2 and exactly one line on
# stderr that names the file and says what to do.  Never a crash.
. "$(dirname "$0")/lib.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# expect_error DESCRIPTION NEEDLE ARGS...: exit 2, one line naming NEEDLE.
expect_error() {
	local desc=$1 needle=$2
	shift 2
	run_ss "$@"
	check_eq "$desc: exit status 2" 2 "$rc"
	check_eq "$desc: one line on stderr" 1 "$(printf '%s\n' "$err" | wc -l)"
	check_eq "$desc: nothing on stdout" "" "$out"
	if grep -qF -- "$needle" <<<"$err"; then
		pass "$desc: message says '$needle'"
	else
		fail "$desc: message lacks '$needle': $err"
	fi
}

dir=$(fixture planted)
vmlinux=$(truth "$dir" .vmlinux)

expect_error "missing dump" "$tmp/nope: cannot open (No such file or directory)" info "$tmp/nope"
expect_error "directory" "$tmp: is a directory" info "$tmp"
: >"$tmp/empty"
expect_error "empty file" "$tmp/empty: empty file" info "$tmp/empty"
expect_error "flattened kdump" "makedumpfile -R" info "$dir/vmcore.flat"
expect_error "text file" "not a kernel dump" info "$SRCDIR/README.md"

# Truncated dumps: inside the header, and in the middle of the page data.
head -c 300 "$dir/vmcore.kdump" >"$tmp/trunc-header"
expect_error "kdump truncated in its header" "$tmp/trunc-header: truncated dump" info "$tmp/trunc-header"
for f in vmcore.mdf vmcore.kdump vmcore.elf; do
	size=$(stat -c %s "$dir/$f")
	head -c $((size / 2)) "$dir/$f" >"$tmp/trunc-half"
	expect_error "$f truncated in its page data" "$tmp/trunc-half: truncated dump" info "$tmp/trunc-half"
	head -c $((size - 100)) "$dir/$f" >"$tmp/trunc-end"
	expect_error "$f missing its last 100 bytes" "$tmp/trunc-end: truncated dump" info "$tmp/trunc-end"
done
rm -f "$tmp/trunc-half" "$tmp/trunc-end"

# A real dump without VMCOREINFO (the note renamed, the kdump sub-header's
# pointer to it zeroed): nothing can be translated without it.
for f in vmcore.elf vmcore.mdf; do
	python3 "$SRCDIR/tests/integration/dumpedit.py" drop-vmcoreinfo "$dir/$f" "$tmp/novmci-$f"
	expect_error "$f without VMCOREINFO" "$tmp/novmci-$f: the dump has no VMCOREINFO" \
		check "$tmp/novmci-$f"
	rm -f "$tmp/novmci-$f"
done

# vmlinux problems.
expect_error "vmlinux missing" "$tmp/no-vmlinux" info -k "$tmp/no-vmlinux" "$dir/vmcore.mdf"
expect_error "vmlinux not ELF" "$SRCDIR/README.md" info -k "$SRCDIR/README.md" "$dir/vmcore.mdf"
cp /bin/true "$tmp/stripped"
strip "$tmp/stripped" 2>/dev/null || true
expect_error "vmlinux without DWARF" "no DWARF" info -k "$tmp/stripped" "$dir/vmcore.mdf"
# The dump's own vmlinux, stripped of its debug info (as in the image package).
objcopy --strip-debug "$vmlinux" "$tmp/vmlinux-stripped"
expect_error "the dump's vmlinux stripped" "$tmp/vmlinux-stripped: no DWARF debug info" \
	check -k "$tmp/vmlinux-stripped" "$dir/vmcore.mdf"
rm -f "$tmp/vmlinux-stripped"
# A vmlinux of another build: right DWARF, different linux_banner.
cat >"$tmp/other.c" <<'C'
const char linux_banner[] = "Linux version 6.1.0-other (nobody@nowhere) #1 SMP\n";
struct kmem_cache { int size; };
struct kmem_cache kc;
int kmem_cache_destroy(void) { return kc.size; }
C
gcc -g -nostdlib -shared -fPIC -o "$tmp/other-vmlinux" "$tmp/other.c"
expect_error "vmlinux of another build" "does not belong to" info -k "$tmp/other-vmlinux" "$dir/vmcore.mdf"
# Real kernels of other builds, both ways: the SLAB kernel's vmlinux for the
# SLUB dump (its banner's address holds code: no bytes of it in the line)
# and the Debian kernel's for the SLAB dump.
sdir=$(fixture slab-planted)
svmlinux=$(truth "$sdir" .vmlinux)
expect_error "the SLAB kernel's vmlinux for a Debian dump" \
	"$svmlinux does not belong to $dir/vmcore.mdf: the dump's kernel is $(truth "$dir" .kernel)" \
	check -k "$svmlinux" "$dir/vmcore.mdf"
check "... and the line is printable text" grep -qvP '[^\x20-\x7e]' <<<"$err"
expect_error "the Debian vmlinux for the SLAB dump" \
	"$vmlinux does not belong to $sdir/vmcore.mdf" \
	check -k "$vmlinux" "$sdir/vmcore.mdf"
# No vmlinux anywhere.
SLABSCOPE_CACHE=$tmp/empty-cache HOME=$tmp expect_error "no vmlinux found" \
	"no vmlinux with debug info found for kernel" info "$dir/vmcore.mdf"

finish
