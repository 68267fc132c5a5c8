#!/usr/bin/env bash
# Starts the runtime tree assembled by deploy/build.sh the way the image does (one node process, the
# embedded PGlite database in a fresh DATA_DIR) and waits for the liveness endpoint to answer.
#   deploy/smoke.sh <runtime dir> [timeout seconds, default 120]
set -euo pipefail
dir="${1:?usage: deploy/smoke.sh <runtime dir> [timeout]}"
limit="${2:-120}"
port=$((20000 + RANDOM % 20000))
data="$(mktemp -d)"
log="$data/server.log"
node_bin="${NODE_BIN:-node}"

(cd "$dir" && exec env PORT="$port" HOST=127.0.0.1 DATA_DIR="$data" \
  KEYCLOAK_ISSUER=http://127.0.0.1:9/realms/smoke KEYCLOAK_CLIENT_ID=smoke KEYCLOAK_CLIENT_SECRET=smoke \
  "$node_bin" --max-semi-space-size=4 --import tsx server.ts >"$log" 2>&1) &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$data"' EXIT

# The liveness endpoint, or the older /api/health on a tree built before it existed.
for ((i = 0; i < limit; i++)); do
  for path in /api/health/live /api/health; do
    if body=$(curl -sf "http://127.0.0.1:$port$path"); then
      echo "smoke: $path answered $body after ${i} s"
      exit 0
    fi
  done
  kill -0 "$pid" 2>/dev/null || { echo "smoke: the server exited" >&2; tail -20 "$log" >&2; exit 1; }
  sleep 1
done
echo "smoke: no answer from the health endpoint within $limit s" >&2
tail -20 "$log" >&2
exit 1
