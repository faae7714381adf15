#!/usr/bin/env bash
# Makes sure a Docker engine answers on this machine.
#
# Installs Debian's docker.io when dockerd is missing, starts dockerd in the
# background when `docker info` fails, and waits until the engine answers.
# Safe to run any number of times; prints nothing when all is well.
#
# Environment:
#   GRAPHMOCK_DOCKERD_LOG      dockerd log file (default /tmp/graphmock-dockerd.log)
#   GRAPHMOCK_DOCKERD_TIMEOUT  seconds to wait for the engine (default 60)
set -euo pipefail

log=${GRAPHMOCK_DOCKERD_LOG:-/tmp/graphmock-dockerd.log}
timeout=${GRAPHMOCK_DOCKERD_TIMEOUT:-60}

die() {
	echo "docker-engine: $*" >&2
	exit 1
}

if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
	exit 0
fi

if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
	[ "$(id -u)" -eq 0 ] || die "dockerd is not installed and installing it needs root"
	command -v apt-get >/dev/null 2>&1 || die "dockerd is not installed and apt-get is not available"
	aptlog=$(mktemp /tmp/graphmock-apt.XXXXXX)
	export DEBIAN_FRONTEND=noninteractive
	if ! { apt-get update -q && apt-get install -y -q --no-install-recommends docker.io; } >"$aptlog" 2>&1; then
		tail -n 30 "$aptlog" >&2
		die "installing docker.io failed (full log: $aptlog)"
	fi
	rm -f "$aptlog"
	command -v dockerd >/dev/null 2>&1 || die "docker.io is installed but dockerd is not on PATH"
fi

if ! docker info >/dev/null 2>&1; then
	if ! pgrep -x dockerd >/dev/null 2>&1; then
		[ "$(id -u)" -eq 0 ] || die "dockerd is not running and starting it needs root"
		# setsid detaches dockerd from this script's session so it outlives it.
		setsid dockerd >>"$log" 2>&1 </dev/null &
	fi
	deadline=$((SECONDS + timeout))
	until docker info >/dev/null 2>&1; do
		if ! pgrep -x dockerd >/dev/null 2>&1; then
			tail -n 30 "$log" >&2 || true
			die "dockerd exited while starting (log: $log)"
		fi
		if [ "$SECONDS" -ge "$deadline" ]; then
			tail -n 30 "$log" >&2 || true
			why=$(docker info 2>&1 | tail -n 1 || true)
			die "the engine did not answer 'docker info' within ${timeout}s: ${why} (log: $log)"
		fi
		sleep 0.5
	done
fi
