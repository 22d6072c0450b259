#!/bin/bash
# bench/compare.sh — the same CRI measurements against two (or more) runtimes, side by side.
#
# usage: bench/compare.sh [options] NAME=ENDPOINT[,helpers=REGEX] NAME=ENDPOINT[,helpers=REGEX] ...
#   e.g. bench/compare.sh -r 3 -o /tmp/cmp \
#          berth=unix:///run/berth/berth.sock,helpers=berth-shim \
#          containerd=unix:///run/containerd/containerd.sock,helpers='^(containerd-shim|pause$)'
#
# For every round (-r, default 3) and every runtime in turn (so both see the same machine
# state), critest's benchmark mode runs once; the samples of all rounds are pooled and the
# table gives n, min, p50, p90, p99 per operation, per runtime, and the p50 ratio of each
# runtime to the last one named. Memory, per runtime (the daemon is the process listening on
# the socket):
#   - daemon VmRSS when the script starts (start the daemons fresh for an "idle" figure),
#     after the conformance run (-C), and after the benchmarks;
#   - per-pod overhead: the Pss of the runtime's helper processes (exe or comm matching
#     helpers=REGEX: shims, pause processes) with 10 pods running one sleeping container
#     each, minus the same sum before, divided by 10.
#
# options:
#   -r ROUNDS        benchmark rounds per runtime (default 3)
#   -o DIR           output directory (default ./bench-out-<date>)
#   -i IMAGE         the image PullImage is timed with (default: the test images' busybox);
#                    pick one no other image shares a layer with, so every pull downloads
#   -t FILE          critest --test-images-file (needed offline: where busybox comes from)
#   -n SAMPLES       samples per benchmark (default 100)
#   -C               run critest's conformance suite once per runtime first (and its RSS)
#   -s SEED          ginkgo seed for the conformance runs (default 1)
# Needs: critest and crictl of cri-tools (CRITEST / CRICTL, else on PATH, else
# /opt/cri-tools/bin), jq, ss; root. Output: OUT/<name>/round<k>/ (critest's raw JSON),
# OUT/summary.md (the tables).
set -euo pipefail

die() { echo "compare.sh: $*" >&2; exit 2; }
say() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

tool() { # tool NAME ENV_VALUE -> path of a cri-tools binary
    local name=$1 given=$2
    if [ -n "$given" ]; then echo "$given"; return; fi
    command -v "$name" 2>/dev/null || echo "/opt/cri-tools/bin/$name"
}
CRITEST=$(tool critest "${CRITEST:-}")
CRICTL=$(tool crictl "${CRICTL:-}")

rounds=3 out="bench-out-$(date +%Y%m%d-%H%M%S)" image="" images_file="" samples=100 conformance=0 seed=1
while getopts "r:o:i:t:n:Cs:" opt; do
    case $opt in
        r) rounds=$OPTARG ;;
        o) out=$OPTARG ;;
        i) image=$OPTARG ;;
        t) images_file=$OPTARG ;;
        n) samples=$OPTARG ;;
        C) conformance=1 ;;
        s) seed=$OPTARG ;;
        *) die "unknown option (see the header of $0)" ;;
    esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || die "name at least one runtime: NAME=ENDPOINT[,helpers=REGEX]"
for t in "$CRITEST" "$CRICTL"; do [ -x "$t" ] || die "$t is not executable (set CRITEST / CRICTL)"; done
command -v jq >/dev/null || die "jq is missing (apt-get install -y jq)"
[ -z "$images_file" ] || [ -f "$images_file" ] || die "no test images file $images_file"
mkdir -p "$out"
out=$(cd "$out" && pwd)

