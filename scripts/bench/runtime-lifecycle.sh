#!/bin/sh
# Runtime lifecycle benchmark: create -> start -> wait -> delete of one busybox `true`
# bundle, N times (default 100), through Berth's runtime seam in a warm JVM and through
# runc's CLI (Debian's runc, installed here if missing), on the same bundle.
# Also reports berth-shim's VmRSS and Pss per running container (10 containers running sleep).
# Run as root from the repository, after ./mvnw -q install -DskipTests.
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
n=${1:-100}
work=$(mktemp -d /tmp/berth-rtbench.XXXXXX)
trap 'rm -rf "$work"' EXIT
command -v runc >/dev/null || apt-get install -y -qq runc >/dev/null

# A busybox bundle made by runc's own `spec`, so both runtimes run the same config.
mkdir -p "$work/bundle/rootfs/bin"
cp /bin/busybox "$work/bundle/rootfs/bin/busybox"
for a in sh true sleep; do ln "$work/bundle/rootfs/bin/busybox" "$work/bundle/rootfs/bin/$a"; done
(cd "$work/bundle" && runc spec)
sed -i 's/"terminal": true/"terminal": false/; s/"sh"$/"true"/' "$work/bundle/config.json"
sed -i 's/"cgroupsPath": .*//' "$work/bundle/config.json"

export JAVA_HOME="$("$here/bin/find-jdk")"
cp=$(cd "$here" && ./mvnw -q -o -pl runtime dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)
java_bench() {
    "$JAVA_HOME/bin/java" -XX:+UseSerialGC -cp "$here/runtime/target/classes:$here/runtime/target/test-classes:$cp" \
        dev.berth.runtime.bench.LifecycleBench "$@"
}
java_bench "$work/state" "$work/bundle" "$n"

# Memory: 10 containers running `sleep`, then VmRSS and Pss of their shims (monitors only).
sed 's/"true"$/"sleep", "600"/' "$work/bundle/config.json" >"$work/sleep.json"
mkdir -p "$work/sleep" && cp "$work/sleep.json" "$work/sleep/config.json" && ln -s "$work/bundle/rootfs" "$work/sleep/rootfs"
mkfifo "$work/hold"
java_bench "$work/hstate" "$work/sleep" hold 10 <"$work/hold" >"$work/hold.out" &
exec 3>"$work/hold"
until grep -q running "$work/hold.out" 2>/dev/null; do sleep 0.1; done
sleep 2
for pid in $(pgrep -f "create $work/hstate/"); do
    awk '/^VmRSS/{r=$2} END{printf "%s ", r}' "/proc/$pid/status"
    awk '/^Pss:/{print $2}' "/proc/$pid/smaps_rollup"
done | awk '{r+=$1; p+=$2; n++} END {printf "berth-shim per container (n=%d): VmRSS %.0f kB, Pss %.0f kB\n", n, r/n, p/n}'
exec 3>&-
wait

# runc: the same steps through its CLI (create, start, wait for stopped, delete).
i=0
: >"$work/runc.ms"
while [ "$i" -lt $((n + 20)) ]; do
    t0=$(date +%s%N)
    runc --root "$work/runc" create --bundle "$work/bundle" "r$i" </dev/null >/dev/null 2>&1
    runc --root "$work/runc" start "r$i"
    until runc --root "$work/runc" state "r$i" | grep -q '"status": "stopped"'; do :; done
    runc --root "$work/runc" delete "r$i"
    t1=$(date +%s%N)
    [ "$i" -ge 20 ] && echo $(( (t1 - t0) / 1000 )) >>"$work/runc.ms"
    i=$((i + 1))
done
sort -n "$work/runc.ms" | awk '{a[NR]=$1} END {printf "runc CLI\tn=%d\tmin=%.2f\tp50=%.2f\tp90=%.2f\tmax=%.2f ms\n", NR, a[1]/1000, a[int(NR/2)+1]/1000, a[int(NR*0.9)]/1000, a[NR]/1000}'
