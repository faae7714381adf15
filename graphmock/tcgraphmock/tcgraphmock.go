// Package tcgraphmock runs graphmock, a stateful Microsoft Graph-compatible
// server for tests, in a container with testcontainers-go.
//
//	ctr, err := tcgraphmock.Run(ctx, "graphmock:dev",
//		tcgraphmock.WithSeedFile("testdata/tenant.json"),
//		tcgraphmock.WithProcessingMode("immediate"),
//	)
//	defer func() { _ = testcontainers.TerminateContainer(ctr) }()
//	graphURL, err := ctr.GraphURL(ctx) // http://127.0.0.1:PORT/v1.0
//
// The image is a scratch image without a shell, so readiness is checked over
// HTTP on /_graphmock/healthz rather than by running commands inside it.
package tcgraphmock

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"
)

const (
	// Port is the container port graphmock listens on.
	Port = "8080/tcp"

	// HealthPath answers 200 once the server is ready.
	HealthPath = "/_graphmock/healthz"

	// CAPath serves, when TLS is on, the PEM certificate of the CA that
	// signed the server's certificate.
	CAPath = "/_graphmock/ca.pem"

	// SeedDir is the directory WithSeedFile copies the seed file into.
	SeedDir = "/etc/graphmock"

	// Processing modes accepted by WithProcessingMode.
	ProcessingAsync     = "async"
	ProcessingManual    = "manual"
	ProcessingImmediate = "immediate"
)

// Environment variables the server reads.
const (
	EnvSeed       = "GRAPHMOCK_SEED"
	EnvProcessing = "GRAPHMOCK_PROCESSING"
	EnvTLS        = "GRAPHMOCK_TLS"
	EnvAuth       = "GRAPHMOCK_AUTH"
)

// defaultStartupTimeout bounds the wait for /_graphmock/healthz.
const defaultStartupTimeout = 60 * time.Second

// Container is a running graphmock container.
type Container struct {
	testcontainers.Container
	settings options
}

// options holds module state that is not part of the container request.
type options struct {
	tls bool
}

// Option is a module option that also changes how the module talks to the
// container (scheme, wait strategy, HTTP client).
type Option func(*options) error

// Customize implements testcontainers.ContainerCustomizer. The settings an
// Option carries are applied by Run.
func (o Option) Customize(*testcontainers.GenericContainerRequest) error {
	return nil
}

// Run starts a graphmock container from img and waits until
// /_graphmock/healthz answers 200.
//
// Clean up with testcontainers.TerminateContainer, even when Run returns an
// error: the container may have been created.
func Run(ctx context.Context, img string, opts ...testcontainers.ContainerCustomizer) (*Container, error) {
	settings, moduleOpts, err := moduleOptions(opts)
	if err != nil {
		return nil, err
	}

	ctr, err := testcontainers.Run(ctx, img, moduleOpts...)
	var c *Container
	if ctr != nil {
		c = &Container{Container: ctr, settings: settings}
	}
	if err != nil {
		return c, fmt.Errorf("run graphmock: %w", err)
	}
	return c, nil
}

// moduleOptions applies the module's Options and returns the customizers
// for testcontainers.Run: the module defaults first, then opts.
func moduleOptions(opts []testcontainers.ContainerCustomizer) (options, []testcontainers.ContainerCustomizer, error) {
	var settings options
	for _, opt := range opts {
		if o, ok := opt.(Option); ok {
			if err := o(&settings); err != nil {
				return settings, nil, err
			}
		}
	}

	health := wait.ForHTTP(HealthPath).
		WithPort(Port).
		WithStartupTimeout(defaultStartupTimeout).
		WithPollInterval(50 * time.Millisecond)
	if settings.tls {
		// The server's CA is not known until the server is up; the
		// readiness probe on the mapped port does not verify it.
		health = health.WithTLS(true).WithAllowInsecure(true)
	}

	moduleOpts := []testcontainers.ContainerCustomizer{
		testcontainers.WithExposedPorts(Port),
		testcontainers.WithWaitStrategyAndDeadline(defaultStartupTimeout, health),
	}
	if settings.tls {
		// https takes the module's port, so every URL the module gives is https on one port.
		moduleOpts = append(moduleOpts, testcontainers.WithEnv(map[string]string{EnvTLS: "true",
			"GRAPHMOCK_LISTEN": "none", "GRAPHMOCK_TLS_LISTEN": "0.0.0.0:" + strings.TrimSuffix(Port, "/tcp")}))
	}
	return settings, append(moduleOpts, opts...), nil
}

