package graphmock

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

// TLSOptions configure the https side of a Server (docs/auth.md). Clients such as MSAL and the
// Graph SDKs insist on https for the authority and for Graph calls (graph-facts §0.11, §8.2), so
// graphmock can issue its own certificates.
type TLSOptions struct {
	// CertFile and KeyFile are a PEM certificate (chain, leaf first) and its private key to serve
	// instead of generated ones. Both or neither. With them, the CA graphmock publishes is the
	// last certificate of CertFile (the issuer-most one given).
	CertFile, KeyFile string
	// Hosts are extra DNS names or IP addresses for the generated leaf certificate, which always
	// covers localhost, 127.0.0.1 and ::1.
	Hosts []string
	// CAOut is a file path the CA certificate is written to as PEM at start ("" = not written).
	CAOut string
	// Validity is the generated certificates' lifetime; default 7 days.
	Validity time.Duration
}

// tlsMaterial is a Server's certificate, the CA that issued it and their PEM forms.
type tlsMaterial struct {
	cert  tls.Certificate
	ca    *x509.Certificate
	caPEM []byte
}

// defaultTLSHosts are always in a generated leaf certificate: loopback only.
var defaultTLSHosts = []string{"localhost", "127.0.0.1", "::1"}

// newTLSMaterial loads the configured certificate or generates a CA (ECDSA P-256, named
// "graphmock test CA") and a leaf for loopback plus opts.Hosts, and writes the CA PEM to
// opts.CAOut. Errors: unreadable or mismatched cert/key files, an unwritable CAOut.
func newTLSMaterial(opts TLSOptions, now time.Time) (*tlsMaterial, error) {
	var m *tlsMaterial
	var err error
	switch {
	case opts.CertFile != "" || opts.KeyFile != "":
		if opts.CertFile == "" || opts.KeyFile == "" {
			return nil, errors.New("graphmock: tls: give both a certificate and a key file, or neither")
		}
		m, err = loadTLSMaterial(opts.CertFile, opts.KeyFile)
	default:
		m, err = generateTLSMaterial(opts.Hosts, opts.Validity, now)
	}
	if err != nil {
		return nil, err
	}
	if opts.CAOut != "" {
		if err := os.WriteFile(opts.CAOut, m.caPEM, 0o644); err != nil {
			return nil, fmt.Errorf("graphmock: tls: write CA: %w", err)
		}
	}
	return m, nil
}

func loadTLSMaterial(certFile, keyFile string) (*tlsMaterial, error) {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("graphmock: tls: %w", err)
	}
	last := cert.Certificate[len(cert.Certificate)-1]
	ca, err := x509.ParseCertificate(last)
	if err != nil {
		return nil, fmt.Errorf("graphmock: tls: %w", err)
	}
	return &tlsMaterial{cert: cert, ca: ca, caPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: last})}, nil
}

func generateTLSMaterial(hosts []string, validity time.Duration, now time.Time) (*tlsMaterial, error) {
	if validity <= 0 {
		validity = 7 * 24 * time.Hour
	}
	notBefore := now.Add(-time.Hour)
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("graphmock: tls: %w", err)
	}
	caTpl := &x509.Certificate{
		SerialNumber:          serialNumber(),
		Subject:               pkix.Name{CommonName: "graphmock test CA", Organization: []string{"graphmock"}},
		NotBefore:             notBefore,
		NotAfter:              now.Add(validity),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTpl, caTpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, fmt.Errorf("graphmock: tls: %w", err)
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, fmt.Errorf("graphmock: tls: %w", err)
	}
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("graphmock: tls: %w", err)
	}
	leafTpl := &x509.Certificate{
		SerialNumber: serialNumber(),
		Subject:      pkix.Name{CommonName: "localhost", Organization: []string{"graphmock"}},
		NotBefore:    notBefore,
		NotAfter:     now.Add(validity),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	seen := map[string]bool{}
	for _, h := range append(append([]string(nil), defaultTLSHosts...), hosts...) {
		h = strings.TrimSpace(h)
		if h == "" || seen[strings.ToLower(h)] {
			continue
		}
		seen[strings.ToLower(h)] = true
		if ip := net.ParseIP(h); ip != nil {
			leafTpl.IPAddresses = append(leafTpl.IPAddresses, ip)
		} else {
			leafTpl.DNSNames = append(leafTpl.DNSNames, h)
		}
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTpl, ca, &leafKey.PublicKey, caKey)
	if err != nil {
		return nil, fmt.Errorf("graphmock: tls: %w", err)
	}
	leaf, err := x509.ParseCertificate(leafDER)
	if err != nil {
		return nil, fmt.Errorf("graphmock: tls: %w", err)
	}
	return &tlsMaterial{
		cert:  tls.Certificate{Certificate: [][]byte{leafDER, caDER}, PrivateKey: leafKey, Leaf: leaf},
		ca:    ca,
		caPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
	}, nil
}

func serialNumber() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil || n.Sign() == 0 {
		return big.NewInt(time.Now().UnixNano())
	}
	return n
}

// TLSConfig returns a server-side TLS configuration carrying graphmock's certificate (TLS 1.2+),
// for http.Server.TLSConfig or httptest.Server.TLS; nil when Options.TLS was not set.
func (s *Server) TLSConfig() *tls.Config {
	if s.tls == nil {
		return nil
	}
	return &tls.Config{Certificates: []tls.Certificate{s.tls.cert}, MinVersion: tls.VersionTLS12}
}

// CACertPEM returns the PEM of the CA that issued graphmock's certificate; nil without TLS.
func (s *Server) CACertPEM() []byte {
	if s.tls == nil {
		return nil
	}
	return bytes.Clone(s.tls.caPEM)
}

// CACertPool returns a pool holding only graphmock's CA, for a client's tls.Config.RootCAs;
// nil without TLS.
func (s *Server) CACertPool() *x509.CertPool {
	if s.tls == nil {
		return nil
	}
	p := x509.NewCertPool()
	p.AddCert(s.tls.ca)
	return p
}

// ClientTLSConfig returns a client-side TLS configuration that trusts graphmock's CA (and
// nothing else); nil without TLS.
func (s *Server) ClientTLSConfig() *tls.Config {
	if s.tls == nil {
		return nil
	}
	return &tls.Config{RootCAs: s.CACertPool(), MinVersion: tls.VersionTLS12}
}

// caPEM serves GET /_graphmock/ca.pem: the CA certificate as application/x-pem-file, or 404 in
// Graph's envelope when the server has no TLS.
func (s *Server) caPEM(w http.ResponseWriter, _ *http.Request) error {
	if s.tls == nil {
		return newHTTPError(http.StatusNotFound, "NotFound", "graphmock serves no TLS certificate: start it with TLS enabled.")
	}
	w.Header().Set("Content-Type", "application/x-pem-file")
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(s.tls.caPEM)
	return err
}
