#!/usr/bin/env bash
# Creates a local Go builder image without pulling anything.
#
# The image is imported with `docker import` from a tar holding this machine's
# Go installation (GOROOT), a static busybox as /bin/sh (so Dockerfile RUN
# steps work) and the machine's CA certificates (so the go command reaches the
# module proxy). Its layout matches the official golang image: GOROOT at
# /usr/local/go, GOPATH=/go, working directory /go.
#
# Nothing is done when the image already exists for the same Go version.
#
# Environment:
#   GRAPHMOCK_GO_BUILDER  image name (default graphmock-go-builder:<go major.minor>)
#   GOROOT_HOST           Go installation to copy (default: `go env GOROOT`)
set -euo pipefail

die() {
	echo "builder-image: $*" >&2
	exit 1
}

command -v docker >/dev/null 2>&1 || die "the docker client is missing (run scripts/docker-engine.sh)"
docker info >/dev/null 2>&1 || die "the Docker engine does not answer (run scripts/docker-engine.sh)"

if [ -z "${GOROOT_HOST:-}" ]; then
	command -v go >/dev/null 2>&1 || die "go is not on PATH; set GOROOT_HOST"
	GOROOT_HOST=$(go env GOROOT)
fi
gobin="$GOROOT_HOST/bin/go"
[ -x "$gobin" ] || die "no go command at $gobin"

goversion=$("$gobin" env GOVERSION)          # e.g. go1.26.8
gominor=$(sed -E 's/^go([0-9]+\.[0-9]+).*/\1/' <<<"$goversion")
image=${GRAPHMOCK_GO_BUILDER:-graphmock-go-builder:$gominor}
label=org.graphmock.go-version

have=$(docker image inspect --format "{{ index .Config.Labels \"$label\" }}" "$image" 2>/dev/null || true)
if [ "$have" = "$goversion" ]; then
	exit 0
fi

busybox=/bin/busybox
if [ "$(dpkg-query -W -f='${Status}' busybox-static 2>/dev/null || true)" != "install ok installed" ]; then
	[ "$(id -u)" -eq 0 ] || die "a static busybox is needed: install Debian's busybox-static"
	aptlog=$(mktemp /tmp/graphmock-apt.XXXXXX)
	export DEBIAN_FRONTEND=noninteractive
	if ! { apt-get install -y -q busybox-static || { apt-get update -q && apt-get install -y -q busybox-static; }; } >"$aptlog" 2>&1; then
		tail -n 30 "$aptlog" >&2
		die "installing busybox-static failed (full log: $aptlog)"
	fi
	rm -f "$aptlog"
fi
[ -x "$busybox" ] || die "busybox-static is installed but $busybox is missing"

cacerts=/etc/ssl/certs/ca-certificates.crt
[ -r "$cacerts" ] || die "no CA bundle at $cacerts (install ca-certificates)"

stage=$(mktemp -d /tmp/graphmock-builder.XXXXXX)
trap 'rm -rf "$stage"' EXIT

# Root file system around GOROOT: busybox applets, CA bundle, user and tmp.
mkdir -p "$stage"/{bin,usr/bin,usr/local,etc/ssl/certs,tmp,root,go/bin,go/pkg/mod}
cp "$busybox" "$stage/bin/busybox"
for applet in $("$busybox" --list); do
	[ "$applet" = busybox ] && continue
	ln -s busybox "$stage/bin/$applet"
done
cp "$cacerts" "$stage/etc/ssl/certs/ca-certificates.crt"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$stage/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$stage/etc/group"
chmod 1777 "$stage/tmp"

# The module proxy and checksum database the host's go command uses.
goproxy=$("$gobin" env GOPROXY)
gosumdb=$("$gobin" env GOSUMDB)

importlog=$(mktemp /tmp/graphmock-import.XXXXXX)
if ! tar -c --numeric-owner --owner=0 --group=0 \
	-C "$stage" bin usr etc tmp root go \
	--exclude=./test --exclude=./doc \
	--transform='s,^\./,usr/local/go/,' \
	-C "$GOROOT_HOST" . |
	docker import \
		--change "ENV PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
		--change "ENV GOROOT=/usr/local/go" \
		--change "ENV GOPATH=/go" \
		--change "ENV GOTOOLCHAIN=local" \
		--change "ENV GOPROXY=$goproxy" \
		--change "ENV GOSUMDB=$gosumdb" \
		--change "ENV HOME=/root" \
		--change "ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt" \
		--change "WORKDIR /go" \
		--change "LABEL $label=$goversion" \
		--change 'CMD ["/bin/sh"]' \
		--message "Go $goversion builder for graphmock" \
		- "$image" >"$importlog" 2>&1; then
	cat "$importlog" >&2
	die "docker import failed"
fi
rm -f "$importlog"

# The image must run a shell and the go command.
out=$(docker run --rm --network none "$image" sh -c 'go env GOVERSION' 2>&1) ||
	die "the new image $image does not run: $out"
[ "$out" = "$goversion" ] || die "the new image $image reports $out, want $goversion"
