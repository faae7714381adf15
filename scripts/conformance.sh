#!/usr/bin/env bash
# Runs the conformance suite (conformance/, its own Go module): scenarios through
# msgraph-sdk-go and raw HTTP, every response validated against Microsoft's OpenAPI
# description of Graph. By default each scenario gets its own in-process graphmock; set
# GRAPHMOCK_URL (a loopback URL such as http://127.0.0.1:8080) to run the same suite against a
# running graphmock binary or container. The first run compiles msgraph-sdk-go, which takes
# about ten minutes and 1-3 GiB of memory per compile process; later runs use the build cache.
set -euo pipefail
cd "$(dirname "$0")/../conformance"

report=$(mktemp)
trap 'rm -f "$report"' EXIT

echo "== gofmt (conformance)"
unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

echo "== go vet (conformance)"
go vet ./...

echo "== go test (conformance${GRAPHMOCK_URL:+, against $GRAPHMOCK_URL})"
status=0
GRAPHMOCK_CONFORMANCE_REPORT="$report" go test -count=1 -timeout "${CONFORMANCE_TIMEOUT:-30m}" "$@" ./... || status=$?
cat "$report"
exit "$status"
