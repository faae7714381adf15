package conformance

import (
	_ "github.com/graphmock/graphmock/graphmock"
	_ "github.com/graphmock/graphmock/openapi"
	_ "github.com/microsoft/kiota-abstractions-go/authentication"
	_ "github.com/microsoft/kiota-http-go"
	_ "github.com/microsoftgraph/msgraph-sdk-go"
	_ "github.com/microsoftgraph/msgraph-sdk-go-core"
	_ "github.com/microsoftgraph/msgraph-sdk-go/models"
	_ "github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
)
