#!/bin/sh
# Shows that every check has a test in which it fires: for each invariant, runs the check
# tests with that invariant disabled (-Dethosu.checks.disable=ID) and expects a failure.
# Usage: tools/disable-each-check.sh [TEST-PATTERN]   (default: InvariantTest, then, for a check it
# does not catch, the wider set of check-firing test classes)
set -u
cd "$(dirname "$0")/.."
first=${1:-InvariantTest}
wider=${1:-HarnessTest,DriverTest,SubmitErrorsTest,SanitizerReportTest,ExplorationTest,ErrorPathsExplorationTest}
jdk=${JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
ids=$(sed -n '/everyInvariant() {/,/^    }/p' java/main/ethosu/bench/check/Checks.java |
	grep -o 'new [A-Z][A-Za-z]*()' | sed 's/new \(.*\)()/\1/')
kinds=$(sed -n '/enum Kind/,/;/p' java/main/ethosu/bench/event/KernelReport.java |
	grep -o '^ *[A-Z_]*(' | tr -d ' (')
JAVA_HOME=$jdk mvn -B -q -Dethosu.build="$PWD/build" test-compile >/dev/null 2>&1 || { echo "build failed: run make test-compile" >&2; exit 2; }
status=0
run() {
	JAVA_HOME=$jdk mvn -B -q -o -Dethosu.build="$PWD/build" -Dethosu.test.jvmargs="-Dethosu.checks.disable=$1" \
		surefire:test -Dtest="$2" -Dsurefire.failIfNoSpecifiedTests=false >/tmp/disable-check.$$ 2>&1
}
for id in $ids $(for k in $kinds; do echo "KernelReported:$k"; done); do
	[ "$id" = "KernelReported:UNKNOWN" ] && { echo "$id: not a check (a report the bench cannot decode is a bench finding)"; continue; }
	if run "$id" "$first" && { [ "$first" = "$wider" ] || run "$id" "$wider"; }; then
		echo "$id: NO TEST FAILS with it disabled"
		status=1
	else
		n=$(grep -ho 'Tests run: [0-9]*, Failures: [0-9]*, Errors: [0-9]*' /tmp/disable-check.$$ | tail -1)
		echo "$id: fires ($n)"
	fi
done
rm -f /tmp/disable-check.$$
exit $status
