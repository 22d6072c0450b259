#!/bin/bash
# stats-poll.sh - the CPU time a CRI runtime spends serving kubelet-style stats polling.
#
# usage: bench/stats-poll.sh SOCKET PIDS IMAGE [PODS] [MINUTES] [INTERVAL_S]
#
# A measurement, not a test. Run as root against a running runtime (Berth, containerd, CRI-O):
#   SOCKET    its CRI socket (unix:// optional)
#   PIDS      the runtime's daemon process(es) to account, comma-separated (for Berth the JVM,
#             <state>/berth.pid; for containerd the containerd pid; shims are not counted)
#   IMAGE     an image with sleep(1), pulled once through the runtime (e.g. busybox)
#   PODS      pods to create, each with one container running `sleep` (default 100)
#   MINUTES   how long to poll (default 5)
#   INTERVAL_S seconds between polls (default 10, as kubelet's housekeeping)
# It creates the pods (not measured; each under its own cgroup parent, as kubelet makes them,
# which containerd 1.6 needs for ListPodSandboxStats), then every INTERVAL_S runs `crictl stats -o json` and
# `crictl statsp -o json` back to back, as kubelet asks ListContainerStats and
# ListPodSandboxStats, reads utime+stime of PIDS from /proc/<pid>/stat before the first and
# after the last poll, prints the daemon CPU time used, per poll and as a share of one core,
# and removes its pods (also on failure or ^C). IDLE=1 first measures the same time without
# polling, to show what the daemon spends anyway. crictl is $CRICTL, else on PATH, else
# /opt/cri-tools/bin/crictl; its own CPU is not counted.
set -euo pipefail

SOCKET=${1:?usage: $0 SOCKET PIDS IMAGE [PODS] [MINUTES] [INTERVAL_S]}
PIDS=${2:?usage: $0 SOCKET PIDS IMAGE [PODS] [MINUTES] [INTERVAL_S]}
IMAGE=${3:?usage: $0 SOCKET PIDS IMAGE [PODS] [MINUTES] [INTERVAL_S]}
PODS=${4:-100}
MINUTES=${5:-5}
INTERVAL=${6:-10}
CRICTL=${CRICTL:-$(command -v crictl 2>/dev/null || echo /opt/cri-tools/bin/crictl)}
case "$SOCKET" in unix://*) ;; *) SOCKET=unix://$SOCKET ;; esac
TICKS=$(getconf CLK_TCK)

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
cri() { "$CRICTL" --runtime-endpoint "$SOCKET" --image-endpoint "$SOCKET" --timeout 60s "$@"; }

[ "$(id -u)" = 0 ] || die "run as root (reads /proc/<pid>/stat of the daemon, creates pods)"
command -v "$CRICTL" >/dev/null || die "no crictl (set CRICTL)"
IFS=, read -r -a pid_list <<<"$PIDS"
for pid in "${pid_list[@]}"; do
	[ -r "/proc/$pid/stat" ] || die "no process $pid"
done

# cpu_ticks: utime+stime of every pid in PIDS, in clock ticks. The command name (field 2) may
# hold spaces, so the fields are counted after its closing parenthesis.
cpu_ticks() {
	local total=0 pid rest
	for pid in "${pid_list[@]}"; do
		rest=$(sed 's/.*) //' "/proc/$pid/stat")
		set -- $rest
		total=$((total + ${12} + ${13})) # utime, stime: fields 14 and 15 of the whole line
	done
	echo "$total"
}

WORK=$(mktemp -d /tmp/berth-stats-poll.XXXXXX)
RUN=sp$$
pod_ids=()

cleanup() {
	set +e
	if [ "${#pod_ids[@]}" -gt 0 ]; then
		log "removing ${#pod_ids[@]} pods"
		for id in "${pod_ids[@]}"; do
			cri stopp "$id" >/dev/null 2>&1
			cri rmp "$id" >/dev/null 2>&1
		done
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "pulling $IMAGE"
cri pull "$IMAGE" >/dev/null

log "creating $PODS pods with one container each"
for ((i = 1; i <= PODS; i++)); do
	cat >"$WORK/pod.json" <<JSON
{"metadata":{"name":"$RUN-$i","namespace":"stats-poll","uid":"$RUN-$i","attempt":0},
 "log_directory":"$WORK/logs/$i","linux":{"cgroup_parent":"/stats-poll/pod-$RUN-$i"}}
JSON
	cat >"$WORK/ctr.json" <<JSON
{"metadata":{"name":"sleep"},"image":{"image":"$IMAGE"},"command":["sleep","1000000"],"log_path":"sleep.log","linux":{}}
JSON
	mkdir -p "$WORK/logs/$i"
	pod=$(cri runp "$WORK/pod.json")
	pod_ids+=("$pod")
	ctr=$(cri create "$pod" "$WORK/ctr.json" "$WORK/pod.json")
	cri start "$ctr" >/dev/null
done
[ "$(cri ps -q --state running | wc -l)" -ge "$PODS" ] || die "not every container is running: $(cri ps)"

seconds=$((MINUTES * 60))
if [ "${IDLE:-0}" = 1 ]; then
	log "idle baseline: $MINUTES min without polling"
	t0=$(cpu_ticks)
	sleep "$seconds"
	idle=$(($(cpu_ticks) - t0))
fi

log "polling every ${INTERVAL}s for $MINUTES min"
polls=0
call_ms=0
start=$(date +%s)
t0=$(cpu_ticks)
while [ $(($(date +%s) - start)) -lt "$seconds" ]; do
	tick=$(date +%s%N)
	cri stats -o json >"$WORK/stats.json"
	cri statsp -o json >"$WORK/statsp.json"
	call_ms=$((call_ms + ($(date +%s%N) - tick) / 1000000))
	polls=$((polls + 1))
	next=$((tick / 1000000 + INTERVAL * 1000))
	wait_ms=$((next - $(date +%s%N) / 1000000))
	[ "$wait_ms" -gt 0 ] && sleep "$(printf '%d.%03d' $((wait_ms / 1000)) $((wait_ms % 1000)))"
done
used=$(($(cpu_ticks) - t0))
elapsed=$(($(date +%s) - start))

awk -v used="$used" -v ticks="$TICKS" -v polls="$polls" -v elapsed="$elapsed" -v calls="$call_ms" \
	-v idle="${idle:-}" -v pods="$PODS" -v interval="$INTERVAL" 'BEGIN {
	printf "pods\t%d\npolls\t%d (every %d s, %d s)\n", pods, polls, interval, elapsed
	printf "daemon cpu\t%.2f s\n", used / ticks
	printf "per poll\t%.1f ms (stats + statsp), %.1f ms wall on average\n", used / ticks * 1000 / polls, calls / polls
	printf "share of one core\t%.3f %%\n", used / ticks / elapsed * 100
	if (idle != "") printf "idle baseline\t%.2f s over the same time\n", idle / ticks
}'
if command -v jq >/dev/null; then
	log "last answers: $(jq '.stats | length' "$WORK/stats.json") container stats, $(jq '.stats | length' "$WORK/statsp.json") pod stats"
fi
