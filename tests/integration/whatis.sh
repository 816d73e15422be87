#!/usr/bin/env bash
# slabscope whatis on every kernel generation, against drgn: addresses of
# every kind (kernel symbol, per-CPU variable, slab object and its task,
# task stack, struct page, vmalloc area), computed by
# tests/oracles/drgn_whatis_truth.py from the kernel's own data and read
# by one whatis run from stdin; drgn's identify_address() must agree on
# symbols and slab objects where it can read the kernel.  Then the tracks
# of a SLAB_STORE_USER object, many addresses as operands and text, and
# bad input.
. "$(dirname "$0")/lib.sh"
dumps_disabled && skip_dumps

# label scenario: one generation a line
generations="5.10 bullseye-planted
6.1 planted
6.12 trixie-planted
7.x sid-planted
6.1-SLAB slab-planted"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
ran=0
while read -r label scenario; do
	generation_fixture dir "$label" "$scenario" || continue
	ran=$((ran + 1))
	vmlinux=$(truth "$dir" .vmlinux)
	# makedumpfile mis-filters 7.x (README support table): the complete
	# mdf0 where the fixture has one.
	dump=$dir/vmcore.mdf
	[ -f "$dir/vmcore.mdf0" ] && dump=$dir/vmcore.mdf0
	if ! /usr/bin/python3 "$(dirname "$0")/../oracles/drgn_whatis_truth.py" \
		"$dump" "$vmlinux" >"$TMP/truth.json" 2>"$TMP/drgn.err"; then
		fail "$label: drgn oracle: $(tail -1 "$TMP/drgn.err")"
		continue
	fi
	jq -r '.cases[].address' "$TMP/truth.json" >"$TMP/addrs"
	n=$(wc -l <"$TMP/addrs")
	check "$label: oracle gives 7 cases ($n)" test "$n" -eq 7
	rc=0
	"$SLABSCOPE" whatis --json -k "$vmlinux" "$dump" <"$TMP/addrs" \
		>"$TMP/out.json" 2>"$TMP/err" || rc=$?
	check_eq "$label: whatis from stdin: exit 0" 0 "$rc"
	check_eq "$label: no stderr" "" "$(cat "$TMP/err")"
	got() { jq -r --arg a "$1" ".addresses[] | select(.address == \$a) | $2" "$TMP/out.json"; }
	for i in $(seq 0 $((n - 1))); do
		c=$(jq -c ".cases[$i]" "$TMP/truth.json")
		a=$(jq -r .address <<<"$c")
		kind=$(jq -r .kind <<<"$c")
		w() { jq -r "$1" <<<"$c"; }
		t="$label $kind $a"
		check_eq "$t: kind" "$kind" "$(got "$a" .kind)"
		case $kind in
		kernel)
			check_eq "$t: symbol" "$(w .symbol)" "$(got "$a" .symbol)"
			check_eq "$t: drgn agrees" "$(w .drgn)" \
				"$(w '.drgn | split(": ")[0]'): $(got "$a" .symbol)" ;;
		percpu)
			check_eq "$t: variable" "$(w .symbol)" "$(got "$a" .symbol)"
			check_eq "$t: cpu" "$(w .cpu)" "$(got "$a" .percpu.cpu)" ;;
		slab)
			check_eq "$t: cache" "$(w .cache)" "$(got "$a" .cache)"
			check_eq "$t: object" "$(w .object)" "$(got "$a" .object)"
			check_eq "$t: offset" "$(w .offset)" "$(got "$a" .offset)"
			check_eq "$t: task pid" "$(w .task_pid)" "$(got "$a" .task.pid)"
			if [ "$(w .drgn)" != null ]; then
				check_eq "$t: drgn agrees" "$(w .drgn)" \
					"slab object: $(got "$a" .cache)+0x8"
			else
				echo "SKIP: $t: drgn 0.0.22 cannot identify slab objects of this kernel"
			fi ;;
		task-stack)
			check_eq "$t: task" "$(w .task)" "$(got "$a" .stack.task)"
			check_eq "$t: pid" "$(w .pid)" "$(got "$a" .stack.pid)"
			check_eq "$t: offset" "$(w .offset)" "$(got "$a" .stack.offset)" ;;
		struct-page)
			check_eq "$t: pfn" "$(w .pfn)" "$(got "$a" .page.pfn)"
			check_eq "$t: offset into it" "$(w .page_offset)" "$(got "$a" .page.offset)" ;;
		vmalloc)
			check_eq "$t: start" "$(w .start)" "$(got "$a" .vmalloc.start)"
			check_eq "$t: end" "$(w .end)" "$(got "$a" .vmalloc.end)"
			check_eq "$t: caller" "$(w .caller_symbol)" "$(got "$a" .vmalloc.caller_symbol)" ;;
		esac
	done
