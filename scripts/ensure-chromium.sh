#!/usr/bin/env bash
# Installs Chromium (Debian's `chromium` package, /usr/bin/chromium) when it is missing: npm test
# drives the fleet console in it headless with playwright-core (test/console.e2e-spec.ts).
# Playwright's own browser download does not work here; Debian's browser does. CHROMIUM_PATH
# names another binary instead (then nothing is installed).
set -euo pipefail
if [ -n "${CHROMIUM_PATH:-}" ]; then [ -x "$CHROMIUM_PATH" ] && exit 0; echo "[chromium] CHROMIUM_PATH=$CHROMIUM_PATH is not executable" >&2; exit 1; fi
[ -x /usr/bin/chromium ] && exit 0
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "[chromium] need root (or sudo) to run: $*" >&2; exit 1; fi
}
echo "[chromium] installing Debian's chromium package for the console's browser tests (a minute or two)" >&2
as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
[ -x /usr/bin/chromium ]
