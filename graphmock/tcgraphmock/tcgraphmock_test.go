package tcgraphmock_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/testcontainers/testcontainers-go"

	"github.com/graphmock/graphmock/graphmock/tcgraphmock"
)

// image returns the graphmock image to test: GRAPHMOCK_IMAGE, or
// graphmock:dev as built by scripts/docker-build.sh. It skips the test when
// no engine answers or the image is missing.
func image(tb testing.TB) string {
	tb.Helper()
	img := os.Getenv("GRAPHMOCK_IMAGE")
	if img == "" {
		img = "graphmock:dev"
	}
	if _, err := exec.LookPath("docker"); err != nil {
		tb.Skip("skipping: the docker client is not installed (see scripts/docker-engine.sh)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "docker", "info").CombinedOutput(); err != nil {
		tb.Skipf("skipping: 'docker info' failed, no Docker engine answers (start one with scripts/docker-engine.sh): %v: %s",
			err, lastLine(out))
	}
	if out, err := exec.CommandContext(ctx, "docker", "image", "inspect", img).CombinedOutput(); err != nil {
		tb.Skipf("skipping: image %s is missing (build it with scripts/docker-build.sh or set GRAPHMOCK_IMAGE): %s",
			img, lastLine(out))
	}
	return img
}

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1]
}

// run starts a container and registers its clean-up.
func run(tb testing.TB, img string, opts ...testcontainers.ContainerCustomizer) (*tcgraphmock.Container, time.Duration) {
	tb.Helper()
	start := time.Now()
	ctr, err := tcgraphmock.Run(context.Background(), img, opts...)
	elapsed := time.Since(start)
	tb.Cleanup(func() {
		if err := testcontainers.TerminateContainer(ctr); err != nil {
			tb.Errorf("terminate: %v", err)
		}
	})
	if err != nil {
		tb.Fatalf("Run: %v", err)
	}
	return ctr, elapsed
}