done <<<"$generations"

# The 6.1 fixtures: text, operands, tracks, bad input.
if dir=$(cached_fixture planted); then
	dump=$dir/vmcore.mdf
	vmlinux=$(truth "$dir" .vmlinux)
	it=$(truth "$dir" .guest.init_task)
	run_ss whatis -k "$vmlinux" "$dump" "$it" 0x1000 0x8000000000000000 -
	check_eq "operands and '-' (empty stdin): exit 0" 0 "$rc"
	check "init_task is named" grep -q "^$it: init_task+0x0 (kernel image)" <<<"$out"
	check "a user address is told" grep -q '^0x1000: a user-space address' <<<"$out"
	check "a non-canonical address is told" \
		grep -q '^0x8000000000000000: not a canonical address' <<<"$out"
	check_eq "three answers, blank-line separated" 2 "$(grep -c '^$' <<<"$out")"
	run_ss whatis --json -k "$vmlinux" "$dump" 0x1000 0x8000000000000000
	check_eq "JSON kinds user, noncanonical" "user noncanonical" \
		"$(jq -r '[.addresses[].kind] | join(" ")' <<<"$out")"
	rc=0
	out=$(printf '%s\n0x1000 zz\n' "$it" | "$SLABSCOPE" whatis -k "$vmlinux" "$dump" 2>"$TMP/err") || rc=$?
	check_eq "a bad token on stdin: exit 2" 2 "$rc"
	check "it names the line" grep -q "stdin line 2: 'zz' is not a hex address" "$TMP/err"
	check_eq "and nothing is printed" "" "$out"
	run_ss whatis -k "$vmlinux" "$dump" 0xffff zz
	check_eq "a bad operand: exit 2 before the dump is read" 2 "$rc"
fi
if dir=$(cached_fixture leak-tracked); then
	# kmalloc-512 keeps tracks (slub_debug=U): the leaked objects'
	# allocation is the fixture module's.
	dump=$dir/vmcore.mdf
	vmlinux=$(truth "$dir" .vmlinux)
	obj=$("$SLABSCOPE" objects --json -k "$vmlinux" --cache kmalloc-512 "$dump" |
		jq -r '[.objects[] | select(.state == "allocated")][-1].address')
	run_ss whatis --json -k "$vmlinux" "$dump" "$(printf '0x%x' $((obj + 16)))"
	j() { jq -r ".addresses[0] | $1" <<<"$out"; }
	check_eq "tracked object: offset" 16 "$(j .offset)"
	check "tracked object: an allocation track with a stack" \
		test "$(j '.alloc.stack | length')" -gt 2
	run_ss whatis -k "$vmlinux" "$dump" "$obj"
	check "tracked object: text shows 'allocated by'" grep -q '^  allocated by ' <<<"$out"
fi
if [ "$ran" = 0 ] && [ "$nfail" = 0 ]; then
	echo "SKIP: no generation's fixture generated"
	exit 77
fi
finish
