#!/usr/bin/env bash
# Prints the path of a Node.js binary >= 22.19, for tools that refuse older ones (the MCP Inspector).
# Uses `node` on PATH when it is new enough, else the one in .cache/node22, installing the npm package
# node-<os>-<arch>@22 there when it is missing. Progress goes to stderr; stdout is only the path.
set -euo pipefail
cd "$(dirname "$0")/.."

new_enough() { "$1" -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=19)?0:1)' 2>/dev/null; }

if command -v node >/dev/null && new_enough "$(command -v node)"; then
  command -v node
  exit 0
fi

case "$(uname -s)" in Linux) os=linux ;; Darwin) os=darwin ;; *) echo "node22.sh: unsupported OS $(uname -s)" >&2; exit 1 ;; esac
case "$(uname -m)" in x86_64 | amd64) arch=x64 ;; aarch64 | arm64) arch=arm64 ;; *) echo "node22.sh: unsupported CPU $(uname -m)" >&2; exit 1 ;; esac
pkg="node-$os-$arch"
bin=".cache/node22/node_modules/$pkg/bin/node"

if ! [[ -x $bin ]] || ! new_enough "$bin"; then
  echo "node22.sh: installing $pkg@22 into .cache/node22" >&2
  npm install --prefix .cache/node22 --no-save --no-audit --no-fund --prefer-offline "$pkg@22" >&2
fi
new_enough "$bin" || { echo "node22.sh: $bin is older than 22.19" >&2; exit 1; }
echo "$PWD/$bin"
