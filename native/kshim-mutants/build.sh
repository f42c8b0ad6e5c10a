#!/bin/sh
# build.sh OUT NAME PATCH TREE: the shims (native/kshim) with PATCH applied, compiled with the
# driver tree TREE (the locked variant's) and the glue into OUT/NAME/libethosu.so. A patch changes
# native/kshim/*.c only: the glue and the driver compile against the unpatched headers.
# Environment: CC, CFLAGS, LDFLAGS (from the Makefile).
set -eu
out=$1
name=$2
patch=$3
tree=$4
dir=$out/$name
rm -rf "$dir"
mkdir -p "$dir/kshim" "$dir/obj"
cp native/kshim/*.c native/kshim/*.h "$dir/kshim/"
if ! patch -s -p3 -d "$dir/kshim" --no-backup-if-mismatch <"$patch"; then
	echo "$patch does not apply to native/kshim"
	exit 1
fi
objs=
# the objects the Makefile builds once for every variant (SHIM_SRC): the shims, the scheduler mock, the watchdog's sampler
for c in "$dir"/kshim/*.c native/bench/sched_mock.c native/bench/watchdog.c; do
	o=$dir/obj/$(basename "${c%.c}").o
	# shellcheck disable=SC2086
	$CC $CFLAGS -Iinclude -Iinclude/uapi -I"$dir/kshim" -c -o "$o" "$c"
	objs="$objs $o"
done
ln -sfn "$(cd "$tree" && pwd)" "$dir/src"
echo "$name (shims patched with $patch)" >"$dir/origin"
CC="$CC" CFLAGS="$CFLAGS" LDFLAGS="$LDFLAGS" SHIM_OBJS="$objs" tools/build-variant.sh "$out" "$name"
