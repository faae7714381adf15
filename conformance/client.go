package conformance

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/microsoft/kiota-abstractions-go/authentication"
	khttp "github.com/microsoft/kiota-http-go"
	msgraphsdk "github.com/microsoftgraph/msgraph-sdk-go"
	msgraphgocore "github.com/microsoftgraph/msgraph-sdk-go-core"
)

// NewGraphClient builds the Graph SDK client exactly as an application would (the SDK's default
// middleware: retry, redirect, compression, telemetry…) pointed at a graphmock at baseURL, with
// wire as the innermost transport, and no credentials (graphmock's default auth mode accepts
// anonymous callers).
func NewGraphClient(baseURL string, wire http.RoundTripper) (*msgraphsdk.GraphServiceClient, *msgraphsdk.GraphRequestAdapter, error) {
	opts := msgraphsdk.GetDefaultClientOptions()
	httpClient := &http.Client{
		Transport: khttp.NewCustomTransportWithParentTransport(wire, msgraphgocore.GetDefaultMiddlewaresWithOptions(&opts)...),
	}
	adapter, err := msgraphsdk.NewGraphRequestAdapterWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(
		&authentication.AnonymousAuthenticationProvider{}, nil, nil, httpClient)
	if err != nil {
		return nil, nil, err
	}
	adapter.SetBaseUrl(strings.TrimSuffix(baseURL, "/") + "/v1.0")
	return msgraphsdk.NewGraphServiceClient(adapter), adapter, nil
}

// CheckLoopback refuses any target that is not on the loopback interface: the suite creates,
// deletes and licenses objects and must never be pointed at anything but a local graphmock.
func CheckLoopback(rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return fmt.Errorf("target %q: %v", rawURL, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("target %q: scheme must be http or https", rawURL)
	}
	host := u.Hostname()
	if host == "" {
		return fmt.Errorf("target %q: no host", rawURL)
	}
	if ip := net.ParseIP(host); ip != nil {
		if !ip.IsLoopback() {
			return fmt.Errorf("target %q: %s is not a loopback address", rawURL, host)
		}
		return nil
	}
	if !strings.EqualFold(host, "localhost") {
		return fmt.Errorf("target %q: only loopback addresses (127.0.0.0/8, ::1, localhost) are allowed", rawURL)
	}
	ips, err := net.LookupIP(host)
	if err != nil {
		return fmt.Errorf("target %q: %v", rawURL, err)
	}
	for _, ip := range ips {
		if !ip.IsLoopback() {
			return fmt.Errorf("target %q: localhost resolves to %s, not a loopback address", rawURL, ip)
		}
	}
	return nil
}
