#!/usr/bin/env bash
# Every --json document against its JSON Schema (schema/*.schema.json),
# with python3-jsonschema's Draft 2020-12 validator, on real dumps of every
# generation (5.10, 6.1, 6.12, 7.x and the SLAB build; planted, corrupt,
# clean, leak-tracked): info, caches, check, check --list-ids, objects,
# slabs, leaks, tasks, diff (dumps and a saved snapshot) and batch's JSON
# lines.  Each document's "schema" names its kind and the schema file's
# version; its "source" says what was read: the dump given, its format,
# the vmlinux, the release and allocator of truth.json.  The schemas are
# valid schemas, share their common definitions, and reject drift (an
# unknown member, an upper-case address, another version, a sentence where
# an id belongs); the man pages name each schema file and version and list
# the ids the schemas enumerate.
. "$(dirname "$0")/lib.sh"

SCHEMAS=$SRCDIR/schema
VALIDATE=$SRCDIR/tests/integration/json-validate.py
# Debian's python3-jsonschema (scripts/DEPENDS) first: the schemas must
# validate with bookworm's 4.10, not only with a newer one on PATH.
PY=
for p in /usr/bin/python3 python3; do
	if "$p" -c 'import jsonschema' 2>/dev/null; then
		PY=$p
		break
	fi
done
[ -n "$PY" ] || skip_all "python3-jsonschema not installed (scripts/install-deps)"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# Every command with --json has its schema (schema/README.md).
KINDS="info caches check finding-kinds objects slabs leaks leaks-unreferenced tasks diff batch whatis"

# ---- the schema files themselves ----
for k in $KINDS; do
	check "schema/$k.schema.json exists" test -f "$SCHEMAS/$k.schema.json"