func TestRun(t *testing.T) {
	img := image(t)
	ctx := context.Background()

	ctr, startToReady := run(t, img, tcgraphmock.WithProcessingMode(tcgraphmock.ProcessingImmediate))
	t.Logf("container start-to-ready: %v", startToReady.Round(time.Millisecond))

	base, err := ctr.BaseURL(ctx)
	if err != nil {
		t.Fatalf("BaseURL: %v", err)
	}
	if !strings.HasPrefix(base, "http://127.0.0.1:") && !strings.HasPrefix(base, "http://localhost:") {
		t.Errorf("BaseURL = %q, want a loopback http URL", base)
	}
	graphURL, err := ctr.GraphURL(ctx)
	if err != nil {
		t.Fatalf("GraphURL: %v", err)
	}
	if graphURL != base+"/v1.0" {
		t.Errorf("GraphURL = %q, want %q", graphURL, base+"/v1.0")
	}
	tokenURL, err := ctr.TokenURL(ctx, "contoso.onmicrosoft.com")
	if err != nil {
		t.Fatalf("TokenURL: %v", err)
	}
	if want := base + "/contoso.onmicrosoft.com/oauth2/v2.0/token"; tokenURL != want {
		t.Errorf("TokenURL = %q, want %q", tokenURL, want)
	}
	client, err := ctr.HTTPClient(ctx)
	if err != nil {
		t.Fatalf("HTTPClient: %v", err)
	}

	t.Run("healthz", func(t *testing.T) {
		resp, err := client.Get(base + tcgraphmock.HealthPath)
		if err != nil {
			t.Fatalf("GET healthz: %v", err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET healthz: %s, want 200", resp.Status)
		}
	})

	t.Run("health status", func(t *testing.T) {
		// The image's HEALTHCHECK runs `graphmock healthcheck` every 5s.
		deadline := time.Now().Add(40 * time.Second)
		for {
			inspect, err := ctr.Inspect(ctx)
			if err != nil {
				t.Fatalf("Inspect: %v", err)
			}
			if inspect.State.Health == nil {
				t.Fatal("the image has no HEALTHCHECK")
			}
			status := string(inspect.State.Health.Status)
			if status == "healthy" {
				if started, err := time.Parse(time.RFC3339Nano, inspect.State.StartedAt); err == nil {
					t.Logf("container healthy %v after it started", time.Since(started).Round(time.Millisecond))
				}
				return
			}
			if status == "unhealthy" || time.Now().After(deadline) {
				t.Fatalf("health status = %q, want healthy", status)
			}
			time.Sleep(250 * time.Millisecond)
		}
	})

	t.Run("non-root user", func(t *testing.T) {
		inspect, err := ctr.Inspect(ctx)
		if err != nil {
			t.Fatalf("Inspect: %v", err)
		}
		user, _, _ := strings.Cut(inspect.Config.User, ":")
		if user == "" || user == "0" || user == "root" {
			t.Errorf("container user = %q, want a non-root user", inspect.Config.User)
		}
	})

	t.Run("list users", func(t *testing.T) {
		resp, err := client.Get(graphURL + "/users")
		if err != nil {
			t.Fatalf("GET /v1.0/users: %v", err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatalf("read body: %v", err)
		}
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET /v1.0/users: %s, want 200; body: %s", resp.Status, body)
		}
		mediaType, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
		if err != nil || mediaType != "application/json" {
			t.Errorf("Content-Type = %q, want application/json", resp.Header.Get("Content-Type"))
		}
		var page struct {
			Value []json.RawMessage `json:"value"`
		}
		dec := json.NewDecoder(bytes.NewReader(body))
		if err := dec.Decode(&page); err != nil {
			t.Fatalf("decode users page: %v; body: %s", err, body)
		}
		if page.Value == nil {
			t.Errorf("users page has no value array: %s", body)
		}
	})

	t.Run("terminate", func(t *testing.T) {
		id := ctr.GetContainerID()
		if err := testcontainers.TerminateContainer(ctr); err != nil {
			t.Fatalf("TerminateContainer: %v", err)
		}
		out, err := exec.Command("docker", "container", "inspect", id).CombinedOutput()
		if err == nil {
			t.Errorf("container %s still exists after TerminateContainer", id)
		} else if !strings.Contains(strings.ToLower(string(out)), "no such") {
			t.Errorf("docker container inspect %s: %v: %s", id, err, out)
		}
	})
}

// TestRunWithSeedFile starts the server with a fixture and finds its user.
func TestRunWithSeedFile(t *testing.T) {
	img := image(t)
	ctx := context.Background()

	ctr, _ := run(t, img, tcgraphmock.WithSeedFile("testdata/seed.json"))
	graphURL, err := ctr.GraphURL(ctx)
	if err != nil {
		t.Fatalf("GraphURL: %v", err)
	}
	client, err := ctr.HTTPClient(ctx)
	if err != nil {
		t.Fatalf("HTTPClient: %v", err)
	}
	resp, err := client.Get(graphURL + "/users/seed.user@container.example")
	if err != nil {
		t.Fatalf("GET seeded user: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET seeded user: %s, want 200; body: %s", resp.Status, body)
	}
	var user struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(body, &user); err != nil {
		t.Fatalf("decode user: %v; body: %s", err, body)
	}
	if want := "3f2a1b0c-4d5e-4f60-8a7b-9c0d1e2f3a4b"; user.ID != want {
		t.Errorf("seeded user id = %q, want %q", user.ID, want)
	}
}

// TestSeedFileAndEnv checks what the container is given, without starting
// it: the seed file at GRAPHMOCK_SEED, readable by the image's user, and the
// environment from the options.
func TestSeedFileAndEnv(t *testing.T) {
	img := image(t)
	ctx := context.Background()

	ctr, err := tcgraphmock.Run(ctx, img,
		tcgraphmock.WithSeedFile("testdata/seed.json"),
		tcgraphmock.WithProcessingMode(tcgraphmock.ProcessingManual),
		tcgraphmock.WithAuth("none"),
		tcgraphmock.WithEnv(map[string]string{"GRAPHMOCK_LOG_LEVEL": "debug"}),
		testcontainers.WithNoStart(),
	)
	t.Cleanup(func() {
		if err := testcontainers.TerminateContainer(ctr); err != nil {
			t.Errorf("terminate: %v", err)
		}
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}

	inspect, err := ctr.Inspect(ctx)
	if err != nil {
		t.Fatalf("Inspect: %v", err)
	}
	env := map[string]string{}
	for _, kv := range inspect.Config.Env {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	for k, want := range map[string]string{
		"GRAPHMOCK_SEED":       "/etc/graphmock/seed.json",
		"GRAPHMOCK_PROCESSING": "manual",
		"GRAPHMOCK_AUTH":       "none",
		"GRAPHMOCK_LOG_LEVEL":  "debug",
		"GRAPHMOCK_LISTEN":     "0.0.0.0:8080",
	} {
		if env[k] != want {
			t.Errorf("env %s = %q, want %q", k, env[k], want)
		}
	}

	rc, err := ctr.CopyFileFromContainer(ctx, "/etc/graphmock/seed.json")
	if err != nil {
		t.Fatalf("copy seed file from container: %v", err)
	}
	defer rc.Close()
	got, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("read seed file: %v", err)
	}
	want, err := os.ReadFile("testdata/seed.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("seed file in container = %q, want %q", got, want)
	}
}

// BenchmarkStartToReady measures the time from Run to a ready server
// (/_graphmock/healthz answering 200). Clean-up is not timed.
// Run it with a small count: go test -run '^$' -bench StartToReady -benchtime 5x
func BenchmarkStartToReady(b *testing.B) {
	img := image(b)
	ctx := context.Background()
	var total time.Duration
	for b.Loop() {
		start := time.Now()
		ctr, err := tcgraphmock.Run(ctx, img)
		total += time.Since(start)
		b.StopTimer()
		if terr := testcontainers.TerminateContainer(ctr); terr != nil {
			b.Errorf("terminate: %v", terr)
		}
		if err != nil {
			b.Fatalf("Run: %v", err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms/ready")
}

// TestRunWithTLS: WithTLS serves https on the module's port; the client the module gives trusts
// the container's CA, and the image's health check probes https.
func TestRunWithTLS(t *testing.T) {
	img := image(t)
	ctx := context.Background()
	ctr, _ := run(t, img, tcgraphmock.WithTLS())
	graphURL, err := ctr.GraphURL(ctx)
	if err != nil {
		t.Fatalf("GraphURL: %v", err)
	}
	if !strings.HasPrefix(graphURL, "https://") {
		t.Fatalf("GraphURL = %q, want https", graphURL)
	}
	client, err := ctr.HTTPClient(ctx)
	if err != nil {
		t.Fatalf("HTTPClient: %v", err)
	}
	resp, err := client.Get(graphURL + "/organization")
	if err != nil {
		t.Fatalf("GET organization over https: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET organization: %s", resp.Status)
	}
	deadline := time.Now().Add(40 * time.Second)
	for {
		inspect, err := ctr.Inspect(ctx)
		if err != nil {
			t.Fatalf("Inspect: %v", err)
		}
		if inspect.State.Health != nil && string(inspect.State.Health.Status) == "healthy" {
			return
		}
		if (inspect.State.Health != nil && string(inspect.State.Health.Status) == "unhealthy") || time.Now().After(deadline) {
			t.Fatalf("health status = %+v, want healthy", inspect.State.Health)
		}
		time.Sleep(250 * time.Millisecond)
	}
}
