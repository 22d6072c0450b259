#!/bin/sh
# Quick start, command 2: runs the whole test suite. As root, the tests tagged "root"
# (namespaces, mounts, cgroups, real registry and CNI plugins) run too; as another user
# they are skipped and the build says so.
set -eu
cd "$(dirname "$0")/.."

if [ "$(id -u)" = 0 ]; then
    scripts/install-deps.sh
else
    echo "berth: not root: tests tagged \"root\" are skipped" >&2
fi
JAVA_HOME=$(bin/find-jdk)
export JAVA_HOME
exec ./mvnw -B verify "$@"