// WithSeedFile copies the fixture at path into the container and points
// GRAPHMOCK_SEED at it, so the server starts with that tenant state.
func WithSeedFile(path string) testcontainers.CustomizeRequestOption {
	return func(req *testcontainers.GenericContainerRequest) error {
		if path == "" {
			return errors.New("seed file: empty path")
		}
		target := SeedDir + "/seed" + filepath.Ext(path)
		err := testcontainers.WithFiles(testcontainers.ContainerFile{
			HostFilePath:      path,
			ContainerFilePath: target,
			FileMode:          0o644, // the server runs as a non-root user
		})(req)
		if err != nil {
			return fmt.Errorf("seed file: %w", err)
		}
		return testcontainers.WithEnv(map[string]string{EnvSeed: target})(req)
	}
}

// WithProcessingMode sets how asynchronous work such as group license
// processing runs: ProcessingAsync (the default), ProcessingManual or
// ProcessingImmediate.
func WithProcessingMode(mode string) testcontainers.CustomizeRequestOption {
	return testcontainers.WithEnv(map[string]string{EnvProcessing: mode})
}

// WithEnv passes settings to the server as environment variables, for any
// GRAPHMOCK_* setting that has no option of its own.
func WithEnv(env map[string]string) testcontainers.CustomizeRequestOption {
	return testcontainers.WithEnv(env)
}

// WithTLS makes the server serve HTTPS instead of http on the module's port
// (GRAPHMOCK_TLS=true, GRAPHMOCK_LISTEN=none, GRAPHMOCK_TLS_LISTEN on that
// port) with a certificate from its own test CA. BaseURL, GraphURL and
// TokenURL then use https, and HTTPClient trusts that CA.
func WithTLS() Option {
	return func(o *options) error {
		o.tls = true
		return nil
	}
}

// WithAuth sets how the server checks bearer tokens (GRAPHMOCK_AUTH).
func WithAuth(mode string) testcontainers.CustomizeRequestOption {
	return testcontainers.WithEnv(map[string]string{EnvAuth: mode})
}

// BaseURL returns the server's root URL as reached from the host, for
// example http://127.0.0.1:32768.
func (c *Container) BaseURL(ctx context.Context) (string, error) {
	scheme := "http"
	if c.settings.tls {
		scheme = "https"
	}
	endpoint, err := c.PortEndpoint(ctx, Port, scheme)
	if err != nil {
		return "", fmt.Errorf("graphmock endpoint: %w", err)
	}
	return endpoint, nil
}

// GraphURL returns the Microsoft Graph v1.0 root, for example
// http://127.0.0.1:32768/v1.0: the base URL for a Graph SDK's request
// adapter.
func (c *Container) GraphURL(ctx context.Context) (string, error) {
	base, err := c.BaseURL(ctx)
	if err != nil {
		return "", err
	}
	return base + "/v1.0", nil
}

// TokenURL returns the OAuth 2.0 token endpoint for tenant, in the shape of
// the Microsoft identity platform's: {base}/{tenant}/oauth2/v2.0/token.
func (c *Container) TokenURL(ctx context.Context, tenant string) (string, error) {
	if tenant == "" {
		return "", errors.New("token URL: empty tenant")
	}
	base, err := c.BaseURL(ctx)
	if err != nil {
		return "", err
	}
	return base + "/" + url.PathEscape(tenant) + "/oauth2/v2.0/token", nil
}

// HTTPClient returns a client for talking to the server. Without TLS it is a
// plain client. With TLS it trusts only the server's CA, which it fetches
// from /_graphmock/ca.pem on the container's mapped loopback port.
func (c *Container) HTTPClient(ctx context.Context) (*http.Client, error) {
	if !c.settings.tls {
		return newHTTPClient(ctx, "", false)
	}
	base, err := c.BaseURL(ctx)
	if err != nil {
		return nil, err
	}
	return newHTTPClient(ctx, base, true)
}

// newHTTPClient returns a plain client, or with useTLS one that trusts only
// the CA served at base+CAPath.
func newHTTPClient(ctx context.Context, base string, useTLS bool) (*http.Client, error) {
	if !useTLS {
		return &http.Client{Timeout: 30 * time.Second}, nil
	}
	pem, err := fetchCA(ctx, base+CAPath)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("graphmock CA: no certificate in %s", CAPath)
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	return &http.Client{Transport: transport, Timeout: 30 * time.Second}, nil
}

// fetchCA downloads the CA certificate. The CA is what establishes trust, so
// this one request cannot verify the server's certificate.
func fetchCA(ctx context.Context, caURL string) ([]byte, error) {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // bootstrap of trust in the container's own CA
	client := &http.Client{Transport: transport, Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, caURL, nil)
	if err != nil {
		return nil, fmt.Errorf("graphmock CA: %w", err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("graphmock CA: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("graphmock CA: GET %s: %s", CAPath, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("graphmock CA: %w", err)
	}
	return body, nil
}
