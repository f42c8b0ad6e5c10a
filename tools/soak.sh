#!/bin/sh
# soak.sh JAVA CLASSPATH BUILD OUT: the bench's own soak (make soak; docs/PERFORMANCE.md). In one
# worker process per variant: SOAK_LIFECYCLES device lifecycles, then SOAK_MINUTES of stress runs,
# sampled (memory, files, mappings, threads, files in /dev/shm and the temporary directory); then a
# `run` of RUN_ARGS, with the bench's entries of /dev/shm and /tmp listed before and after. Reports go
# to OUT/. Environment: SOAK_VARIANTS (default: every built variant but the test ones),
# SOAK_LIFECYCLES (10000), SOAK_MINUTES (60), SOAK_EVERY (60 s between samples), RUN_ARGS.
set -u
java=$1 cp=$2 build=$3 out=$4
mkdir -p "$out"
variants=${SOAK_VARIANTS:-}
vopt=
[ -n "$variants" ] && vopt="--variant $variants"
bench() {
	# shellcheck disable=SC2086
	"$java" --enable-native-access=ALL-UNNAMED -Dethosu.build="$build" -cp "$cp" ethosu.bench.cli.Main "$@"
}
listing() {
	# the bench's entries, with their age: another process's may come and go meanwhile
	ls -d /dev/shm/ethosu* "${TMPDIR:-/tmp}"/ethosu* 2>/dev/null | sort
}
{
	echo "# soak on $(uname -srm), $(nproc) CPUs, $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$out/machine.txt"

echo "soak: ${SOAK_LIFECYCLES:-10000} device lifecycles per variant -> $out/lifecycles.txt"
# shellcheck disable=SC2086
bench soak $vopt --lifecycles "${SOAK_LIFECYCLES:-10000}" --every "${SOAK_EVERY:-30}" >"$out/lifecycles.txt"
s1=$?

echo "soak: ${SOAK_MINUTES:-60} min of stress runs per variant -> $out/stress.txt"
# shellcheck disable=SC2086
bench soak $vopt --minutes "${SOAK_MINUTES:-60}" --every "${SOAK_EVERY:-60}" >"$out/stress.txt"
s2=$?

echo "soak: a run (${RUN_ARGS:-the default session}) and what it leaves in /dev/shm and /tmp -> $out/run-leftovers.txt"
listing >"$out/before.lst"
# shellcheck disable=SC2086
bench run ${RUN_ARGS:-} --save "$out/run-findings" >"$out/run.txt" 2>&1
s3=$?
listing >"$out/after.lst"
{
	echo "run exit status $s3 (1: findings outside the baseline, as make run)"
	echo "entries of /dev/shm and the temporary directory named ethosu* before the run: $(wc -l <"$out/before.lst"), after: $(wc -l <"$out/after.lst")"
	echo "new ones left after it (another process's, if any, show here too):"
	comm -13 "$out/before.lst" "$out/after.lst" | sed 's/^/  /'
} >"$out/run-leftovers.txt"
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/machine.txt"
cat "$out/run-leftovers.txt"
grep -h "after warm-up" "$out/lifecycles.txt" "$out/stress.txt"
[ $s1 -eq 0 ] && [ $s2 -eq 0 ]