names=() endpoints=() helpers=()
for arg in "$@"; do
    name=${arg%%=*}
    rest=${arg#*=}
    [ "$name" != "$arg" ] && [ -n "$name" ] || die "not NAME=ENDPOINT: $arg"
    endpoint=${rest%%,helpers=*}
    helper=""
    [ "$endpoint" = "$rest" ] || helper=${rest#*,helpers=}
    case $endpoint in unix://*) ;; /*) endpoint="unix://$endpoint" ;; *) die "endpoint must be a unix socket: $endpoint" ;; esac
    "$CRICTL" --runtime-endpoint "$endpoint" --timeout 10s version >/dev/null 2>&1 || die "$name: nothing answers on $endpoint"
    names+=("$name") endpoints+=("$endpoint") helpers+=("$helper")
done

daemon_pid() { # the process listening on the unix socket
    local socket=${1#unix://}
    # reads all of ss's output (an early exit would SIGPIPE ss and, with pipefail, this script)
    ss -xlpn 2>/dev/null | awk -v s="$socket" '!found && $5 == s && match($0, /pid=[0-9]+/) { print substr($0, RSTART + 4, RLENGTH - 4); found = 1 }'
}
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo "?"; }

helper_pss_kb() { # helper_pss_kb REGEX -> summed Pss of processes whose exe basename or comm matches
    local regex=$1 total=0 p exe comm pss
    [ -n "$regex" ] || { echo 0; return; }
    for p in /proc/[0-9]*; do
        exe=$(basename "$(readlink "$p/exe" 2>/dev/null)" 2>/dev/null) || exe=""
        comm=$(cat "$p/comm" 2>/dev/null) || comm=""
        if [[ "$exe" =~ $regex || "$comm" =~ $regex ]]; then
            pss=$(awk '/^Pss:/ { print $2 }' "$p/smaps_rollup" 2>/dev/null)
            total=$((total + ${pss:-0}))
        fi
    done
    echo "$total"
}

test_image() { # test_image KEY -> the reference the test images file gives for KEY
    sed -n "s/^$1: *//p" "$images_file" | tr -d '"' | awk 'NR == 1'
}

write_params() {
    local pull_image=$image
    if [ -z "$pull_image" ] && [ -n "$images_file" ]; then
        pull_image=$(test_image defaultTestContainerImage)
    fi
    [ -n "$pull_image" ] || pull_image=registry.k8s.io/e2e-test-images/busybox:1.29-2
    cat >"$out/params.yaml" <<EOF
# Written by bench/compare.sh: sequential samples (critest v1.26's parallel sampling loses
# its last samples), the same for every runtime.
containersNumber: $samples
containersNumberParallel: 1
containerBenchmarkTimeoutSeconds: 300
podsNumber: $samples
podsNumberParallel: 1
podBenchmarkTimeoutSeconds: 300
imagesNumber: $samples
imagesNumberParallel: 1
imageBenchmarkTimeoutSeconds: 300
imagePullingBenchmarkImage: $pull_image
imageListingBenchmarkImages:
  - $pull_image
podContainerStartBenchmarkTimeoutSeconds: 10
EOF
}

critest_run() { # critest_run ENDPOINT DIR extra-args...
    local endpoint=$1 dir=$2
    shift 2
    mkdir -p "$dir"
    local args=(-runtime-endpoint "$endpoint" -image-endpoint "$endpoint" -ginkgo.no-color
        -ginkgo.json-report "$dir/report.json" "$@")
    [ -z "$images_file" ] || args+=(-test-images-file "$images_file")
    (cd "$dir" && "$CRITEST" "${args[@]}") >"$dir/critest.log" 2>&1 || true
    # critest can leave pods behind after a failed spec; the next run must start clean
    "$CRICTL" --runtime-endpoint "$endpoint" rmp -f -a >/dev/null 2>&1 || true
}

per_pod_overhead() { # per_pod_overhead INDEX -> "Pss kB per pod"
    local i=$1 endpoint=${endpoints[$1]} dir="$out/${names[$1]}/pods" before after k
    mkdir -p "$dir"
    local busybox=registry.k8s.io/e2e-test-images/busybox:1.29-2
    if [ -n "$images_file" ]; then
        busybox=$(test_image defaultTestContainerImage)
    fi
    "$CRICTL" --runtime-endpoint "$endpoint" --image-endpoint "$endpoint" pull "$busybox" >/dev/null
    before=$(helper_pss_kb "${helpers[$i]}")
    for k in $(seq 1 10); do
        cat >"$dir/pod$k.json" <<EOF
{"metadata": {"name": "bench-overhead-$k", "namespace": "bench", "uid": "bench-overhead-$k", "attempt": 0},
 "log_directory": "$dir/logs$k", "linux": {}}
EOF
        cat >"$dir/ctr$k.json" <<EOF
{"metadata": {"name": "sleeper"}, "image": {"image": "$busybox"}, "command": ["sleep", "3600"],
 "log_path": "sleeper.log", "linux": {}}
EOF
        "$CRICTL" --runtime-endpoint "$endpoint" --image-endpoint "$endpoint" run "$dir/ctr$k.json" "$dir/pod$k.json" \
            >>"$dir/run.log" 2>&1 || die "${names[$i]}: could not start pod $k for the overhead measurement (see $dir/run.log)"
    done
    sleep 3 # let the helpers settle (lazy page faults, first log writes)
    after=$(helper_pss_kb "${helpers[$i]}")
    "$CRICTL" --runtime-endpoint "$endpoint" rmp -f -a >/dev/null 2>&1 || true
    echo $(((after - before) / 10))
}

write_params
say "output in $out; critest $CRITEST; $rounds round(s) of $samples samples per runtime"
{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "host: $(uname -srm), $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
    if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then echo "cgroups: v2"
    elif [ -d /sys/fs/cgroup/unified ]; then echo "cgroups: v1 (hybrid)"
    else echo "cgroups: v1"; fi
    for i in "${!names[@]}"; do
        echo "${names[$i]}: ${endpoints[$i]} — $("$CRICTL" --runtime-endpoint "${endpoints[$i]}" version 2>/dev/null | awk '/RuntimeName|RuntimeVersion/ { printf "%s ", $2 }')"
    done
} >"$out/meta.txt"

declare -A rss_start rss_conformance rss_bench conformance_result overhead
for i in "${!names[@]}"; do
    pid=$(daemon_pid "${endpoints[$i]}")
    rss_start[$i]=$([ -n "$pid" ] && rss_kb "$pid" || echo "?")
done

if [ "$conformance" = 1 ]; then
    for i in "${!names[@]}"; do
        say "${names[$i]}: critest conformance (seed $seed)"
        critest_run "${endpoints[$i]}" "$out/${names[$i]}/conformance" -ginkgo.seed "$seed"
        conformance_result[$i]=$(jq -r '[.[0].SpecReports[] | select(.LeafNodeType == "It") | .State] | group_by(.) | map("\(.[0]) \(length)") | join(", ")' \
            "$out/${names[$i]}/conformance/report.json" 2>/dev/null || echo "no report")
        pid=$(daemon_pid "${endpoints[$i]}")
        rss_conformance[$i]=$([ -n "$pid" ] && rss_kb "$pid" || echo "?")
    done
fi

for r in $(seq 1 "$rounds"); do
    for i in "${!names[@]}"; do
        say "${names[$i]}: benchmark round $r"
        critest_run "${endpoints[$i]}" "$out/${names[$i]}/round$r" -benchmark \
            -benchmarking-params-file "$out/params.yaml" -benchmarking-output-dir "$out/${names[$i]}/round$r"
    done
done
for i in "${!names[@]}"; do
    pid=$(daemon_pid "${endpoints[$i]}")
    rss_bench[$i]=$([ -n "$pid" ] && rss_kb "$pid" || echo "?")
    say "${names[$i]}: per-pod overhead with 10 pods"
    overhead[$i]=$(per_pod_overhead "$i")
done

# ---- pooled samples per operation: name<TAB>operation<TAB>n min p50 p90 p99 (ms) ----
JQ_DEFS='
def q(p): sort as $s | ($s | length) as $n | if $n == 0 then null else $s[((p / 100) * ($n - 1)) | round] end;
def ms: if . == null then "-" else (. / 1e6 * 100 | round / 100) end;
def stats: [length, (min | ms), (q(50) | ms), (q(90) | ms), (q(99) | ms)];
'
pooled() { # pooled INDEX -> tsv rows
    local dir="$out/${names[$1]}" f
    for f in pod container image_lifecycle image_listing; do
        ls "$dir"/round*/"${f}_benchmark_data.json" >/dev/null 2>&1 || continue
        jq -rs --arg b "$f" "$JQ_DEFS"'
            (.[0].operationsNames) as $ops |
            ([.[].datapoints[]]) as $dps |
            (range(0; $ops | length) as $k | [$b + ": " + $ops[$k]] + ([$dps[] | .operationsDurationsNs[$k]] | stats)),
            ([$b + ": lifecycle total"] + ([$dps[] | .operationsDurationsNs | add] | stats))
            | @tsv' "$dir"/round*/"${f}_benchmark_data.json"
    done
    jq -rs "$JQ_DEFS"'
        [.[] | .[0].SpecReports[] | .ReportEntries[]? | select(.Name == "start-container-benchmark")
         | .Value.AsJSON | fromjson | .Measurements[]? | .Durations[]?] as $d
        | select($d | length > 0) | ["pod+container from scratch"] + ($d | stats) | @tsv' \
        "$dir"/round*/report.json 2>/dev/null || true
}
for i in "${!names[@]}"; do pooled "$i" >"$out/${names[$i]}/pooled.tsv"; done

base=$((${#names[@]} - 1))
{
    echo "# CRI benchmarks: ${names[*]}"
    echo
    sed 's/^/    /' "$out/meta.txt"
    echo
    echo "critest benchmark mode, $rounds round(s) × $samples sequential samples per operation, pooled; ms."
    echo
    header="| operation |"
    rule="|---|"
    for i in "${!names[@]}"; do header+=" ${names[$i]} n / min / p50 / p90 / p99 |"; rule+="---|"; done
    for i in "${!names[@]}"; do
        [ "$i" = "$base" ] && continue
        header+=" ${names[$i]}/${names[$base]} p50 |"
        rule+="---|"
    done
    echo "$header"
    echo "$rule"
    cut -f1 "$out/${names[0]}/pooled.tsv" | while IFS= read -r op; do
        line="| $op |"
        declare -A p50=()
        for i in "${!names[@]}"; do
            row=$(awk -F'\t' -v o="$op" '$1 == o' "$out/${names[$i]}/pooled.tsv")
            if [ -z "$row" ]; then line+=" - |"; continue; fi
            line+=" $(echo "$row" | awk -F'\t' '{ printf "%s / %s / %s / %s / %s", $2, $3, $4, $5, $6 }') |"
            p50[$i]=$(echo "$row" | cut -f4)
        done
        for i in "${!names[@]}"; do
            [ "$i" = "$base" ] && continue
            line+=" $(awk -v a="${p50[$i]:-}" -v b="${p50[$base]:-}" 'BEGIN { if (a == "" || b == "" || b == 0 || a == "-" || b == "-") print "-"; else printf "%.2f", a / b }') |"
        done
        echo "$line"
    done
    echo
    echo "Per-round p50 (ms), to see the spread between rounds:"
    echo
    for i in "${!names[@]}"; do
        for r in $(seq 1 "$rounds"); do
            printf -- "- %s round %s:" "${names[$i]}" "$r"
            for f in pod container image_lifecycle image_listing; do
                [ -s "$out/${names[$i]}/round$r/${f}_benchmark_data.json" ] || continue
                jq -r "$JQ_DEFS"'.operationsNames as $ops | [range(0; $ops | length) as $k | "\($ops[$k]) \([.datapoints[] | .operationsDurationsNs[$k]] | q(50) | ms)"] | join(", ")' \
                    "$out/${names[$i]}/round$r/${f}_benchmark_data.json" | sed 's/^/ /' | tr '\n' ';'
            done
            echo
        done
    done
    echo
    echo "| memory | $(for i in "${!names[@]}"; do printf '%s | ' "${names[$i]}"; done)"
    echo "|---|$(for i in "${!names[@]}"; do printf -- '---|'; done)"
    echo "| daemon VmRSS at start (kB) | $(for i in "${!names[@]}"; do printf '%s | ' "${rss_start[$i]}"; done)"
    if [ "$conformance" = 1 ]; then
        echo "| daemon VmRSS after conformance (kB) | $(for i in "${!names[@]}"; do printf '%s | ' "${rss_conformance[$i]}"; done)"
    fi
    echo "| daemon VmRSS after benchmarks (kB) | $(for i in "${!names[@]}"; do printf '%s | ' "${rss_bench[$i]}"; done)"
    echo "| helper Pss per pod, 10 pods × 1 container (kB) | $(for i in "${!names[@]}"; do printf '%s | ' "${overhead[$i]}"; done)"
    if [ "$conformance" = 1 ]; then
        echo
        for i in "${!names[@]}"; do echo "- conformance ${names[$i]}: ${conformance_result[$i]}"; done
    fi
} >"$out/summary.md"
cat "$out/summary.md"
