package graphmock

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestServer is a graphmock server listening on a loopback port for the length of a Go test,
// like an httptest.Server for Graph.
type TestServer struct {
	// URL is the server's base URL, "http://127.0.0.1:port" ("https://…" with Options.TLS; no
	// trailing slash); Graph is under URL+"/v1.0" and the control plane under URL+"/_graphmock".
	URL string

	srv    *Server
	hs     *httptest.Server
	client *http.Client
}

// NewTestServer builds a Server from opts (the options the graphmock command takes) and starts it
// on a loopback port: plain http, or https with graphmock's certificate when opts.TLS is set (then
// Client trusts graphmock's CA). It is closed by t.Cleanup; a bad option or fixture fails the
// test at once.
func NewTestServer(t testing.TB, opts Options) *TestServer {
	t.Helper()
	s, err := New(opts)
	if err != nil {
		t.Fatalf("graphmock: %v", err)
	}
	var hs *httptest.Server
	var client *http.Client
	if cfg := s.TLSConfig(); cfg != nil {
		hs = httptest.NewUnstartedServer(s)
		hs.TLS = cfg
		hs.StartTLS()
		client = &http.Client{Transport: &http.Transport{TLSClientConfig: s.ClientTLSConfig(), ForceAttemptHTTP2: true}}
	} else {
		hs = httptest.NewServer(s)
		client = hs.Client()
	}
	t.Cleanup(hs.Close)
	t.Cleanup(client.CloseIdleConnections)
	return &TestServer{URL: hs.URL, srv: s, hs: hs, client: client}
}

// GraphURL is the Graph v1.0 base URL, URL+"/v1.0" (what msgraph-sdk-go's SetBaseUrl takes).
func (ts *TestServer) GraphURL() string { return ts.URL + "/v1.0" }

// Client returns an *http.Client for the server (trusting its CA under TLS).
func (ts *TestServer) Client() *http.Client { return ts.client }

// Server returns the graphmock Server, for direct access to its stores.
func (ts *TestServer) Server() *Server { return ts.srv }

// Close shuts the server down before the test ends; calling it again, or letting t.Cleanup
// call it, is harmless.
func (ts *TestServer) Close() { ts.hs.Close() }

// NewRoundTripper returns a transport that serves requests in-process with s, with no listener
// and no network: http.Client{Transport: graphmock.NewRoundTripper(s)}. The request's host is kept,
// so a client aimed at https://graph.microsoft.com/v1.0 works unchanged (responses then name that
// host in @odata.context and nextLink). The response body is fully buffered.
func NewRoundTripper(s *Server) http.RoundTripper { return roundTripper{s} }

type roundTripper struct{ s *Server }

// RoundTrip serves req with the Server. It fails only for a request without a URL or a cancelled context.
func (rt roundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL == nil {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, &httpError{status: http.StatusBadRequest, code: "BadRequest", message: "graphmock: request without a URL"}
	}
	if err := req.Context().Err(); err != nil {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, err
	}
	r := req.Clone(req.Context())
	if r.Body == nil {
		r.Body = http.NoBody
	}
	if r.Host == "" {
		r.Host = req.URL.Host
	}
	r.RequestURI = req.URL.RequestURI()
	r.RemoteAddr = "127.0.0.1:0"
	if req.URL.Scheme == "https" {
		r.TLS = &tls.ConnectionState{HandshakeComplete: true, ServerName: req.URL.Hostname()}
	}
	rec := httptest.NewRecorder()
	rt.s.ServeHTTP(rec, r)
	if req.Body != nil {
		_ = req.Body.Close()
	}
	resp := rec.Result()
	resp.Request = req
	resp.Proto, resp.ProtoMajor, resp.ProtoMinor = "HTTP/1.1", 1, 1
	return resp, nil
}
