#!/bin/sh
# Measures the daemon's start-to-ready time and idle memory, N times (default 5):
# ready = from launching bin/berth until a CRI Version call over the socket answers
# (polled with crictl every 10 ms); memory = VmRSS/RssAnon/RssFile and Pss 10 s after ready.
# Needs root, crictl on PATH (or $CRICTL), and a built jar. Uses a private state dir and socket.
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-5}
crictl=${CRICTL:-$(command -v crictl || echo /opt/cri-tools/bin/crictl)}
work=$(mktemp -d /tmp/berth-bench.XXXXXX)
sock=$work/berth.sock
trap 'rm -rf "$work"' EXIT

# Its own CNI dirs, so the benchmark never writes the host's /etc/cni/net.d.
cat >"$work/config.toml" <<TOML
[cni]
conf_dirs = ["$work/net.d"]
write_default_config = false
TOML

printf 'run\tready_ms\tVmRSS_kB\tRssAnon_kB\tRssFile_kB\tPss_kB\n'
i=1
while [ "$i" -le "$runs" ]; do
    start=$(date +%s%N)
    "$here/bin/berth" daemon --config "$work/config.toml" --root "$work/root" --state "$work/state" --socket "$sock" \
        --metrics-address 127.0.0.1:0 >"$work/log" 2>&1 &
    pid=$!
    until "$crictl" --runtime-endpoint "unix://$sock" --timeout 1s version >/dev/null 2>&1; do
        kill -0 "$pid" 2>/dev/null || { cat "$work/log"; exit 1; }
        sleep 0.01
    done
    ready=$(( ($(date +%s%N) - start) / 1000000 ))
    sleep 10
    jpid=$(cat "$work/state/berth.pid")
    rss=$(awk '/^VmRSS/{r=$2} /^RssAnon/{a=$2} /^RssFile/{f=$2} END{print r"\t"a"\t"f}' "/proc/$jpid/status")
    pss=$(awk '/^Pss:/{print $2}' "/proc/$jpid/smaps_rollup")
    printf '%s\t%s\t%s\t%s\n' "$i" "$ready" "$rss" "$pss"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    i=$((i + 1))
done
