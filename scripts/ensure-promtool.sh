#!/usr/bin/env bash
# Installs promtool (Debian's `prometheus` package) when it is missing: npm test validates the
# alert rules in deploy/prometheus/ with it. Only the package is installed; no server is started.
set -euo pipefail
command -v promtool >/dev/null && exit 0
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "[promtool] need root (or sudo) to run: $*" >&2; exit 1; fi
}
echo "[promtool] installing Debian's prometheus package for promtool (about a minute)" >&2
# A policy that forbids starting services: the package would otherwise try to run a Prometheus server.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
  as_root chmod +x /usr/sbin/policy-rc.d
  trap 'as_root rm -f /usr/sbin/policy-rc.d' EXIT
fi
as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >&2
command -v promtool >/dev/null
