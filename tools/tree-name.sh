#!/bin/sh
# tree-name.sh DIR: the variant name of a kernel tree's Ethos-U driver: `git describe` of the
# tree (with -dirty-<hash> when the driver's files differ from HEAD), else tree-<hash of its files>.
set -eu
dir=$1
files() {
	( cd "$dir" && ls drivers/accel/ethosu/*.c drivers/accel/ethosu/*.h include/uapi/drm/ethosu_accel.h 2>/dev/null )
}
hash_files() {
	( cd "$dir" && files | while read -r f; do echo "$f"; cat "$f"; done ) | sha256sum | cut -c1-8
}
clean() {
	tr -c 'A-Za-z0-9._+\n-' '-'
}
if git -C "$dir" rev-parse --is-inside-work-tree >/dev/null 2>&1 &&
   top=$(git -C "$dir" rev-parse --show-toplevel 2>/dev/null) &&
   [ "$(cd "$top" && pwd -P)" = "$(cd "$dir" && pwd -P)" ] &&
   name=$(git -C "$dir" describe --tags --always --abbrev=12 2>/dev/null); then
	if ! git -C "$dir" diff --quiet HEAD -- drivers/accel/ethosu include/uapi/drm/ethosu_accel.h 2>/dev/null; then
		name="$name-dirty-$(hash_files)"
	fi
	echo "$name" | clean
else
	echo "tree-$(hash_files)"
fi
