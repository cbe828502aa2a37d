# Configuration paths and terminals (issue 11, item 12): a --keys, --config
# or theme that is a directory or cannot be read is refused, not ignored
# (a default config that is there but unreadable is said, and the default
# bindings used); a terminal
# that cannot place the cursor is refused; a dangling symbolic link as a
# new project creates the file it points to.

mkdir cf && import_sample cf/p.ferry || bad "cf: the sample does not import"
chmod 777 cf && chmod 666 cf/p.ferry   # nobody reviews it too
echo q >cf/q.keys
mkdir cf/dir
R="$FERRY review cf/p.ferry"

t_code "--keys DIR" 66 $R --keys cf/dir --dump-screen
t_err "--keys DIR says why" "ferry: cf/dir: cannot read the keys script: Is a directory (expected a readable file)"
t_code "--config DIR" 66 $R --config cf/dir --keys cf/q.keys
t_err "--config DIR says why" "ferry: cf/dir: cannot read the config: Is a directory (expected a readable file)"
t_code "--config missing" 66 $R --config cf/none --keys cf/q.keys
t_err "--config missing says why" "ferry: cf/none: cannot read the config: No such file or directory"
echo "bind x quit" >cf/locked.conf && chmod 000 cf/locked.conf
t_code "--config unreadable" 66 as_nobody $R --config cf/locked.conf --keys cf/q.keys
t_err "--config unreadable says why" "ferry: cf/locked.conf: cannot read the config: Permission denied"

# the default config: missing is fine, there but unreadable is said (on
# stderr and in the status line) and the default bindings are used
mkdir -p cf/xdg/ferry
t_code "no default config" 0 env XDG_CONFIG_HOME="$work/cf/xdg" $R --keys cf/q.keys
echo "bind x quit" >cf/xdg/ferry/config && chmod 000 cf/xdg/ferry/config
: >cf/none.keys
t_code "default config unreadable" 0 as_nobody env XDG_CONFIG_HOME="$work/cf/xdg" $R --keys cf/none.keys --dump-screen
t_err "default config unreadable says why" "ferry: $work/cf/xdg/ferry/config: cannot read the config: Permission denied (expected a readable file); using the default key bindings"
if grep -qF "cannot read the config: Permission denied" "$work/out"; then ok; else bad "the status line does not say the config was not read"; tail -2 "$work/out"; fi
chmod 644 cf/xdg/ferry/config && chmod 000 cf/xdg/ferry
t_code "default config directory unreadable" 0 as_nobody env XDG_CONFIG_HOME="$work/cf/xdg" $R --keys cf/q.keys
t_err "default config directory unreadable says why" "ferry: $work/cf/xdg/ferry/config: cannot read the config: Permission denied"
chmod 755 cf/xdg/ferry && rm cf/xdg/ferry/config && mkdir cf/xdg/ferry/config
t_code "default config a directory" 0 env XDG_CONFIG_HOME="$work/cf/xdg" $R --keys cf/q.keys
t_err "default config a directory says why" "cannot read the config: Is a directory (expected a readable file); using the default key bindings"
rmdir cf/xdg/ferry/config

# themes: one that is there but unreadable is refused, not skipped
mkdir -p cf/xdg/ferry/themes/light.theme
t_code "theme a directory" 66 env XDG_CONFIG_HOME="$work/cf/xdg" $R --theme light --keys cf/q.keys
t_err "theme a directory says why" "ferry: $work/cf/xdg/ferry/themes/light.theme: cannot read the theme: Is a directory"
rmdir cf/xdg/ferry/themes/light.theme
head -c 1048577 /dev/zero | tr '\0' '#' >cf/xdg/ferry/themes/big.theme
t_code "theme too long" 66 env XDG_CONFIG_HOME="$work/cf/xdg" $R --theme big --keys cf/q.keys
t_err "theme too long says why" "big.theme: cannot read the theme: too long (expected a readable file of at most 1048576 bytes)"

# terminals without cursor addressing, or unknown, or none named
term_test() {   # term_test NAME WANT-TEXT ENV...
	name=$1 want=$2; shift 2
	timeout 10 script -qec "env $* $FERRY review cf/p.ferry; echo \"exit \$?\"" /dev/null </dev/null >"$work/tty.out" 2>&1
	if grep -qF "$want" "$work/tty.out" && grep -q "^exit 64" "$work/tty.out"; then ok
	else bad "$name: $(tr -d '\r' <"$work/tty.out" | head -3)"; fi
}
term_test "TERM=dumb" "cannot use this terminal (TERM=dumb cannot move the cursor; review needs a full-screen terminal" TERM=dumb
term_test "unknown TERM" "cannot use this terminal (TERM=nosuchterm is not in the terminfo database" TERM=nosuchterm
term_test "no TERM" "cannot use this terminal (TERM is not set" -u TERM

# a dangling symbolic link names where a new project goes
mkdir cf/elsewhere
ln -s elsewhere/real.ferry cf/link.ferry
t_code "import onto a dangling symlink" 0 import_sample cf/link.ferry
if [ -L cf/link.ferry ] && [ -f cf/elsewhere/real.ferry ]; then ok; else bad "the symlink was replaced, not followed"; fi
t_code "the project is read through the link" 0 $FERRY stats cf/link.ferry
ln -s loop2 cf/loop1 && ln -s loop1 cf/loop2
t_code "import onto a symlink loop" 73 import_sample cf/loop1
t_err "a symlink loop says why" "ferry: cf/loop1: cannot follow the symbolic link: too many levels"
