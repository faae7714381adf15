#!/usr/bin/env bash
# Runs the conformance suite once against the graphmock container image: starts the image on a
# loopback port, waits for /_graphmock/healthz, runs scripts/conformance.sh with GRAPHMOCK_URL, and
# removes the container. Needs the image (scripts/docker-build.sh) and a running Docker engine.
#
# Environment: GRAPHMOCK_IMAGE (default graphmock:dev).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
image=${GRAPHMOCK_IMAGE:-graphmock:dev}

id=$(docker run -d --rm -p 127.0.0.1::8080 "$image")
trap 'docker rm -f "$id" >/dev/null 2>&1 || true' EXIT
port=$(docker port "$id" 8080/tcp | head -n1 | sed -E 's/.*:([0-9]+)$/\1/')
url="http://127.0.0.1:$port"
for _ in $(seq 1 100); do
  if curl -fsS "$url/_graphmock/healthz" >/dev/null 2>&1; then
    break
  fi
  sleep 0.2
done
curl -fsS "$url/_graphmock/healthz" >/dev/null || { echo "conformance-container: $image did not become ready" >&2; exit 1; }
echo "== conformance suite against the container ($image at $url)"
GRAPHMOCK_URL="$url" "$here/conformance.sh"
