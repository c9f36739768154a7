#!/usr/bin/env bash
# Sourced by the entry scripts (test, demo, bench, stacks): puts the Node.js release this project
# is tested on first in PATH, so npm, npx, tsc, vitest and the service all run on it whatever Node
# the machine has. Some dependencies (nestjs-pino, file-type, cookie, @whatwg-node) need Node 22+.
# The binary comes from the npm registry's node-linux-<arch> package (the same registry as every
# other dependency; no other download), unpacked once into a per-user cache.
GCP_NODE_VERSION="24.22.3"
gcp_node_major="${GCP_NODE_VERSION%%.*}"
if [ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)" != "$gcp_node_major" ]; then
  case "$(uname -m)" in
    x86_64) gcp_node_arch=x64 ;;
    aarch64 | arm64) gcp_node_arch=arm64 ;;
    *) echo "[node] no Node $GCP_NODE_VERSION package for $(uname -m): install Node $gcp_node_major yourself" >&2; return 1 ;;
  esac
  gcp_node_dir="${XDG_CACHE_HOME:-$HOME/.cache}/gateway-control-plane/node-v$GCP_NODE_VERSION-linux-$gcp_node_arch"
  if [ ! -x "$gcp_node_dir/bin/node" ]; then
    echo "[node] fetching Node $GCP_NODE_VERSION (npm package node-linux-$gcp_node_arch) into $gcp_node_dir" >&2
    gcp_node_tmp="$(mktemp -d)"
    (cd "$gcp_node_tmp" && npm pack --silent "node-linux-$gcp_node_arch@$GCP_NODE_VERSION" >/dev/null && tar xzf ./*.tgz)
    mkdir -p "$(dirname "$gcp_node_dir")"
    rm -rf "$gcp_node_dir" && mv "$gcp_node_tmp/package" "$gcp_node_dir" && rm -rf "$gcp_node_tmp"
  fi
  export PATH="$gcp_node_dir/bin:$PATH"
fi
unset gcp_node_major gcp_node_arch gcp_node_dir gcp_node_tmp
