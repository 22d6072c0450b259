#!/bin/bash
# image-pull.sh - time `crictl pull` against Berth and against the harness's containerd.
#
# usage: scripts/bench/image-pull.sh HARNESS_DIR [RUNS]
#
# A measurement, not a test: nothing in the project's tests depends on it. Run as root.
#   1. starts the harness registry (HARNESS_DIR/setup-registry.sh; builds and pushes its images,
#      among them docker.io/harness/bench-pull:latest) unless it is already running;
#   2. builds a ~200 MB (uncompressed) image of 5 gzip layers, half random and half base64 text,
#      and pushes it as docker.io/harness/bench-big:latest (to 127.0.0.1:5000);
#   3. builds Berth (SKIP_BUILD=1 skips), starts it with a temp root/state/socket and the
#      harness's certs.d and CNI dir, and times RUNS pulls (default 10) of each image, with
#      `crictl rmi` before each one so every pull downloads and unpacks again (plus one untimed
#      warm-up pull, reported apart);
#   4. does the same against containerd (HARNESS_DIR/containerd.sh, from a clean store);
#   5. prints min/p50/max per runtime and image, the Berth/containerd ratio, and Berth's unpack
#      throughput from its metrics; stops everything it started.
# p50 is the nearest-rank median (the 5th of 10 sorted samples). Times include crictl's own start.
set -euo pipefail

HARNESS=${1:?usage: $0 HARNESS_DIR [RUNS]}
RUNS=${2:-10}
HARNESS=$(cd "$HARNESS" && pwd)
BERTH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CRICTL=${CRICTL:-$(command -v crictl 2>/dev/null || echo /opt/cri-tools/bin/crictl)}
REGISTRY=127.0.0.1:5000
SMALL=docker.io/harness/bench-pull:latest
BIG=docker.io/harness/bench-big:latest
LAYERS=${BIG_LAYERS:-5}
LAYER_MB=${BIG_LAYER_MB:-40}

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (containerd and Berth's unpack need it)"
for t in "$CRICTL" jq curl gzip tar sha256sum base64 head; do
	command -v "$t" >/dev/null || die "missing tool: $t"
done

WORK=$(mktemp -d /var/tmp/berth-bench.XXXXXX)
RESULTS=$WORK/results.tsv
started_registry=0
started_containerd=0
berth_pid=

cleanup() {
	set +e
	if [ -n "$berth_pid" ] && kill -0 "$berth_pid" 2>/dev/null; then
		log "stopping Berth (pid $berth_pid)"
		kill "$berth_pid"
		for _ in $(seq 100); do kill -0 "$berth_pid" 2>/dev/null || break; sleep 0.1; done
		kill -0 "$berth_pid" 2>/dev/null && kill -9 "$berth_pid"
	fi
	if [ "$started_containerd" = 1 ]; then
		"$HARNESS/containerd.sh" stop
		"$HARNESS/containerd.sh" clean
	fi
	[ "$started_registry" = 1 ] && "$HARNESS/setup-registry.sh" stop
	rm -rf "$WORK"
}
trap cleanup EXIT

# ---------------------------------------------------------------- registry and images

if "$HARNESS/setup-registry.sh" status >/dev/null 2>&1; then
	log "harness registry already running; leaving it running"
else
	log "starting the harness registry and pushing its images"
	"$HARNESS/setup-registry.sh" all >"$WORK/setup-registry.log" 2>&1 || { tail -20 "$WORK/setup-registry.log"; die "setup-registry.sh failed"; }
	started_registry=1
fi

# push_blob FILE: monolithic upload to harness/bench-big; prints the digest
push_blob() {
	local file=$1 digest location sep
	digest=sha256:$(sha256sum "$file" | cut -d' ' -f1)
	if curl -fsS -o /dev/null -I "http://$REGISTRY/v2/harness/bench-big/blobs/$digest" 2>/dev/null; then
		echo "$digest"
		return
	fi
	location=$(curl -fsS -X POST -D - -o /dev/null "http://$REGISTRY/v2/harness/bench-big/blobs/uploads/" |
		tr -d '\r' | awk 'tolower($1) == "location:" {print $2}')
	case "$location" in http*) ;; *) location=http://$REGISTRY$location ;; esac
	case "$location" in *\?*) sep='&' ;; *) sep='?' ;; esac
	curl -fsS -o /dev/null -X PUT -H 'Content-Type: application/octet-stream' -T "$file" "$location${sep}digest=$digest"
	echo "$digest"
}

