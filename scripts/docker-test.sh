#!/usr/bin/env bash
# Builds the graphmock image without a registry, smoke-tests it and runs the
# testcontainers module's tests against it. Meant for CI on a machine with
# root and Debian's packages; see docs/docker.md.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)

"$here/docker-build.sh"
"$here/docker-smoke.sh"

cd "$root/graphmock/tcgraphmock"
TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1 \
	go test -count=1 ./...
