package tcgraphmock

import (
	"testing"

	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"
)

// request applies the customizers Run would pass to testcontainers.Run.
func request(t *testing.T, opts ...testcontainers.ContainerCustomizer) (options, testcontainers.GenericContainerRequest) {
	t.Helper()
	settings, moduleOpts, err := moduleOptions(opts)
	if err != nil {
		t.Fatalf("moduleOptions: %v", err)
	}
	var req testcontainers.GenericContainerRequest
	for _, opt := range moduleOpts {
		if err := opt.Customize(&req); err != nil {
			t.Fatalf("Customize: %v", err)
		}
	}
	return settings, req
}

func TestModuleOptions(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name      string
		opts      []testcontainers.ContainerCustomizer
		wantEnv   map[string]string
		wantFiles []testcontainers.ContainerFile
		wantTLS   bool
	}{
		{
			name:    "defaults",
			wantEnv: map[string]string{},
		},
		{
			name:    "processing mode",
			opts:    []testcontainers.ContainerCustomizer{WithProcessingMode(ProcessingManual)},
			wantEnv: map[string]string{EnvProcessing: "manual"},
		},
		{
			name:    "seed file",
			opts:    []testcontainers.ContainerCustomizer{WithSeedFile("testdata/seed.json")},
			wantEnv: map[string]string{EnvSeed: "/etc/graphmock/seed.json"},
			wantFiles: []testcontainers.ContainerFile{{
				HostFilePath:      "testdata/seed.json",
				ContainerFilePath: "/etc/graphmock/seed.json",
				FileMode:          0o644,
			}},
		},
		{
			name:    "env passthrough",
			opts:    []testcontainers.ContainerCustomizer{WithEnv(map[string]string{"GRAPHMOCK_LOG_LEVEL": "debug"})},
			wantEnv: map[string]string{"GRAPHMOCK_LOG_LEVEL": "debug"},
		},
		{
			name:    "auth",
			opts:    []testcontainers.ContainerCustomizer{WithAuth("required")},
			wantEnv: map[string]string{EnvAuth: "required"},
		},
		{
			name:    "tls",
			opts:    []testcontainers.ContainerCustomizer{WithTLS()},
			wantEnv: map[string]string{EnvTLS: "true", "GRAPHMOCK_LISTEN": "none", "GRAPHMOCK_TLS_LISTEN": "0.0.0.0:8080"},
			wantTLS: true,
		},
		{
			name: "user options override module defaults",
			opts: []testcontainers.ContainerCustomizer{
				WithTLS(),
				WithEnv(map[string]string{EnvTLS: "false"}),
			},
			wantEnv: map[string]string{EnvTLS: "false", "GRAPHMOCK_LISTEN": "none", "GRAPHMOCK_TLS_LISTEN": "0.0.0.0:8080"},
			wantTLS: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			settings, req := request(t, tt.opts...)

			if settings.tls != tt.wantTLS {
				t.Errorf("tls = %v, want %v", settings.tls, tt.wantTLS)
			}
			if len(req.Env) != len(tt.wantEnv) {
				t.Errorf("Env = %v, want %v", req.Env, tt.wantEnv)
			}
			for k, v := range tt.wantEnv {
				if req.Env[k] != v {
					t.Errorf("Env[%s] = %q, want %q", k, req.Env[k], v)
				}
			}
			if len(req.Files) != len(tt.wantFiles) {
				t.Fatalf("Files = %+v, want %+v", req.Files, tt.wantFiles)
			}
			for i, f := range tt.wantFiles {
				got := req.Files[i]
				if got.HostFilePath != f.HostFilePath || got.ContainerFilePath != f.ContainerFilePath || got.FileMode != f.FileMode {
					t.Errorf("Files[%d] = %+v, want %+v", i, got, f)
				}
			}
			if len(req.ExposedPorts) != 1 || req.ExposedPorts[0] != Port {
				t.Errorf("ExposedPorts = %v, want [%s]", req.ExposedPorts, Port)
			}
			all, ok := req.WaitingFor.(*wait.MultiStrategy)
			if !ok || len(all.Strategies) != 1 {
				t.Fatalf("WaitingFor = %#v, want one HTTP strategy", req.WaitingFor)
			}
			health, ok := all.Strategies[0].(*wait.HTTPStrategy)
			if !ok {
				t.Fatalf("wait strategy = %T, want *wait.HTTPStrategy", all.Strategies[0])
			}
			if health.Path != HealthPath {
				t.Errorf("wait path = %q, want %q", health.Path, HealthPath)
			}
			if health.UseTLS != tt.wantTLS {
				t.Errorf("wait UseTLS = %v, want %v", health.UseTLS, tt.wantTLS)
			}
		})
	}
}

func TestWithSeedFileEmptyPath(t *testing.T) {
	t.Parallel()
	var req testcontainers.GenericContainerRequest
	if err := WithSeedFile("")(&req); err == nil {
		t.Fatal("WithSeedFile(\"\") succeeded, want an error")
	}
}
