#!/bin/sh
# Builds berth-shim; run by the Maven build (runtime/pom.xml) with the output path as $1.
# Fails with a clear message when the C toolchain or libseccomp's headers are missing.
set -eu
out=$1
src=$(cd "$(dirname "$0")" && pwd)
cc=${CC:-gcc}
if ! command -v "$cc" >/dev/null 2>&1; then
    echo "berth-shim: no C compiler ($cc) found; install it: apt-get install -y gcc libc6-dev libseccomp-dev" >&2
    exit 1
fi
if ! echo '#include <seccomp.h>' | "$cc" -E - >/dev/null 2>&1; then
    echo "berth-shim: libseccomp headers (seccomp.h) not found; install them: apt-get install -y libseccomp-dev" >&2
    exit 1
fi
mkdir -p "$(dirname "$out")"
# shellcheck disable=SC2086 # CFLAGS may hold several flags
"$cc" -std=gnu11 -O2 -g0 -Wall -Wextra -Werror -fstack-protector-strong -D_FORTIFY_SOURCE=2 \
    -fPIE -pie -Wl,-z,relro,-z,now ${CFLAGS:-} \
    -o "$out" "$src"/*.c -lseccomp
