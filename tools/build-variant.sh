#!/bin/sh
# build-variant.sh BUILD VARIANT: compiles a variant's kernel-shaped tree (BUILD/VARIANT/src:
# drivers/accel/ethosu/ and include/uapi/drm/) with the shims and the glue into
# BUILD/VARIANT/libethosu.so. When the tree needs an interface the shims lack, says which, one
# line per file and interface. Environment: CC, CFLAGS, LDFLAGS, SHIM_OBJS (from the Makefile).
set -u
build=$1
v=$2
src=$build/$v/src
drv=$src/drivers/accel/ethosu
out=$build/$v/libethosu.so
log=$build/$v/build.log

# the tree's job code: every .c but the two the glue stands in for (ethosu_drv.c, ethosu_gem.c)
srcs=
for f in "$drv"/*.c; do
	case "${f##*/}" in
	ethosu_drv.c | ethosu_gem.c) ;;
	*) srcs="$srcs $f" ;;
	esac
done
# what the glue initialises depends on the driver's generation (what mainline's probe does)
feat=
grep -q 'perfmon_state' "$drv/ethosu_device.h" 2>/dev/null && feat="$feat -DEBENCH_PERFMON_STATE"

# shellcheck disable=SC2086
if LC_ALL=C $CC $CFLAGS -Werror=implicit-function-declaration -DEBENCH_VARIANT="\"$v\"" $feat \
	-I"$drv" -I"$src/include/uapi" -I"$src/include" -Iinclude -Iinclude/uapi -Inative/kshim \
	-o "$out" $srcs native/bench/bench.c native/bench/drv.c native/bench/gem.c $SHIM_OBJS $LDFLAGS \
	>"$log" 2>&1; then
	# warnings still reach the terminal
	grep -q . "$log" && cat "$log"
	exit 0
fi
rm -f "$out"
origin=$(cat "$build/$v/origin" 2>/dev/null || echo "$v")
echo "variant $v ($origin) does not build; compiler output in $log"
# one line per file and interface the shims lack
sed -n \
	-e "s|^\\([^:]*\\):[0-9]*:[0-9]*: fatal error: \\([^:]*\\): No such file.*|\\1\tthe header <\\2>|p" \
	-e "s|^\\([^:]*\\):[0-9]*:[0-9]*: error: implicit declaration of function '\\([^']*\\)'.*|\\1\t\\2()|p" \
	-e "s|^\\([^:]*\\):[0-9]*:[0-9]*: error: expected .* before '\\(__[a-z_]*\\)'.*|\\1\tthe annotation \\2|p" \
	-e "s|^\\([^:]*\\):[0-9]*:[0-9]*: error: unknown type name '\\([^']*\\)'.*|\\1\tthe type \\2|p" \
	-e "s|^\\([^:]*\\):[0-9]*:[0-9]*: error: '\\([^']*\\)' undeclared.*|\\1\t\\2|p" \
	-e "s|^\\([^:]*\\):[0-9]*:[0-9]*: error: .*has no member named '\\([^']*\\)'.*|\\1\tthe member .\\2|p" \
	-e "s|^.*: \\([^:]*\\):[0-9]*: undefined reference to \`\\([^']*\\)'.*|\\1\t\\2() (declared, not implemented)|p" \
	-e "s|^.*undefined reference to \`\\([^']*\\)'.*|(link)\t\\1() (declared, not implemented)|p" \
	"$log" | sort -u | while IFS="$(printf '\t')" read -r file what; do
	case "$file" in
	"$drv"/*) file="drivers/accel/ethosu/${file#"$drv"/}" ;;
	"$src"/*) file="${file#"$src"/}" ;;
	esac
	case "$file" in
	native/bench/*) echo "  $file (the glue) needs $what from the tree, which this generation of the driver lacks" ;;
	*) echo "  $file needs $what, which the shims lack" ;;
	esac
done
# nothing recognised: show the first errors as they are
grep -q -e 'fatal error' -e 'implicit declaration' -e 'unknown type name' -e 'undeclared' \
	-e 'has no member' -e 'undefined reference' "$log" || grep -m 8 -e 'error' "$log"
exit 1
