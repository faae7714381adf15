package conformance_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/google/uuid"
	"github.com/graphmock/graphmock/graphmock"
	"github.com/microsoft/kiota-abstractions-go/authentication"
	kiotaauth "github.com/microsoft/kiota-authentication-azure-go"
	msgraphsdk "github.com/microsoftgraph/msgraph-sdk-go"
	"github.com/microsoftgraph/msgraph-sdk-go/auditlogs"
	"github.com/microsoftgraph/msgraph-sdk-go/groups"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/users"
)

// newClient points an unmodified msgraph-sdk-go client at a graphmock: anonymous callers are
// accepted in graphmock's default auth mode, so only the base URL changes.
func newClient(baseURL string) *msgraphsdk.GraphServiceClient {
	adapter, err := msgraphsdk.NewGraphRequestAdapter(&authentication.AnonymousAuthenticationProvider{})
	if err != nil {
		log.Fatal(err)
	}
	adapter.SetBaseUrl(baseURL + "/v1.0")
	return msgraphsdk.NewGraphServiceClient(adapter)
}

// graphmock in process behind httptest, and the Graph SDK listing the default tenant's users.
// In a test with a *testing.T at hand, graphmock.NewTestServer(t, graphmock.Options{}) does the
// same and closes the server when the test ends.
func Example_listUsers() {
	srv, err := graphmock.New(graphmock.Options{})
	if err != nil {
		log.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	client := newClient(ts.URL)
	ctx := context.Background()

	page, err := client.Users().Get(ctx, &users.UsersRequestBuilderGetRequestConfiguration{
		QueryParameters: &users.UsersRequestBuilderGetQueryParameters{
			Filter: ptr("startswith(displayName,'A')"),
			Select: []string{"displayName", "userPrincipalName"},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range page.GetValue() {
		fmt.Println(*u.GetDisplayName(), *u.GetUserPrincipalName())
	}
	// Output:
	// Avery Chen avery.chen@larkspur.example
}

// Group-based licensing through the SDK: create a security group, add a member, assign the
// group a license, then drain graphmock's background license processing through the control
// plane (POST /_graphmock/processing/drain) so the member's inherited license is there to read.
// Options{ProcessingMode: "immediate"} would apply it before assignLicense answers instead.
func Example_groupLicensing() {
	srv, err := graphmock.New(graphmock.Options{})
	if err != nil {
		log.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	client := newClient(ts.URL)
	ctx := context.Background()

	// The member: a seed user, found by userPrincipalName.
	member, err := client.Users().ByUserId("avery.chen@larkspur.example").Get(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}

	g := models.NewGroup()
	g.SetDisplayName(ptr("Licensed staff"))
	g.SetMailNickname(ptr("licensed-staff"))
	g.SetMailEnabled(ptr(false))
	g.SetSecurityEnabled(ptr(true))
	group, err := client.Groups().Post(ctx, g, nil)
	if err != nil {
		log.Fatal(err)
	}
	ref := models.NewReferenceCreate()
	ref.SetOdataId(ptr(ts.URL + "/v1.0/directoryObjects/" + *member.GetId()))
	if err := client.Groups().ByGroupId(*group.GetId()).Members().Ref().Post(ctx, ref, nil); err != nil {
		log.Fatal(err)
	}

	// The tenant's Microsoft 365 E3 subscription.
	skus, err := client.SubscribedSkus().Get(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	var e3 uuid.UUID
	for _, s := range skus.GetValue() {
		if *s.GetSkuPartNumber() == "ENTERPRISEPACK" {
			e3 = *s.GetSkuId()
		}
	}

	lic := models.NewAssignedLicense()
	lic.SetSkuId(&e3)
	lic.SetDisabledPlans([]uuid.UUID{})
	body := groups.NewItemAssignLicensePostRequestBody()
	body.SetAddLicenses([]models.AssignedLicenseable{lic})
	body.SetRemoveLicenses([]uuid.UUID{})
	if _, err := client.Groups().ByGroupId(*group.GetId()).AssignLicense().Post(ctx, body, nil); err != nil {
		log.Fatal(err)
	}

	resp, err := http.Post(ts.URL+"/_graphmock/processing/drain", "application/json", nil)
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	fmt.Println("drain:", resp.Status)

	gl, err := client.Groups().ByGroupId(*group.GetId()).Get(ctx, &groups.GroupItemRequestBuilderGetRequestConfiguration{
		QueryParameters: &groups.GroupItemRequestBuilderGetQueryParameters{Select: []string{"displayName", "licenseProcessingState"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(*gl.GetDisplayName(), *gl.GetLicenseProcessingState().GetState())

	ul, err := client.Users().ByUserId(*member.GetId()).Get(ctx, &users.UserItemRequestBuilderGetRequestConfiguration{
		QueryParameters: &users.UserItemRequestBuilderGetQueryParameters{Select: []string{"licenseAssignmentStates"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range ul.GetLicenseAssignmentStates() {
		if *s.GetSkuId() != e3 {
			continue
		}
		via := "directly"
		if s.GetAssignedByGroup() != nil {
			via = "by group"
			if *s.GetAssignedByGroup() == *group.GetId() {
				via = "by " + *gl.GetDisplayName()
			}
		}
		fmt.Println(strings.TrimSpace(*member.GetDisplayName()), "E3", via+":", *s.GetState())
	}
	// Output:
	// drain: 200 OK
	// Licensed staff ProcessingComplete
	// Avery Chen E3 by Licensed staff: Active
}

// azidentity and msgraph-sdk-go against graphmock over https with tokens required
// (docs/auth.md): four settings differ from production code — the authority host, no instance
// discovery, a transport trusting graphmock's CA, and the valid hosts of Kiota's provider. The
// admin app's changes are audited with the app as initiator.
func Example_azidentity() {
	srv, err := graphmock.New(graphmock.Options{TLS: &graphmock.TLSOptions{}, Auth: graphmock.AuthOn})
	if err != nil {
		log.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(srv)
	ts.TLS = srv.TLSConfig()
	ts.StartTLS()
	defer ts.Close()
	httpClient := &http.Client{Transport: &http.Transport{TLSClientConfig: srv.ClientTLSConfig()}}

	cred, err := azidentity.NewClientSecretCredential(
		"7d3f4a8e-2c1b-4e5f-9a6d-3b8c0e1f2a4d", // the default tenant
		"6a1e4f0c-2b7d-4c59-8e3a-9d0b5f7c1a23", // its "graphmock admin" app
		"graphmock-admin-secret",               // a published test fixture
		&azidentity.ClientSecretCredentialOptions{
			ClientOptions: azcore.ClientOptions{
				Cloud:     cloud.Configuration{ActiveDirectoryAuthorityHost: ts.URL + "/"},
				Transport: httpClient,
			},
			DisableInstanceDiscovery: true,
		})
	if err != nil {
		log.Fatal(err)
	}
	auth, err := kiotaauth.NewAzureIdentityAuthenticationProviderWithScopesAndValidHosts(
		cred, []string{"https://graph.microsoft.com/.default"}, []string{"127.0.0.1", "localhost"})
	if err != nil {
		log.Fatal(err)
	}
	adapter, err := msgraphsdk.NewGraphRequestAdapterWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(auth, nil, nil, httpClient)
	if err != nil {
		log.Fatal(err)
	}
	adapter.SetBaseUrl(ts.URL + "/v1.0")
	client := msgraphsdk.NewGraphServiceClient(adapter)
	ctx := context.Background()

	patch := models.NewUser()
	patch.SetJobTitle(ptr("Dispatcher"))
	if _, err := client.Users().ByUserId("avery.chen@larkspur.example").Patch(ctx, patch, nil); err != nil {
		log.Fatal(err)
	}
	audits, err := client.AuditLogs().DirectoryAudits().Get(ctx, &auditlogs.DirectoryAuditsRequestBuilderGetRequestConfiguration{
		QueryParameters: &auditlogs.DirectoryAuditsRequestBuilderGetQueryParameters{
			Filter: ptr("activityDisplayName eq 'Update user' and initiatedBy/app/appId eq '6a1e4f0c-2b7d-4c59-8e3a-9d0b5f7c1a23'"),
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range audits.GetValue() {
		fmt.Println(*a.GetActivityDisplayName(), "by", *a.GetInitiatedBy().GetApp().GetDisplayName(), "user:", a.GetInitiatedBy().GetUser() != nil)
	}
	// Output:
	// Update user by graphmock admin user: false
}

func ptr[T any](v T) *T { return &v }
