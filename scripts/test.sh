#!/usr/bin/env bash
# Runs every graphmock test: formatting and vet checks, the root module's tests with the race
# detector, and the nested modules' suites.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

echo "== go vet"
go vet ./...

echo "== go test -race (root module)"
go test -race -count=1 ./...

echo "== conformance suite"
./scripts/conformance.sh
