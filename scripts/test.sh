#!/usr/bin/env bash
# Runs every graphmock test: formatting and vet checks, the root module's tests with the race
# detector, the conformance suite (conformance/, msgraph-sdk-go against graphmock), then the
# container image with its testcontainers module.
#
# The container stage needs a Docker engine. It runs when `docker info` answers, or when this
# script runs as root on a Debian machine (scripts/docker-engine.sh installs and starts the
# engine). GRAPHMOCK_DOCKER_TESTS=0 skips it; GRAPHMOCK_DOCKER_TESTS=1 makes a missing engine an
# error instead of a skip.
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

docker_possible() {
  docker info >/dev/null 2>&1 && return 0
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1
}

echo "== container image and testcontainers module"
case "${GRAPHMOCK_DOCKER_TESTS:-auto}" in
  0) echo "skipped (GRAPHMOCK_DOCKER_TESTS=0)" ;;
  *)
    if docker_possible; then
      scripts/docker-test.sh
      scripts/conformance-container.sh
    elif [ "${GRAPHMOCK_DOCKER_TESTS:-auto}" = 1 ]; then
      echo "no Docker engine, and not root on Debian to install one" >&2; exit 1
    else
      echo "skipped: no Docker engine (run as root on Debian, or start Docker, to include it)"
    fi
    ;;
esac
