// Package openapi holds graphmock's served subset of Microsoft Graph v1.0's OpenAPI description
// and validates graphmock's requests and responses against it.
//
// The subset (graph-v1.0-subset.yaml, embedded, see Document) is generated from Microsoft's
// per-module OpenAPI files (github.com/microsoftgraph/msgraph-sdk-powershell, openApiDocs/v1.0,
// MIT License) by internal/gen: only the operations in Served and the schemas they reach, with
// documentation text removed. Regenerate it with `go generate ./openapi/` from the repository
// root; the generator reads Microsoft's files from ../shared/graph-openapi beside the
// repository, from $GRAPHMOCK_GRAPH_OPENAPI, or from its -src flag.
//
// Load reads the subset once and applies the workarounds Microsoft's files need before
// kin-openapi can judge real Graph traffic with them (see Load). Coverage compares a list of
// served operations with every operation of Microsoft's files for graphmock's modules.
package openapi

import _ "embed"

//go:generate go run ./internal/gen

//go:embed graph-v1.0-subset.yaml
var document []byte

// Document returns the embedded served subset (YAML, OpenAPI 3.0.1), as served at
// /_graphmock/openapi.yaml. The caller must not modify the returned slice.
func Document() []byte { return document }