build_big_image() {
	local i dir tar gz diff_ids='' layers='' d size config cdigest csize manifest total=0
	log "building $BIG: $LAYERS layers of $LAYER_MB MB (half random, half base64 text)"
	for ((i = 1; i <= LAYERS; i++)); do
		dir=$WORK/big/l$i
		mkdir -p "$dir/data/l$i"
		head -c $((LAYER_MB * 1024 * 1024 / 2)) /dev/urandom >"$dir/data/l$i/random.bin"
		head -c $((LAYER_MB * 1024 * 1024 * 3 / 8)) /dev/urandom | base64 >"$dir/data/l$i/text.b64"
		tar=$WORK/big/l$i.tar
		gz=$WORK/big/l$i.tar.gz
		tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$dir" -cf "$tar" data
		total=$((total + $(stat -c %s "$tar")))
		gzip -n -c "$tar" >"$gz"
		diff_ids+="${diff_ids:+,}\"sha256:$(sha256sum "$tar" | cut -d' ' -f1)\""
		d=$(push_blob "$gz")
		size=$(stat -c %s "$gz")
		layers+="${layers:+,}{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"size\":$size,\"digest\":\"$d\"}"
		rm -rf "$dir" "$tar"
	done
	config=$WORK/big/config.json
	printf '{"architecture":"amd64","os":"linux","config":{"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":[%s]}}' \
		"$diff_ids" >"$config"
	cdigest=$(push_blob "$config")
	csize=$(stat -c %s "$config")
	manifest=$(printf '{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":%s,"digest":"%s"},"layers":[%s]}' \
		"$csize" "$cdigest" "$layers")
	curl -fsS -o /dev/null -X PUT -H 'Content-Type: application/vnd.docker.distribution.manifest.v2+json' \
		--data-binary "$manifest" "http://$REGISTRY/v2/harness/bench-big/manifests/latest"
	BIG_BYTES=$total
	BIG_COMPRESSED=$(du -cb "$WORK"/big/*.tar.gz | tail -1 | cut -f1)
	rm -rf "$WORK/big"
	log "pushed $BIG: $BIG_BYTES bytes uncompressed, $BIG_COMPRESSED compressed"
}
build_big_image

# ---------------------------------------------------------------- timing

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# bench RUNTIME ENDPOINT IMAGE: one warm-up pull, then RUNS timed pulls, each after an rmi
bench() {
	local runtime=$1 ep=$2 image=$3 i t0 t1 used
	local c=("$CRICTL" --runtime-endpoint "$ep" --image-endpoint "$ep" --timeout 300s)
	"${c[@]}" rmi "$image" >/dev/null 2>&1 || true
	t0=$(now_ms); "${c[@]}" pull "$image" >/dev/null; t1=$(now_ms)
	printf '%s\t%s\twarmup\t%s\n' "$runtime" "$image" $((t1 - t0)) >>"$RESULTS"
	for ((i = 1; i <= RUNS; i++)); do
		"${c[@]}" rmi "$image" >/dev/null
		t0=$(now_ms); "${c[@]}" pull "$image" >/dev/null; t1=$(now_ms)
		printf '%s\t%s\trun\t%s\n' "$runtime" "$image" $((t1 - t0)) >>"$RESULTS"
	done
	"${c[@]}" rmi "$image" >/dev/null
	used=$("${c[@]}" imagefsinfo -o json | jq -r '.status.usedBytes.value // .status.imageFilesystems[0].usedBytes.value')
	log "$runtime $image: $RUNS pulls done; image store after the last rmi: $used bytes"
}

free_port() {
	local p
	for p in $(seq 19100 19199); do
		(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
	done
	die "no free port in 19100-19199"
}

metric() { curl -fsS "http://127.0.0.1:$METRICS_PORT/metrics" | awk -v m="$1" '$1 == m {print $2}'; }

# ---------------------------------------------------------------- Berth

export JAVA_HOME=${JAVA_HOME:-$("$BERTH_DIR/bin/find-jdk")}
if [ "${SKIP_BUILD:-0}" != 1 ]; then
	log "building Berth"
	(cd "$BERTH_DIR" && ./mvnw -q -B -o package -DskipTests) >"$WORK/build.log" 2>&1 || { tail -30 "$WORK/build.log"; die "build failed"; }
fi
mkdir -p "$WORK/berth/root" "$WORK/berth/state"
METRICS_PORT=$(free_port)
cat >"$WORK/berth/config.toml" <<TOML
[image]
config_path = "$HARNESS/containerd/certs.d"

[cni]
conf_dirs = ["$HARNESS/cni/net.d"]
write_default_config = false
TOML
BERTH_SOCK=$WORK/berth/state/berth.sock
"$BERTH_DIR/bin/berth" daemon --config "$WORK/berth/config.toml" --root "$WORK/berth/root" --state "$WORK/berth/state" \
	--socket "$BERTH_SOCK" --metrics-address "127.0.0.1:$METRICS_PORT" >"$WORK/berth/berth.log" 2>&1 &
berth_pid=$!
for _ in $(seq 300); do
	"$CRICTL" --runtime-endpoint "unix://$BERTH_SOCK" --timeout 2s version >/dev/null 2>&1 && break
	kill -0 "$berth_pid" 2>/dev/null || { tail -20 "$WORK/berth/berth.log"; die "Berth exited"; }
	sleep 0.1
done
log "Berth up (pid $berth_pid, metrics on 127.0.0.1:$METRICS_PORT)"
bench berth "unix://$BERTH_SOCK" "$SMALL"
u0_sum=$(metric berth_image_layer_unpack_duration_seconds_sum); u0_n=$(metric berth_image_layer_unpack_duration_seconds_count)
bench berth "unix://$BERTH_SOCK" "$BIG"
u1_sum=$(metric berth_image_layer_unpack_duration_seconds_sum); u1_n=$(metric berth_image_layer_unpack_duration_seconds_count)
berth_rss=$(awk '/^VmHWM:/ {print $2}' "/proc/$berth_pid/status")
kill "$berth_pid"
for _ in $(seq 100); do kill -0 "$berth_pid" 2>/dev/null || break; sleep 0.1; done
berth_pid=

# ---------------------------------------------------------------- containerd

if "$HARNESS/containerd.sh" status >/dev/null 2>&1; then
	die "containerd of the harness is already running; stop it first (the benchmark wants a clean store)"
fi
"$HARNESS/containerd.sh" clean >/dev/null 2>&1 || true
started_containerd=1
"$HARNESS/containerd.sh" start
bench containerd unix:///run/harness-containerd/containerd.sock "$SMALL"
bench containerd unix:///run/harness-containerd/containerd.sock "$BIG"

# ---------------------------------------------------------------- report

stats() { # runtime image -> "min p50 max"
	awk -F'\t' -v r="$1" -v i="$2" '$1 == r && $2 == i && $3 == "run" {print $4}' "$RESULTS" | sort -n |
		awk '{v[NR] = $1} END {p = int((NR + 1) / 2); print v[1], v[p], v[NR]}'
}
warm() { awk -F'\t' -v r="$1" -v i="$2" '$1 == r && $2 == i && $3 == "warmup" {print $4}' "$RESULTS"; }

echo
echo "crictl pull, ms ($RUNS pulls each after crictl rmi; first pull after start reported apart)"
printf '%-38s %-11s %8s %8s %8s %12s\n' image runtime min p50 max first-pull
for img in "$SMALL" "$BIG"; do
	for rt in berth containerd; do
		read -r mn p5 mx <<<"$(stats "$rt" "$img")"
		printf '%-38s %-11s %8s %8s %8s %12s\n' "$img" "$rt" "$mn" "$p5" "$mx" "$(warm "$rt" "$img")"
	done
	read -r bmn bp5 bmx <<<"$(stats berth "$img")"
	read -r cmn cp5 cmx <<<"$(stats containerd "$img")"
	printf '%-38s %-11s %8s %8s %8s\n' "" "ratio B/C" \
		"$(awk -v a="$bmn" -v b="$cmn" 'BEGIN {printf "%.2f", a / b}')" \
		"$(awk -v a="$bp5" -v b="$cp5" 'BEGIN {printf "%.2f", a / b}')" \
		"$(awk -v a="$bmx" -v b="$cmx" 'BEGIN {printf "%.2f", a / b}')"
done
read -r _ bp5 _ <<<"$(stats berth "$BIG")"
echo
echo "$BIG: $BIG_BYTES bytes uncompressed in $LAYERS layers, $BIG_COMPRESSED bytes gzip"
awk -v b="$BIG_BYTES" -v t="$bp5" 'BEGIN {printf "Berth end to end (uncompressed bytes / p50 pull time): %.1f MB/s\n", b / 1e6 / (t / 1000)}'
awk -v b="$BIG_BYTES" -v s0="$u0_sum" -v s1="$u1_sum" -v n0="$u0_n" -v n1="$u1_n" -v runs=$((RUNS + 1)) 'BEGIN {
	printf "Berth per-layer unpack (berth_image_layer_unpack_duration_seconds, %d layers): %.1f MB/s per layer stream, mean %.0f ms per layer\n",
		n1 - n0, b * runs / 1e6 / (s1 - s0), (s1 - s0) * 1000 / (n1 - n0)}'
echo "Berth peak RSS (VmHWM) over the run: $berth_rss kB"
# every timed pull must have downloaded again (containerd's imagefsinfo is refreshed every
# few seconds, so its "store after rmi" figure above may be stale; the registry log is not)
if [ -f /run/harness-registry/registry.log ]; then
	echo "layer blob downloads of $BIG by client (expect $((LAYERS * (RUNS + 1))) each):"
	grep 'method=GET' /run/harness-registry/registry.log | grep 'bench-big/blobs/sha256' |
		sed -E 's/.*useragent=("[^"]*"|[^ ]*) .*written=([0-9]+).*/\1 \2/' |
		awk '$2 > 1000000 {n[$1]++} END {for (u in n) printf "  %s %d\n", u, n[u]}'
fi
