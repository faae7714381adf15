package graphmock

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

type ctxKey int

const (
	ctxRequestID ctxKey = iota
	ctxClientRequestID
	ctxOriginalPath
	ctxAliasPath // the client's path of a request served through an alias (/me, see withMe)
)

func requestID(r *http.Request) string {
	v, _ := r.Context().Value(ctxRequestID).(string)
	return v
}

func clientRequestID(r *http.Request) string {
	v, _ := r.Context().Value(ctxClientRequestID).(string)
	return v
}

// statusRecorder remembers the status a handler wrote, for the request log line.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// maxBodyBytes is the largest request body accepted: Graph's 4 MB request limit.
const maxBodyBytes = 4 << 20

// maxControlPlaneBodyBytes is the largest control-plane body (fixtures can be large).
const maxControlPlaneBodyBytes = 64 << 20

func bodyLimit(path string) int64 {
	if isControlPlanePath(path) {
		return maxControlPlaneBodyBytes
	}
	return maxBodyBytes
}

// withConventions wraps every request: request-id and client-request-id headers (the client's
// echoed, else equal to request-id — graph-facts §9), a body size limit, panic recovery into a
// Graph-shaped 500, and one log line per request.
func (s *Server) withConventions(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		if clean := cleanPath(r.URL.Path); clean != r.URL.Path {
			r2 := r.Clone(r.Context())
			r2.URL.Path, r2.URL.RawPath = clean, ""
			r = r2
		}
		rid := s.requestIDs.NewID()
		crid := r.Header.Get("client-request-id")
		if crid == "" {
			crid = rid
		}
		ctx := context.WithValue(r.Context(), ctxRequestID, rid)
		ctx = context.WithValue(ctx, ctxClientRequestID, crid)
		ctx = context.WithValue(ctx, ctxOriginalPath, r.URL.Path)
		r = r.WithContext(ctx)
		h := w.Header()
		h.Set("request-id", rid)
		h.Set("client-request-id", crid)
		h.Set("Cache-Control", "no-cache")
		h.Set("Strict-Transport-Security", "max-age=31536000")
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, bodyLimit(r.URL.Path))
		}
		rec := &statusRecorder{ResponseWriter: w}
		if err := decodeContentEncoding(w, r); err != nil {
			s.writeError(rec, r, err)
			return
		}
		defer func() {
			if p := recover(); p != nil {
				s.writeError(rec, r, fmt.Errorf("panic: %v", p))
			}
			s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
				slog.String("method", r.Method), slog.String("path", r.URL.Path),
				slog.Int("status", rec.status), slog.Duration("duration", time.Since(start)),
				slog.String("request-id", rid))
		}()
		next.ServeHTTP(rec, r)
	})
}

// decodeContentEncoding lets handlers read a gzip-compressed request body as plain JSON: Graph
// accepts "Content-Encoding: gzip" request bodies, and the Graph SDKs' default middleware
// compresses every request body that way. The decompressed body is held to the same size limit.
// Other encodings are refused with 415, on which the SDKs resend the body uncompressed.
func decodeContentEncoding(w http.ResponseWriter, r *http.Request) error {
	enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding")))
	switch enc {
	case "", "identity":
		return nil
	case "gzip":
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, &gunzipBody{src: r.Body}, maxBodyBytes)
		}
		r.Header.Del("Content-Encoding")
		r.ContentLength = -1
		return nil
	default:
		return errUnsupportedEncoding(enc)
	}
}

// gunzipBody decompresses src, reading the gzip header on the first Read so that a broken
// stream surfaces as a read error (the handler's "Unable to read JSON request payload").
type gunzipBody struct {
	src io.ReadCloser
	zr  *gzip.Reader
}

func (g *gunzipBody) Read(p []byte) (int, error) {
	if g.zr == nil {
		zr, err := gzip.NewReader(g.src)
		if err != nil {
			return 0, err
		}
		g.zr = zr
	}
	return g.zr.Read(p)
}

func (g *gunzipBody) Close() error { return g.src.Close() }

// cleanPath collapses repeated slashes and drops a trailing one ("/v1.0//users/" is "/v1.0/users"),
// so URLs built by joining strings reach the same operation.
func cleanPath(p string) string {
	for strings.Contains(p, "//") {
		p = strings.ReplaceAll(p, "//", "/")
	}
	if len(p) > 1 {
		p = strings.TrimSuffix(p, "/")
	}
	return p
}
