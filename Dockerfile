# graphmock container image.
#
#   docker build -t graphmock .      (BuildKit: the buildx plugin, or DOCKER_BUILDKIT=1
#                                     with a client older than 23.0; see docs/docker.md)
#
# The builder stage compiles a static binary; the final stage is scratch with
# only that binary, CA certificates and a non-root user. GO_IMAGE selects the
# builder image: any image with a Go 1.26 toolchain, /bin/sh and CA
# certificates at /etc/ssl/certs/ca-certificates.crt (see docs/docker.md for
# building one without a registry).
ARG GO_IMAGE=golang:1.26

# The builder runs on the build machine's platform and cross-compiles for the
# target platform (docker buildx build --platform linux/amd64,linux/arm64 .).
FROM --platform=${BUILDPLATFORM} ${GO_IMAGE} AS build
ARG TARGETOS TARGETARCH
WORKDIR /src
ENV CGO_ENABLED=0 GOTOOLCHAIN=local

# Modules first: this layer is reused while go.mod and go.sum are unchanged.
COPY go.mod go.sum* ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download

COPY . .
ARG VERSION=dev
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    GOOS=${TARGETOS} GOARCH=${TARGETARCH} go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/graphmock ./cmd/graphmock

# The final image has no shell: prepare its user, group and /tmp here.
RUN mkdir -p /out/etc /out/tmp \
 && chmod 1777 /out/tmp \
 && echo 'graphmock:x:65532:65532:graphmock:/nonexistent:/sbin/nologin' >/out/etc/passwd \
 && echo 'graphmock:x:65532:' >/out/etc/group

FROM scratch
ARG VERSION=dev
LABEL org.opencontainers.image.title="graphmock" \
      org.opencontainers.image.description="Stateful Microsoft Graph-compatible server for tests" \
      org.opencontainers.image.source="https://github.com/graphmock/graphmock" \
      org.opencontainers.image.version="${VERSION}"
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/etc/passwd /out/etc/group /etc/
COPY --from=build /out/tmp /tmp
COPY --from=build /out/graphmock /graphmock
USER 65532:65532
# Both listeners on every interface of the container: http always, https with GRAPHMOCK_TLS=true.
ENV GRAPHMOCK_LISTEN=0.0.0.0:8080 GRAPHMOCK_TLS_LISTEN=0.0.0.0:8443
EXPOSE 8080 8443
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=3 \
    CMD ["/graphmock", "healthcheck"]
ENTRYPOINT ["/graphmock"]
