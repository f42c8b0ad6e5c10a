#!/bin/sh
# The last line of `make test`: passed, failed and skipped tests from the JUnit reports, where a
# test JVM that crashed (surefire's "Crashed tests:") counts each of its test classes as failed.
# usage: test-summary.sh REPORTS_DIR MAVEN_LOG MAVEN_STATUS
reports=$1 log=$2 status=$3

crashed=$(awk '/Crashed tests:/ { c = 1; next }
	c && /^\[ERROR\] [A-Za-z_][A-Za-z0-9_.$]*$/ { print $2; next }
	{ c = 0 }' "$log" 2>/dev/null | sort -u)
ncrashed=$(printf '%s' "$crashed" | grep -c .)

cat "$reports"/TEST-*.xml 2>/dev/null | sed -n \
	's/.*<testsuite [^>]*tests="\([0-9]*\)"[^>]*failures="\([0-9]*\)"[^>]*errors="\([0-9]*\)"[^>]*skipped="\([0-9]*\)".*/\1 \2 \3 \4/p;s/.*<testsuite [^>]*tests="\([0-9]*\)"[^>]*errors="\([0-9]*\)"[^>]*skipped="\([0-9]*\)"[^>]*failures="\([0-9]*\)".*/\1 \4 \2 \3/p' |
awk -v crashed="$ncrashed" -v names="$(echo $crashed)" -v status="$status" '
	BEGIN { print "" }
	{ t += $1; f += $2 + $3; s += $4 }
	END {
		line = sprintf("tests: %d passed, %d failed, %d skipped", t - f - s, f + crashed, s)
		if (crashed > 0)
			line = line sprintf(" (%d test class(es) crashed their JVM and count as failed: %s)", crashed, names)
		else if (status != 0 && f == 0)
			line = line " (maven failed before or outside the tests: see above)"
		print line
	}'
