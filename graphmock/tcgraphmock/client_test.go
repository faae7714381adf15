package tcgraphmock

import (
	"context"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestNewHTTPClientTLS(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name    string
		caPEM   func(srv *httptest.Server) string
		status  int
		wantErr string
	}{
		{
			name: "trusts the served CA",
			caPEM: func(srv *httptest.Server) string {
				return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
			},
			status: http.StatusOK,
		},
		{
			name:    "no certificate in the answer",
			caPEM:   func(*httptest.Server) string { return "not a certificate" },
			status:  http.StatusOK,
			wantErr: "no certificate",
		},
		{
			name:    "CA endpoint missing",
			caPEM:   func(*httptest.Server) string { return "" },
			status:  http.StatusNotFound,
			wantErr: "404",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var srv *httptest.Server
			srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch r.URL.Path {
				case CAPath:
					w.WriteHeader(tt.status)
					_, _ = w.Write([]byte(tt.caPEM(srv)))
				case HealthPath:
					_, _ = w.Write([]byte("ok"))
				default:
					http.NotFound(w, r)
				}
			}))
			t.Cleanup(srv.Close)

			client, err := newHTTPClient(context.Background(), srv.URL, true)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("newHTTPClient error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("newHTTPClient: %v", err)
			}
			resp, err := client.Get(srv.URL + HealthPath)
			if err != nil {
				t.Fatalf("GET over TLS with the fetched CA: %v", err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("GET healthz: %s, want 200", resp.Status)
			}

			// Without the CA the same request must fail verification.
			if resp, err := http.Get(srv.URL + HealthPath); err == nil {
				resp.Body.Close()
				t.Error("GET with the default client succeeded, want a certificate error")
			}
		})
	}
}

func TestNewHTTPClientPlain(t *testing.T) {
	t.Parallel()
	client, err := newHTTPClient(context.Background(), "", false)
	if err != nil {
		t.Fatalf("newHTTPClient: %v", err)
	}
	if client.Transport != nil {
		t.Errorf("plain client has a custom transport %T", client.Transport)
	}
}
