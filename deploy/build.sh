#!/usr/bin/env bash
# The one build of Gatehouse's runtime tree: the Dockerfile runs it, and CI runs it outside a container
# (`.ci/run`), so the image's steps are proven on every change even where no container daemon exists.
#
#   deploy/build.sh --output <dir> [--skip-install] [--skip-build]
#
# Steps: 1. dependencies (`npm ci`), 2. `prisma generate` (offline) and `next build`, 3. assemble <dir>:
# exactly what `npm start` needs (server.ts and the TypeScript it imports, the built `.next`, prisma
# migrations, package.json) with production dependencies only. <dir> then runs with `npm start` or
# `node --max-semi-space-size=4 --import tsx server.ts`, and writes only under DATA_DIR, .next/cache and /tmp.
# --skip-install / --skip-build reuse node_modules / .next when a caller just made them (CI's `npm test`).
set -euo pipefail
cd "$(dirname "$0")/.."

output="" install=1 build=1
while (($#)); do
  case "$1" in
    --output) output="${2:?--output needs a directory}"; shift 2 ;;
    --skip-install) install=0; shift ;;
    --skip-build) build=0; shift ;;
    *) echo "build.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -n "$output" ]] || { echo "build.sh: --output <dir> is required" >&2; exit 2; }

step() { echo "build.sh: $*"; }

if ((install)); then
  step "installing dependencies (npm ci)"
  npm ci --no-audit --no-fund --ignore-scripts
fi
step "generating the Prisma client"
node scripts/prisma-generate.mjs
if ((build)); then
  step "building the app (next build)"
  npx --no-install next build
fi
[[ -f .next/BUILD_ID ]] || { echo "build.sh: no .next/BUILD_ID: run without --skip-build" >&2; exit 1; }

step "assembling the runtime tree in $output"
rm -rf "$output"
mkdir -p "$output"
# The runtime runs TypeScript through tsx: the server and every source folder it imports at run time.
runtime=(server.ts instrumentation.ts proxy.ts next.config.js tsconfig.json package.json package-lock.json app lib gateway prisma scripts bin public)
for item in "${runtime[@]}"; do
  [[ -e "$item" ]] && cp -R "$item" "$output/"
done
# Next's build without its cache (rebuilt on demand under .next/cache, a writable volume in the image).
mkdir -p "$output/.next"
(cd .next && tar --exclude=./cache -cf - .) | (cd "$output/.next" && tar -xf -)
# Tests never ship.
find "$output" \( -name '*.test.ts' -o -name '*.test.tsx' \) -delete

# Production dependencies only: hard-linked from node_modules (no download), then pruned offline.
cp -al node_modules "$output/node_modules" 2>/dev/null || {
  # Another filesystem: hard links are impossible, copy instead.
  rm -rf "$output/node_modules"
  cp -a node_modules "$output/node_modules"
}
# npm rewrites this file: give the copy its own, so the source tree's stays untouched.
rm -f "$output/node_modules/.package-lock.json"
cp node_modules/.package-lock.json "$output/node_modules/.package-lock.json"
(cd "$output" && npm prune --omit=dev --offline --no-audit --no-fund --ignore-scripts >/dev/null)
mkdir -p "$output/data" "$output/.next/cache"
step "done: $(du -sh "$output" | cut -f1) in $output"
