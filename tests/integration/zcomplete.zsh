#!/usr/bin/zsh -f
# zcomplete.zsh FPATHDIR OUT WORDS: complete the command line WORDS (a TAB
# typed after it) in an interactive zsh on a pseudo-terminal, with the
# completion functions of FPATHDIR (tests/integration/completion.sh).
# Every match offered is written to OUT, one a line, then "--done--".
# compadd is wrapped to record its matches: what the terminal shows is
# not parsed.
zmodload zsh/zpty
local fdir=$1 out=$2 line
shift 2
: >$out
zpty z zsh -f -i
zpty -w z "PROMPT=; fpath=(${(q)fdir} \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z "zstyle ':completion:*' insert-tab false; bindkey '^I' complete-word"
zpty -w z "_ss_done() { print -r -- --done-- >>${(q)out} }; comppostfuncs=(_ss_done)"
# calls with -O, -A or -D only compute: not offered
zpty -w z "compadd() { if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]]; then builtin compadd \"\$@\"; return; fi; local -a __h; builtin compadd -A __h \"\$@\"; (( \$#__h )) && print -rl -- \$__h >>${(q)out}; builtin compadd \"\$@\" }"
zpty -w -n z "$*"$'\t'
integer i
for (( i = 0; i < 100; i++ )); do
	grep -q -- '^--done--$' $out 2>/dev/null && break
	zpty -r -t z line >/dev/null
	sleep 0.1
done
zpty -d z
