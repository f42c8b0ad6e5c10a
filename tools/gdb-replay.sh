#!/bin/sh
# gdb-replay.sh JAVA CLASSPATH BUILD [--break-step N] [--break FUNC]... REPLAY-ARGS...: replays a
# schedule under gdb. --break-step N stops at scheduling step N (ebench_break_step, on the thread
# of the context chosen there); --break FUNC stops in a C function (from step N on, if both).
# GDB_BATCH="cmd;cmd" runs those commands at the stop and exits (tests, scripts);
# GDB_INFERIOR_ENV="VAR=value ..." is the JVM's environment on top of ours (a sanitizer's runtime).
# Bad arguments are one line and exit 2 before gdb starts, as the command line's own are.
set -eu
java=$1 cp=$2 build=$3
shift 3
step= funcs= args=
while [ $# -gt 0 ]; do
	case "$1" in
	--break-step | --break)
		if [ $# -lt 2 ]; then
			echo "make gdb: $1: expected a value after it" >&2
			exit 2
		fi ;;
	esac
	case "$1" in
	--break-step) step=$2; shift 2 ;;
	--break-step=*) step=${1#*=}; shift ;;
	--break) funcs="$funcs $2"; shift 2 ;;
	--break=*) funcs="$funcs ${1#*=}"; shift ;;
	*) args="$args $1"; shift ;;
	esac
done
if [ -z "$step" ] && [ -z "$funcs" ]; then
	echo "make gdb needs ARGS=\"--schedule FILE --break-step N\" and/or --break FUNC" >&2
	exit 2
fi
breakarg=
[ -n "$step" ] && breakarg="--break-step $step"
# the schedule, variant, scenario and step, checked by the command line itself (its one-line
# errors); it prints the library the replay loads
# shellcheck disable=SC2086
lib=$("$java" --enable-native-access=ALL-UNNAMED -Dethosu.build="$build" -cp "$cp" ethosu.bench.cli.Main \
	replay --dry-run $breakarg $args) || exit $?
# a function or FILE:LINE gdb cannot find would be a pending breakpoint that never stops
for f in $funcs; do
	case "$f" in
	*[!A-Za-z0-9_.:/+-]*)
		echo "make gdb: --break $f: expected a C function or FILE:LINE" >&2
		exit 2 ;;
	esac
	where=$(${GDB:-gdb} -q -batch -ex "info line $f" "$lib" 2>&1 | head -n 1)
	case "$where" in
	"Function \""*" not defined."* | "No source file named"* | *"out of range"* | "No symbol"* | "malformed"* | "")
		echo "make gdb: --break $f: expected a C function or FILE:LINE of $lib (gdb: ${where:-no answer})" >&2
		exit 2 ;;
	esac
done
cmds=$(mktemp "${TMPDIR:-/tmp}/ethosu-gdb.XXXXXX")
trap 'rm -f "$cmds"' EXIT
{
	cat "$(dirname "$0")/gdb/jvm.gdb"
	if [ -n "$step" ]; then
		echo "break ebench_break_step"
		if [ -n "$funcs" ]; then
			# from step N on, stop in the functions asked for
			echo "commands"
			echo "silent"
			n=2
			for f in $funcs; do echo "enable $n"; n=$((n + 1)); done
			echo "continue"
			echo "end"
		fi
	fi
	n=2
	for f in $funcs; do
		echo "break $f"
		[ -n "$step" ] && echo "disable $n"
		n=$((n + 1))
	done
	[ -n "${GDB_INFERIOR_ENV:-}" ] && echo "set exec-wrapper env $GDB_INFERIOR_ENV"
	echo "run"
	[ -n "$step" ] && [ -z "$funcs" ] && echo "ctxbt"
	if [ -n "${GDB_BATCH:-}" ]; then
		echo "$GDB_BATCH" | tr ';' '\n'
		echo "kill"
		echo "quit"
	fi
} >"$cmds"
batch=
[ -n "${GDB_BATCH:-}" ] && batch=-batch
# shellcheck disable=SC2086
# ETHOSU_POINT_BACKTRACE: each scheduling point keeps its C frames for ctxbt
# --in-process: the replay runs in the JVM gdb started (gdb contains a crash), not in a worker;
# not exec'd, so that the trap removes the command file when gdb is done
status=0
ETHOSU_POINT_BACKTRACE=1 ${GDB:-gdb} -q $batch -x "$cmds" --args "$java" --enable-native-access=ALL-UNNAMED \
	-Dethosu.build="$build" -cp "$cp" ethosu.bench.cli.Main replay --in-process $breakarg $args || status=$?
exit $status
