#!/usr/bin/env bash
# slabscope browse on a real dump, driven inside tmux (send-keys,
# capture-pane): drill from the cache list to a planted bad free pointer,
# from the findings view to the planted red zone and use-after-free bytes,
# in colour and at TERM=vt100, across resizes; q quits with status 0 and
# the terminal restored.  Every wait polls the screen, bounded.
. "$(dirname "$0")/lib.sh"

command -v tmux >/dev/null || skip_all "tmux is not installed"
dir=$(fixture planted)
dump=$dir/vmcore.mdf

tmp=$(mktemp -d)
# A private tmux server per session, its socket in $tmp: no clash with the
# user's tmux, with parallel runs, or with a server still shutting down.
nsession=0
sock=
tm() { tmux -S "$sock" -f /dev/null "$@"; }
cleanup() {
	local i
	for ((i = 1; i <= nsession; i++)); do
		tmux -S "$tmp/tmux-$i" kill-server 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

# start TERM ARGS...: slabscope browse ARGS in a new 80x24 tmux session
# (any earlier one is killed); stderr goes to $tmp/stderr and "EXIT=status"
# is printed when it ends.
start() {
	local term=$1
	shift
	[ -n "$sock" ] && tm kill-server 2>/dev/null
	nsession=$((nsession + 1))
	sock=$tmp/tmux-$nsession
	{
		echo '#!/bin/sh'
		# Ctrl-C is for slabscope: the shell outlives it (a trapped
		# signal is reset to the default in the child).
		echo 'trap : INT'
		printf 'export TERM=%q ASAN_OPTIONS=%q LSAN_OPTIONS=%q UBSAN_OPTIONS=%q\n' \
			"$term" "${ASAN_OPTIONS:-}" "${LSAN_OPTIONS:-}" "${UBSAN_OPTIONS:-}"
		printf '%q browse' "$SLABSCOPE"
		printf ' %q' "$@"
		printf " 2>%q\n" "$tmp/stderr"
		echo 'echo "EXIT=$?"'
		echo 'exec sleep 600'
	} >"$tmp/run.sh"
	chmod +x "$tmp/run.sh"
	tm new-session -d -s b -x 80 -y 24 "$tmp/run.sh"
}

keys() { tm send-keys -t b "$@"; }
# type TEXT: literal characters.
type_text() { tm send-keys -t b -l "$1"; }

# wait_for [-E] TEXT [SECONDS]: poll the screen (into $screen) until it
# shows TEXT (-E: a line matches the extended regex TEXT), 10 s at most;
# on a timeout print the screen and fail.  Every check of what the screen
# shows goes through here: a frame may be half drawn when captured.
wait_for() {
	local mode=-F
	if [ "$1" = -E ]; then
		mode=-E
		shift
	fi
	local want=$1 limit=$((${2:-10} * 10)) i
	for ((i = 0; i < limit; i++)); do
		screen=$(tm capture-pane -p -t b 2>/dev/null)
		grep -q "$mode" -- "$want" <<<"$screen" && return 0
		sleep 0.1
	done
	echo "---- timed out waiting for: $want"
	echo "$screen"
	echo "----"
	return 1
}

# wait_for_sgr REGEX: as wait_for -E, on the screen with its attributes.
wait_for_sgr() {
	local i
	for ((i = 0; i < 100; i++)); do
		tm capture-pane -p -e -t b | grep -qE -- "$1" && return 0
		sleep 0.1
	done
	echo "---- timed out waiting for attributes: $1"
	return 1
}

# line_of TEXT: 1-based line of the last screen showing TEXT (0: none).
line_of() {
	local n
	n=$(grep -nF -- "$1" <<<"$screen" | head -1 | cut -d: -f1)
	echo "${n:-0}"
}

# quit_ok WHAT: the program has ended with status 0, nothing on stderr
# (sanitizer reports included), cursor shown and alternate screen left.
quit_ok() {
	check "$1: exits 0" wait_for "EXIT=0"
	check "$1: nothing on stderr" test ! -s "$tmp/stderr"
	[ -s "$tmp/stderr" ] && sed 's/^/    stderr: /' "$tmp/stderr" | head -20
	check "$1: screen restored" test "$(line_of 'slabscope browse |')" = 0
	check_eq "$1: cursor visible again" 1 \
		"$(tm display-message -p -t b '#{cursor_flag}')"
	check_eq "$1: alternate screen left" 0 \
		"$(tm display-message -p -t b '#{alternate_on}')"
}

# ---- without a terminal, and usage ----
run_ss browse "$dump" </dev/null
check_eq "no terminal: exit status 2" 2 "$rc"
check "no terminal: says so" grep -q "must be a terminal" <<<"$err"
run_ss browse --json "$dump"
check_eq "--json: usage error" 2 "$rc"
check "--json: says why" grep -q "browse is interactive" <<<"$err"

# ---- colour: caches -> filter -> cache -> slab -> object B ----
fp_cache=slabscope_fp_word
fp_i=$(jq --arg c "$fp_cache" '.freeptr | map(.cache == $c) | index(true)' "$dir/truth.json")
b=$(truth "$dir" ".freeptr[$fp_i].b")
slab=$(truth "$dir" ".freeptr[$fp_i].slab_page")
size=$(jq -r --arg c "$fp_cache" '.caches[] | select(.name == $c) | .size' "$dir/truth.json")
rlp=$(jq -r --arg c "$fp_cache" '.caches[] | select(.name == $c) | .red_left_pad' "$dir/truth.json")
ncaches=$("$SLABSCOPE" caches --json "$dump" | jq '.caches | length')

start screen "$dump"
check "colour: the caches view" wait_for "caches ($ncaches)" 60
check "colour: sort key in the footer" wait_for "s sort:memory"
keys /
type_text slabscope_fp
keys Enter
check "colour: '/' filters" wait_for 'cache 1 of 3 matching "slabscope_fp"'
check "colour: the fp caches marked, their findings counted" \
	wait_for -E "^! $fp_cache .* 1$"
check "colour: only the three fp caches shown, all marked" \
	test "$(grep -c '^! slabscope_fp_' <<<"$screen")" = 3
keys / C-u
type_text "$fp_cache"
keys Enter
check "colour: filtered to one cache" wait_for "cache 1 of 1 matching"
keys Enter
check "colour: cache view" wait_for "cache $fp_cache"
check "colour: cache fields" wait_for "size $size  object_size"
check "colour: per-CPU slabs" wait_for "per-CPU: cpu"
# Down to the planted slab, marked with its finding.
check "colour: the planted slab is listed with '!'" \
	wait_for -E "^! $slab .* 1$"
hdr=$(line_of "  SLAB  ")
row=$(line_of "$slab")
[ "$row" -gt $((hdr + 1)) ] && keys -N $((row - hdr - 1)) j
keys Enter
check "colour: slab view" wait_for "$fp_cache > slab $slab"
wait_for "; base 0x" >/dev/null
base=$(sed -n 's/.*; base \(0x[0-9a-f]*\),.*/\1/p' <<<"$screen")
check "colour: slab base shown" test -n "$base"
idx=$(((b - rlp - base) / size))
[ "$idx" -gt 0 ] && keys -N "$idx" j
keys Enter
check "colour: object B open" wait_for "$fp_cache > object $b"
check "colour: B's free pointer finding" wait_for -E "! freeptr-(invalid|redirected) at \+"
check "colour: regions in the legend" wait_for "freeptr:8"
check "colour: the cursor on the bad free pointer" wait_for -E "^\+[0-9]+ freeptr BAD"
# Bad bytes are drawn white on red (SGR 41 background).
check "colour: bad bytes on red" wait_for_sgr $'\e\\[[0-9;]*41[;m]'

# Resize: wider, then narrower, then too small, then back.
tm resize-window -t b -x 100 -y 30
check "colour: resized to 100x30" wait_for "$(printf '%-90s%s' "slabscope browse | $fp_cache > object $b" vmcore.mdf)"
check "colour: still the cursor's word after the resize" wait_for -E "^\+[0-9]+ freeptr BAD"
tm resize-window -t b -x 30 -y 8
check "colour: too small a terminal is said" wait_for "terminal too small"
tm resize-window -t b -x 80 -y 24
check "colour: back to 80x24" wait_for "$fp_cache > object $b"
# Back up the stack: slab, cache, caches (the filter kept).
keys q
check "colour: q: back to the slab" wait_for "$fp_cache > slab $slab"
keys Escape
check "colour: Esc: back to the cache" wait_for "| cache $fp_cache"
keys q
check "colour: back to the caches, filter kept" wait_for "cache 1 of 1 matching"
check "colour: footer says q quits" wait_for "q quit"
keys q
quit_ok "colour"

# ---- vt100 (no colours): findings -> red zone, use after free ----
rz_obj=$(truth "$dir" '.redzone[0].object')
rz_bad=$(truth "$dir" '.redzone[0].bad_addr')
rz_new=$(truth "$dir" '.redzone[0].new')
uaf_obj=$(truth "$dir" '.use_after_free[0].object')
nfind=$("$SLABSCOPE" check --json "$dump" | jq '.findings | length')

start vt100 "$dump"
check "vt100: the caches view" wait_for "caches ($ncaches)" 60
keys f
check "vt100: findings view" wait_for "findings ($nfind)"
check "vt100: the red zone finding is listed" \
	wait_for "redzone-overwritten slabscope_debug      $rz_obj"
wait_for "poison-overwritten" >/dev/null
hdr=$(line_of "  LEVEL ")
row=$(line_of "redzone-overwritten slabscope_debug      $rz_obj")
uaf_row=$(line_of "poison-overwritten  slabscope_debug      $uaf_obj")
[ "$row" -gt $((hdr + 1)) ] && keys -N $((row - hdr - 1)) j
keys Enter
check "vt100: the red zone object" wait_for "slabscope_debug > object $rz_obj"
off=$((rz_bad - rz_obj))
check "vt100: the finding pinned" \
	wait_for "! redzone-overwritten at +$off, 1 byte, found $rz_new"
check "vt100: the legend names the regions" \
	wait_for "left-redzone:8 payload:"
check "vt100: the cursor word is named with its regions" \
	wait_for -E "^\+[0-9]+ payload/right-redzone BAD"
# Off the bad word, the bad byte is reverse bold (SGR 7), the cursor's
# word reverse.
keys k
wait_for -E "^\+[0-9]+ payload  0x" >/dev/null
check "vt100: the bad byte stands out in reverse" \
	wait_for_sgr $'\e\\[[0-9;]*7[0-9;]*m'"$rz_new"$'\e'
check "vt100: no colour used" \
	test "$(tm capture-pane -p -e -t b | grep -c $'\e\\[[0-9;]*3[0-7]m')" = 0
# The tracks below the bytes (vt100 has no End key: Down past the last
# line scrolls on).
keys -N 30 j
check "vt100: alloc track with its stack" wait_for "do_one_initcall"
check "vt100: culprit" wait_for "culprit: object $rz_obj (allocated)"
# Back to the findings, then the use after free.
keys q
check "vt100: back to the findings" wait_for "findings ($nfind)"
check "vt100: the use after free is listed" test "$uaf_row" -gt 0
keys -N 50 k # to the top (vt100 has no Home key)
[ "$uaf_row" -gt $((hdr + 1)) ] && keys -N $((uaf_row - hdr - 1)) j
keys Enter
check "vt100: the freed object" wait_for "slabscope_debug > object $uaf_obj"
check "vt100: poison bytes found" wait_for "de ad be ef 55 aa 55 aa"
check "vt100: the object is free" wait_for "object $uaf_obj free"
# Goto an address: the red zone byte.
keys g
type_text "$rz_bad"
keys Enter
check "vt100: g goes to the address's object" wait_for "slabscope_debug > object $rz_obj"
dbg_rlp=$(jq -r '.caches[] | select(.name == "slabscope_debug") | .red_left_pad' "$dir/truth.json")
word=$(((off + dbg_rlp) / 8 * 8 - dbg_rlp))
check "vt100: cursor on the address's word (+$word)" \
	wait_for -E "^\+$word [a-z/-]+ BAD"
tm resize-window -t b -x 100 -y 30
check "vt100: resized" wait_for "$(printf '%-90s%s' "slabscope browse | slabscope_debug > object $rz_obj" vmcore.mdf)"
keys ?
check "vt100: help lists the keys" wait_for "Global keys"
check "vt100: help from the key table" wait_for "Up, k"
keys Q
quit_ok "vt100"

# ---- --cache and a cache that does not exist ----
start screen --cache kmalloc-512 "$dump"
check "--cache: starts in the cache view" wait_for "cache kmalloc-512" 60
keys q
check "--cache: q goes to the caches" wait_for "caches ($ncaches)"
keys q
quit_ok "--cache"
start screen --cache no-such-cache "$dump"
check "--cache unknown: exit 2" wait_for "EXIT=2" 60
check "--cache unknown: says so" grep -q "no slab cache named 'no-such-cache'" "$tmp/stderr"

# ---- Ctrl-C quits the same clean way; an unknown TERM fails fast ----
start screen "$dump"
check "Ctrl-C: started" wait_for "caches ($ncaches)" 60
keys f Enter C-c
quit_ok "Ctrl-C"
start no-such-terminal "$dump"
check "unknown TERM: exit 2" wait_for "EXIT=2" 60
check "unknown TERM: says so" grep -q "terminal type 'no-such-terminal' unknown" "$tmp/stderr"

# ---- every kernel generation: down to a slab of kmalloc-512 and back ----
for g in bullseye trixie sid; do
	gdir=$(cached_fixture "$g-planted") || continue
	gdump=$gdir/vmcore.elf
	n=$("$SLABSCOPE" caches --json -k "$(truth "$gdir" .vmlinux)" "$gdump" | jq '.caches | length')
	start screen -k "$(truth "$gdir" .vmlinux)" --cache kmalloc-512 "$gdump"
	check "$g: the cache view" wait_for "cache kmalloc-512" 60
	keys Enter
	check "$g: a slab's objects" wait_for -E "allocated|free|sheaf" 20
	keys q q
	check "$g: back to the caches" wait_for "caches ($n)"
	keys q
	quit_ok "$g"
done

finish
