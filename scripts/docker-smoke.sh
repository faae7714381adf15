#!/usr/bin/env bash
# Smoke test of the graphmock image: runs it published on loopback only,
# waits for /_graphmock/healthz, waits for the container's HEALTHCHECK to
# report healthy, checks that the server runs as a non-root user, and removes
# the container. Prints one line with the timings on success.
#
# Environment:
#   GRAPHMOCK_IMAGE       image to test (default graphmock:dev)
#   GRAPHMOCK_SMOKE_PORT  host port on 127.0.0.1 (default: a free port chosen by the engine)
#   GRAPHMOCK_SMOKE_TIMEOUT  seconds to wait for readiness and health (default 60)
set -euo pipefail

image=${GRAPHMOCK_IMAGE:-graphmock:dev}
timeout=${GRAPHMOCK_SMOKE_TIMEOUT:-60}

die() {
	echo "docker-smoke: $*" >&2
	if [ -n "${cid:-}" ]; then
		echo "--- container log ---" >&2
		docker logs --tail 30 "$cid" >&2 2>&1 || true
	fi
	exit 1
}

command -v curl >/dev/null 2>&1 || die "curl is needed"
docker info >/dev/null 2>&1 || die "the Docker engine does not answer (run scripts/docker-engine.sh)"
docker image inspect "$image" >/dev/null 2>&1 || die "no image $image (run scripts/docker-build.sh)"

cid=
cleanup() {
	if [ -n "$cid" ]; then
		docker rm -f "$cid" >/dev/null 2>&1 || true
	fi
}
trap cleanup EXIT

start_ns=$(date +%s%N)
cid=$(docker run -d -p "127.0.0.1:${GRAPHMOCK_SMOKE_PORT:-}:8080" "$image") || die "docker run failed"
hostport=$(docker port "$cid" 8080/tcp | grep -m1 '^127\.0\.0\.1:') || die "port 8080 is not published on 127.0.0.1"
url="http://$hostport/_graphmock/healthz"

deadline=$((SECONDS + timeout))
until curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; do
	[ "$(docker inspect --format '{{.State.Running}}' "$cid")" = true ] || die "the container exited"
	[ "$SECONDS" -lt "$deadline" ] || die "$url did not answer 200 within ${timeout}s"
	sleep 0.1
done
ready_ms=$((($(date +%s%N) - start_ns) / 1000000))

until [ "$(docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$cid")" = healthy ]; do
	status=$(docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$cid")
	case "$status" in
	none) die "the image has no HEALTHCHECK" ;;
	unhealthy) die "the container became unhealthy" ;;
	esac
	[ "$SECONDS" -lt "$deadline" ] || die "the container was not healthy within ${timeout}s (status: $status)"
	sleep 0.5
done
healthy_ms=$((($(date +%s%N) - start_ns) / 1000000))

user=$(docker inspect --format '{{.Config.User}}' "$image")
case "${user%%:*}" in
"" | 0 | root) die "the image's USER is '${user}', want a non-root user" ;;
esac
uids=$(docker top "$cid" -o pid,uid | awk 'NR > 1 { print $2 }') || die "docker top failed"
[ -n "$uids" ] || die "no process found in the container"
while IFS= read -r uid; do
	case "$uid" in
	0 | root) die "a process in the container runs as root" ;;
	esac
done <<<"$uids"

docker stop -t 10 "$cid" >/dev/null || die "docker stop failed"
echo "docker-smoke: $image ok: ready in ${ready_ms}ms, healthy in ${healthy_ms}ms, user $user"
