// Package conformance is graphmock's conformance suite: scenarios written as an application's
// tests would be, driven through Microsoft's Graph SDK for Go (msgraph-sdk-go) and through raw
// HTTP where exact status codes, headers and error bodies matter, with every response checked
// against Microsoft's OpenAPI description of Graph v1.0 (graphmock's openapi package).
//
// The package holds the pieces a scenario needs: ValidatingTransport, the http.RoundTripper
// that validates every response and collects violations; NewGraphClient, the SDK client with its
// default middleware over that transport; ParseError for Graph's error envelope; and
// CheckLoopback, which keeps the suite on local servers. The scenarios are its tests:
//
//	go test ./...                                   # a fresh in-process graphmock per scenario
//	GRAPHMOCK_URL=http://127.0.0.1:8080 go test ./... # a running graphmock (binary or container)
//
// scripts/conformance.sh at the repository root runs the suite and prints what it exercised.
// The module is separate from graphmock's so that msgraph-sdk-go, slow to compile, stays out
// of the root module's build.
package conformance
