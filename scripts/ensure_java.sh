#!/usr/bin/env bash
# Make sure a Java runtime >= 17 is present (the Spark engine and its tests need it).
# Installs Debian/Ubuntu's openjdk-17-jre-headless only when `java -version` fails or reports
# an older version; does nothing otherwise. Needs root (or sudo) only in that case.
set -euo pipefail

java_major() {
    local line version
    line=$(java -version 2>&1 | grep -m1 -Eo 'version "[^"]+"' || true)
    version=${line#version \"}
    version=${version%\"}
    [ -n "$version" ] || { echo 0; return; }
    if [[ $version == 1.* ]]; then  # "1.8.0_392" is Java 8
        version=${version#1.}
    fi
    echo "${version%%[.+_-]*}"
}

if command -v java >/dev/null 2>&1 && [ "$(java_major)" -ge 17 ]; then
    echo "ensure_java: Java $(java_major) found, nothing to do"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_java: Java 17+ is missing and apt-get is not available;" \
         "install a Java 17+ runtime by hand (the Spark tests are skipped without it)" >&2
    exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
echo "ensure_java: installing openjdk-17-jre-headless"
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends \
    openjdk-17-jre-headless
java -version
