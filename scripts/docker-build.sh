#!/usr/bin/env bash
# Builds the graphmock image on a machine that reaches no image registry.
#
# Makes sure the engine runs (docker-engine.sh), makes the local Go builder
# image (builder-image.sh), then builds the repository's Dockerfile with it
# and prints the image name and size.
#
# Environment:
#   GRAPHMOCK_IMAGE       tag to build (default graphmock:dev)
#   GRAPHMOCK_GO_BUILDER  builder image (default graphmock-go-builder:<go major.minor>)
#   GRAPHMOCK_VERSION     version stamped into the binary (default dev)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
image=${GRAPHMOCK_IMAGE:-graphmock:dev}

die() {
	echo "docker-build: $*" >&2
	exit 1
}

"$here/docker-engine.sh"
"$here/builder-image.sh"

if [ -z "${GRAPHMOCK_GO_BUILDER:-}" ]; then
	GRAPHMOCK_GO_BUILDER=graphmock-go-builder:$(go env GOVERSION | sed -E 's/^go([0-9]+\.[0-9]+).*/\1/')
fi

# The Dockerfile uses BuildKit cache mounts. Use a docker client that builds
# with BuildKit: one with the buildx plugin, or a client older than 23.0 (such
# as Debian bookworm's docker.io), which has BuildKit built in.
build=()
while IFS= read -r client; do
	if "$client" buildx version >/dev/null 2>&1; then
		build=("$client" build)
		break
	fi
	major=$("$client" version --format '{{.Client.Version}}' 2>/dev/null | sed -E 's/^([0-9]+).*/\1/' || true)
	if [[ "$major" =~ ^[0-9]+$ ]] && [ "$major" -ge 18 ] && [ "$major" -lt 23 ]; then
		build=(env DOCKER_BUILDKIT=1 "$client" build)
		break
	fi
done < <(type -ap docker | awk '!seen[$0]++')
[ "${#build[@]}" -gt 0 ] || die "no docker client here builds with BuildKit: install the buildx plugin"

buildlog=$(mktemp /tmp/graphmock-build.XXXXXX)
start=$SECONDS
if ! "${build[@]}" --progress=plain \
	--build-arg "GO_IMAGE=$GRAPHMOCK_GO_BUILDER" \
	--build-arg "VERSION=${GRAPHMOCK_VERSION:-dev}" \
	-t "$image" "$root" >"$buildlog" 2>&1; then
	tail -n 40 "$buildlog" >&2
	die "docker build failed (full log: $buildlog)"
fi
rm -f "$buildlog"

bytes=$(docker image inspect --format '{{.Size}}' "$image")
echo "$image: $(awk -v b="$bytes" 'BEGIN { printf "%.1f MB", b / 1000000 }') ($bytes bytes), built in $((SECONDS - start))s"
