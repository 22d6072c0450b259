#!/bin/sh
# Installs the Debian packages Berth needs to build, run and test, if any are missing.
# Every OS package the project uses is listed here, once.
set -eu

packages="
ca-certificates
curl
unzip
gcc
libc6-dev
libseccomp-dev
pkg-config
iproute2
iptables
containernetworking-plugins
docker-registry
busybox-static
dbus-daemon
apache2-utils
openssl
criu
"

missing=
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "berth: installing Debian packages:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086 # one word per package
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
