#!/usr/bin/env bash
# SLUB sheaves (7.x) on a real dump: sheaf objects are a state of their
# own, counted free; and the three sheaf checks find faults planted into a
# copy of the sid-baseline ELF dump (tests/integration/sheafedit.py, which
# finds CPU 0's main sheaves with drgn on the complete vmcore.mdf0):
#   an entry that is an object of another cache   -> list-corrupt
#   an object in a sheaf twice                     -> double-free
#   an object in a sheaf and on its slab's freelist -> double-free
#   a sheaf holding more than its capacity         -> counter-mismatch
. "$(dirname "$0")/lib.sh"

if ! dir=$(cached_fixture sid-baseline); then
	listed sid-baseline && { fail "fixture sid-baseline missing"; finish; }
	skip_all "fixture sid-baseline not generated"
fi
/usr/bin/python3 -c 'import drgn' 2>/dev/null ||
	{ fail "python3-drgn is installed (scripts/DEPENDS)"; finish; }
vmlinux=$(truth "$dir" .vmlinux)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
jqe() { [ -n "$out" ] && jq -e "$@" >/dev/null <<<"$out"; }

run_ss caches --json -k "$vmlinux" "$dir/vmcore.elf"
check "baseline: objects in sheaves (counted free)" \
	jqe '([.caches[].sheaf] | add) > 100 and
	     ([.caches[] | .free >= .sheaf] | all)'
obj=$(jq -r '[.caches[] | select(.sheaf > 0)][0].name' <<<"$out")
run_ss objects --json --state sheaf --cache "$obj" -k "$vmlinux" "$dir/vmcore.elf"
check_eq "baseline: objects --state sheaf exits 0" 0 "$rc"
first=$(jq -r '[.. | objects | select(.state? == "sheaf") | .address][0] // empty' <<<"$out")
check "baseline: objects lists $obj's sheaf objects" test -n "$first"
if [ -n "$first" ]; then
	run_ss whatis --json -k "$vmlinux" "$dir/vmcore.elf" "$first"
	check "baseline: whatis says sheaf" jqe '.. | objects | select(.state? == "sheaf")'
fi
run_ss check -k "$vmlinux" "$dir/vmcore.elf"
check_eq "baseline: check exits 0" 0 "$rc"

edits=$(/usr/bin/python3 "$SRCDIR/tests/integration/sheafedit.py" \
	"$dir/vmcore.mdf0" "$vmlinux" "$dir/vmcore.elf" "$TMP/vmcore.elf" 2>&1) ||
	{ fail "sheafedit.py: $edits"; finish; }
run_ss check --json -k "$vmlinux" "$TMP/vmcore.elf"
check_eq "planted: check exits 1" 1 "$rc"
# found KIND CASE: a finding of KIND on CASE's cache at CASE's address
found() {
	local c a
	c=$(jq -r ".$2.cache" <<<"$edits")
	a=$(jq -r ".$2.address" <<<"$edits")
	[ "$c" != null ] || { fail "$2: no cache to plant it in"; return; }
	check "$2 ($c): $1 at $a" jqe --arg id "$1" --arg c "$c" --arg a "$a" \
		'[.findings[] | select(.id == $id and .cache == $c and .address == $a)] | length == 1'
}
found list-corrupt foreign
found double-free twice
found counter-mismatch overfull
c=$(jq -r .freelist.cache <<<"$edits")
o=$(jq -r .freelist.object <<<"$edits")
check "freelist ($c): double-free on object $o" \
	jqe --arg c "$c" --arg o "$o" \
	'[.findings[] | select(.id == "double-free" and .cache == $c and .object == $o)] | length == 1'
check "planted: nothing else (4 findings)" jqe '.findings | length == 4'
check "foreign: the message names the other cache" \
	jqe --arg o "$(jq -r .foreign.other <<<"$edits")" \
	'[.findings[] | select(.id == "list-corrupt") | .message | endswith("an object of " + $o)] | any'
run_ss caches -k "$vmlinux" "$TMP/vmcore.elf"
check_eq "planted: caches exits 0" 0 "$rc"
finish