done
res=$("$PY" "$VALIDATE" --check-schema "$SCHEMAS"/*.schema.json)
check_eq "every schema file is a valid Draft 2020-12 schema" "" "$res"
# version VERSION of kind K, as its schema file says
version_of() { jq -r '."$defs".schema_id.properties.version.const' "$SCHEMAS/$1.schema.json"; }
for k in $KINDS; do
	check_eq "$k.schema.json: the name it requires" "slabscope-$k" \
		"$(jq -r '."$defs".schema_id.properties.name.const' "$SCHEMAS/$k.schema.json")"
	check "$k.schema.json: a version" test "$(version_of "$k")" -ge 1
done
# Definitions several files have are the same in each (a copy drifting
# from the others would let one command's documents drift unseen).
for def in address source snapshot dump_gaps finding_id severity state track; do
	n=$(for f in "$SCHEMAS"/*.schema.json; do
		jq -c --arg d "$def" '."$defs"[$d] // empty' "$f"
	done | sort -u | wc -l)
	check "\$defs/$def is the same in every schema that has it" test "$n" -le 1
done

# ---- documents from every generation ----
# label and scenario prefix, one generation a line
generations="6.1 :
5.10 bullseye-
6.12 trixie-
7.x sid-
SLAB slab-"

# doc KIND NAME ARGS...: run slabscope ARGS, keep its stdout as
# $TMP/KIND/NAME.json (exit status 0 or 1 expected, 2 fails the check;
# batch's 2 says a row is ERROR, expected).
doc() {
	local kind=$1 name=$2
	shift 2
	mkdir -p "$TMP/$kind"
	local f="$TMP/$kind/$name.json" rc=0
	"$SLABSCOPE" "$@" >"$f" 2>"$TMP/stderr" || rc=$?
	if [ "$rc" -gt 1 ] && ! [ "$kind" = batch ] || [ "$rc" -gt 2 ]; then
		fail "$kind $name: exit $rc: $(head -c 300 "$TMP/stderr")"
		rm -f "$f"
		return 1
	fi
	last=$f
}

# meta FILE DUMP VMLINUX FORMAT DIR JQ-PREFIX: the document's source is
# the dump given, in its format, with the vmlinux given, and the release
# and allocator of the fixture's truth.json.
meta() {
	local f=$1 dump=$2 vml=$3 format=$4 dir=$5 at=${6:-.source} t
	t="$(basename "$(dirname "$f")") $(basename "$f" .json)"
	check_eq "$t: source" \
		"$dump|$format|$vml|$(truth "$dir" .guest.release)|$(truth "$dir" .guest.allocator)" \
		"$(jq -r "$at | \"\(.dump)|\(.format)|\(.vmlinux)|\(.release)|\(.allocator)\"" "$f")"
}

ran=0
while read -r label pre; do
	pre=${pre#:}
	generation_fixture planted "$label" "${pre}planted" || continue
	ran=$((ran + 1))
	vml=$(truth "$planted" .vmlinux)
	g=${label//./_}
	# corrupt and clean on 6.1 and 7.x (the generation whose dumps are
	# lossy); planted everywhere: the documents' shape does not change
	# with the scenario, and CI's time is counted
	scs="planted"
	case $label in 6.1 | 7.x) scs="planted corrupt clean" ;; esac
	for sc in $scs; do
		dir=$(cached_fixture "$pre$sc") || continue
		# makedumpfile's -d 31 file (lossy on 7.x: dump_gaps), and
		# QEMU's complete one for one cache's objects and slabs
		d=$dir/vmcore.mdf
		n=$g-$sc
		doc info "$n" info --json -k "$vml" "$d" &&
			meta "$last" "$d" "$vml" kdump-compressed "$dir"
		doc caches "$n" caches --json -k "$vml" "$d" &&
			meta "$last" "$d" "$vml" kdump-compressed "$dir"
		doc check "$n" check --json -k "$vml" "$d" &&
			meta "$last" "$d" "$vml" kdump-compressed "$dir"
		# tasks needs the task_struct cache, which makedumpfile's lossy
		# 7.x files may lose (exit 2, rightly): the complete mdf0 there
		td=$d
		[ -f "$dir/vmcore.mdf0" ] && td=$dir/vmcore.mdf0
		doc tasks "$n" tasks --json -k "$vml" "$td" &&
			meta "$last" "$td" "$vml" kdump-compressed "$dir"
		[ "$sc" = planted ] || continue
		d=$dir/vmcore.kdump
		doc objects "$n" objects --json --cache kmalloc-512 -k "$vml" "$d" &&
			meta "$last" "$d" "$vml" kdump-compressed "$dir"
		doc slabs "$n" slabs --json --cache kmalloc-512 -k "$vml" "$d" &&
			meta "$last" "$d" "$vml" kdump-compressed "$dir"
		doc leaks "$n" leaks --json --cache kmalloc-512 -k "$vml" "$d" &&
			meta "$last" "$d" "$vml" kdump-compressed "$dir"
		# whatis of every kind of answer it can give
		o=$(jq -r '.objects[0].address // "0x0"' "$TMP/objects/$n.json" 2>/dev/null)
		it=$(truth "$dir" .guest.init_task)
		doc whatis "$n" whatis --json -k "$vml" "$d" "$o" "$it" 0x1000 \
			0x8000000000000000 0xffffffffffffff00 &&
			meta "$last" "$d" "$vml" kdump-compressed "$dir"
	done
	# the ELF file of planted: format elf; slabs --summary; check and
	# objects of every state on a full dump
	e=$planted/vmcore.elf
	doc info "$g-planted-elf" info --json -k "$vml" "$e" &&
		meta "$last" "$e" "$vml" elf "$planted"
	doc check "$g-planted-elf" check --json -k "$vml" "$e" &&
		meta "$last" "$e" "$vml" elf "$planted"
	doc slabs "$g-planted-summary" slabs --json --summary --cache kmalloc-512 -k "$vml" "$e"
	# who allocated the leak, by call site and by stack, where tracked
	if tracked=$(cached_fixture "${pre}leak-tracked"); then
		t=$tracked/vmcore.kdump
		doc leaks "$g-tracked" leaks --json --cache kmalloc-512 -k "$vml" "$t" &&
			meta "$last" "$t" "$vml" kdump-compressed "$tracked"
		doc leaks "$g-tracked-stack" leaks --json --stack --cache kmalloc-512 -k "$vml" "$t"
		doc leaks "$g-tracked-free" leaks --json --free --cache kmalloc-512 -k "$vml" "$t"
		# the reference scan: every cache, and one with --list and a
		# crossed threshold (exit 1)
		doc leaks-unreferenced "$g-tracked" leaks --unreferenced --json -k "$vml" "$t" &&
			meta "$last" "$t" "$vml" kdump-compressed "$tracked"
		doc leaks-unreferenced "$g-tracked-list" leaks --unreferenced --json --list \
			--cache 'kmalloc-5*' --fail-if 'kmalloc-*>10%' -k "$vml" "$t"
		# an object with its tracks
		o=$("$SLABSCOPE" objects --json --cache kmalloc-512 -k "$vml" "$t" | jq -r '.objects[-1].address')
		doc whatis "$g-tracked" whatis --json -k "$vml" "$t" "$o"
	fi
	# diff: two dumps, then a saved snapshot against a dump; each side
	# says what it read, the snapshot's carried on from its document
	if base=$(cached_fixture "${pre}baseline"); then
		b=$base/vmcore.mdf
		doc diff "$g-dumps" diff --json --fail-if 'kmalloc-*>+10%' -k "$vml" "$b" "$planted/vmcore.mdf" &&
			meta "$last" "$b" "$vml" kdump-compressed "$base" .before.source &&
			meta "$last" "$planted/vmcore.mdf" "$vml" kdump-compressed "$planted" .after.source
		"$SLABSCOPE" caches --json -k "$vml" "$b" >"$TMP/$g-base.json"
		doc diff "$g-snapshot" diff --json -k "$vml" "$TMP/$g-base.json" "$e" &&
			check_eq "$label diff: a snapshot side is caches-json with its dump's source" \
				"caches-json $b dump $e" \
				"$(jq -r '"\(.before.kind) \(.before.source.dump) \(.after.kind) \(.after.source.dump)"' "$last")"
	fi
	# batch: FAIL, PASS, ERROR rows and the summary, each line a document
	printf 'fail growth kmalloc-512 > +100%%\nwarn finding *\n' >"$TMP/rules"
	rows=("$planted/vmcore.mdf")
	for sc in clean corrupt; do
		dir=$(cached_fixture "$pre$sc") && rows+=("$dir/vmcore.mdf")
	done
	bl=()
	[ -f "$TMP/$g-base.json" ] && bl=(--rules "$TMP/rules" --baseline "$TMP/$g-base.json")
	doc batch "$g" batch --json "${bl[@]}" -k "$vml" "${rows[@]}" "$TMP/rules"
	f=$TMP/batch/$g.json
	if [ -f "$f" ]; then
		check_eq "$label batch: a line per dump and a summary" $((${#rows[@]} + 2)) "$(wc -l <"$f")"
		check_eq "$label batch: rows carry their dump's release" \
			"$(truth "$planted" .guest.release)" \
			"$(jq -r 'select(.status != null and .status != "ERROR") | .source.release' "$f" | sort -u)"
		check_eq "$label batch: release equals source.release" "" \
			"$(jq -r 'select(.status != null and .release != .source.release) | .dump' "$f")"
		check_eq "$label batch: every row's source is its dump" "" \
			"$(jq -r 'select(.status != null and .source.dump != .dump) | .dump' "$f")"
		check_eq "$label batch: a file that is no dump is ERROR not-a-dump" "not-a-dump" \
			"$(jq -r --arg d "$TMP/rules" 'select(.dump == $d) | .error_id' "$f")"
		check_eq "$label batch: finding reasons name their finding and count" "" \
			"$(jq -r 'select(.reasons) | .reasons[] | select(.id == "finding") |
				select(.text != "\(.finding) in \(.cache // "(no cache)") (\(.count))") | .text' "$f")"
	fi
done <<<"$generations"
[ "$ran" -gt 0 ] || skip_all "no planted fixture of any generation"

# check --list-ids --json, wherever --json is
doc finding-kinds list-ids check --list-ids --json
doc finding-kinds list-ids-json-first check --json --list-ids
check_eq "finding-kinds: every id of the text list" \
	"$("$SLABSCOPE" check --list-ids | awk '{print $1}')" \
	"$(jq -r '.finding_kinds[].id' "$TMP/finding-kinds/list-ids.json")"

# batch of a dump whose vmlinux cannot be read: ERROR cannot-read, with
# what the dump itself says
doc batch nonexistent-vmlinux batch --json -k "$TMP/no-such-vmlinux" "$planted/vmcore.mdf"
check_eq "batch: a vmlinux that cannot be read: cannot-read, the dump's release" \
	"cannot-read $(truth "$planted" .guest.release) null" \
	"$(head -1 "$TMP/batch/nonexistent-vmlinux.json" | jq -r '"\(.error_id) \(.source.release) \(.source.vmlinux)"')"

# a dump whose name is not UTF-8 is still named, its bytes as '?'
bad=$TMP/vmcore-$(printf '\xff')
ln -s "$planted/vmcore.mdf" "$bad"
doc info not-utf8 info --json -k "$vml" "$bad"
doc caches not-utf8 caches --json -k "$vml" "$bad"
doc batch not-utf8 batch --json -k "$vml" "$bad"
check_eq "a file name that is not UTF-8: info, caches and batch name it" \
	"$TMP/vmcore-?" "$(jq -r '.source.dump // empty' "$TMP"/{info,caches,batch}/not-utf8.json | sort -u)"

# ---- validate every document; check schema name and version ----
for k in $KINDS; do
	[ -d "$TMP/$k" ] || { fail "$k: no document made"; continue; }
	files=("$TMP/$k"/*.json)
	lines=()
	[ "$k" = batch ] && lines=(--lines)
	res=$("$PY" "$VALIDATE" "${lines[@]}" "$SCHEMAS/$k.schema.json" "${files[@]}" 2>&1)
	check_eq "$k: ${#files[@]} files validate against $k.schema.json" "" "$res"
	check_eq "$k: every document says slabscope-$k version $(version_of "$k")" \
		"slabscope-$k $(version_of "$k")" \
		"$(cat "${files[@]}" | jq -r '"\(.schema.name) \(.schema.version)"' | sort -u)"
done
# the members documents had before they carried "source" agree with it
check_eq "info: dump, vmlinux, release, format, allocator equal source's" "" \
	"$(for f in "$TMP"/info/*.json; do jq -r 'select([.dump, .vmlinux, .release, .format, .allocator] != [.source.dump, .source.vmlinux, .source.release, .source.format, .source.allocator]) | .dump' "$f"; done)"
check_eq "caches: allocator equals source's" "" \
	"$(for f in "$TMP"/caches/*.json; do jq -r 'select(.allocator != .source.allocator) | .source.dump' "$f"; done)"
check "check: planted dumps have culprits with an id and a sentence" \
	test "$(cat "$TMP"/check/*planted*.json | jq '[.findings[].culprit | select(. != null) | select(.relation_text | length > 0)] | length' | awk '{s += $1} END {print s}')" -gt 0

# ---- the schemas reject drift ----
one=$(ls "$TMP"/check/*planted.json | head -1)
mutate() { # NAME JQ: the mutated document must not validate
	jq "$2" "$one" >"$TMP/mutated.json"
	check "check.schema.json rejects $1" \
		test -n "$("$PY" "$VALIDATE" "$SCHEMAS/check.schema.json" "$TMP/mutated.json")"
}
mutate "an unknown top-level member" '. + {extra: 1}'
mutate "an unknown member of a finding" '.findings[0].extra = 1'
mutate "an upper-case address" '.findings[0].object |= ascii_upcase'
mutate "a decimal address" '.findings[0].slab = "12345"'
mutate "another version" '.schema.version = 2'
mutate "another kind" '.schema.name = "slabscope-caches"'
mutate "a source without its release" 'del(.source.release)'
mutate "an unknown finding id" '.findings[0].id = "no-such-id"'
mutate "a sentence as the culprit relation" \
	'(.findings[] | select(.culprit != null) | .culprit.relation) = "is the object just before"'

# ---- man pages: the schema file and version, and the ids ----
for k in $KINDS; do
	cmd=$k
	[ "$k" = finding-kinds ] && cmd=check
	[ "$k" = leaks-unreferenced ] && cmd=leaks
	man=$SRCDIR/man/slabscope-$cmd.1
	check "slabscope-$cmd(1) has a JSON OUTPUT section" grep -q '^\.SH "\?JSON OUTPUT' "$man"
	check "slabscope-$cmd(1) names $k.schema.json version $(version_of "$k")" \
		grep -q "$k\.schema\.json.*version $(version_of "$k")" <(sed 's/\\//g' "$man" | tr '\n' ' ')
done
ids_in_man() { # MAN JQ-PATH-TO-ENUM
	local id missing=""
	for id in $(jq -r "$2 | .[]" "$SCHEMAS/$3"); do
		grep -q "^\.B $id\$" "$SRCDIR/man/$1" || missing="$missing $id"
	done
	echo "$missing"
}
check_eq "slabscope-check(1) lists every culprit relation" "" \
	"$(ids_in_man slabscope-check.1 '."$defs".culprit.properties.relation.enum' check.schema.json)"
check_eq "slabscope-batch(1) lists every error id" "" \
	"$(ids_in_man slabscope-batch.1 '."$defs".error_id.enum' batch.schema.json)"
check_eq "slabscope-batch(1) lists every reason id" "" \
	"$(ids_in_man slabscope-batch.1 '[."$defs".finding_reason.properties.id.const, ."$defs".growth_reason.properties.id.const]' batch.schema.json)"

finish
