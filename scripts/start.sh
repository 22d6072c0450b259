#!/bin/sh
# Quick start, command 1: builds Berth and (re)starts the daemon with its defaults,
# serving CRI on unix:///run/berth/berth.sock. Run as root on Debian 12.
set -eu
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "berth: run this as root (the daemon manages namespaces, mounts and cgroups)" >&2; exit 1; }

scripts/install-deps.sh
JAVA_HOME=$(bin/find-jdk)
export JAVA_HOME
./mvnw -B -q package -DskipTests

pid_file=/run/berth/berth.pid
if [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
    old=$(cat "$pid_file")
    echo "berth: stopping the running daemon (pid $old)"
    kill "$old"
    while kill -0 "$old" 2>/dev/null; do sleep 0.1; done
fi

log=/var/log/berth.log
setsid bin/berth daemon >>"$log" 2>&1 </dev/null &
i=0
until bin/berth version >/dev/null 2>&1; do
    i=$((i + 1))
    if [ "$i" -gt 120 ]; then
        echo "berth: the daemon did not answer within 60 s; see $log" >&2
        tail -n 20 "$log" >&2
        exit 1
    fi
    sleep 0.5
done
echo "berth: daemon running (pid $(cat "$pid_file")), log in $log"
echo "berth: try  crictl --runtime-endpoint unix:///run/berth/berth.sock version"
