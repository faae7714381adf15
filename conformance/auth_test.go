package conformance

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/graphmock/graphmock/graphmock"
	kiotaauth "github.com/microsoft/kiota-authentication-azure-go"
	khttp "github.com/microsoft/kiota-http-go"
	msgraphsdk "github.com/microsoftgraph/msgraph-sdk-go"
	msgraphgocore "github.com/microsoftgraph/msgraph-sdk-go-core"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
)

// The default tenant's app registrations (docs/auth.md): test fixtures, published on purpose.
const (
	fixtureTenantID       = "7d3f4a8e-2c1b-4e5f-9a6d-3b8c0e1f2a4d"
	adminAppID            = "6a1e4f0c-2b7d-4c59-8e3a-9d0b5f7c1a23"
	adminAppName          = "graphmock admin"
	adminSecret           = "graphmock-admin-secret"
	adminServicePrincipal = "c2d7e9a1-4b3f-4e60-a8d5-7f1b0c9e3a45"
	readerAppID           = "b8f3c6d2-9e1a-4a7b-8c05-4d2e6f8a0b39"
	readerSecret          = "graphmock-reader-secret"
)

var graphScopes = []string{"https://graph.microsoft.com/.default"}

// tlsGraphmock is an in-process graphmock serving https with its generated CA and requiring
// tokens (AuthOn), as a test that uses azidentity would start it.
type tlsGraphmock struct {
	srv  *graphmock.Server
	base string // https://127.0.0.1:port
	tls  http.RoundTripper

	tokenRequests atomic.Int32 // POSTs to the token endpoint
}

func startTLSGraphmock(t *testing.T) *tlsGraphmock {
	t.Helper()
	srv, err := graphmock.New(graphmock.Options{TLS: &graphmock.TLSOptions{}, Auth: graphmock.AuthOn})
	if err != nil {
		t.Fatalf("graphmock.New: %v", err)
	}
	ts := httptest.NewUnstartedServer(srv)
	ts.TLS = srv.TLSConfig()
	ts.StartTLS()
	t.Cleanup(ts.Close)
	if err := CheckLoopback(ts.URL); err != nil {
		t.Fatal(err)
	}
	tr := &http.Transport{TLSClientConfig: srv.ClientTLSConfig(), ForceAttemptHTTP2: true}
	t.Cleanup(tr.CloseIdleConnections)
	return &tlsGraphmock{srv: srv, base: ts.URL, tls: tr}
}

// credential is azidentity's client-secret credential aimed at graphmock's token service: its
// https authority host, its CA, no instance discovery. Token requests are counted.
func (g *tlsGraphmock) credential(t *testing.T, appID, secret string) *azidentity.ClientSecretCredential {
	t.Helper()
	counting := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/oauth2/v2.0/token") {
			g.tokenRequests.Add(1)
		}
		return g.tls.RoundTrip(r)
	})
	cred, err := azidentity.NewClientSecretCredential(fixtureTenantID, appID, secret, &azidentity.ClientSecretCredentialOptions{
		ClientOptions: azcore.ClientOptions{
			Cloud:     cloud.Configuration{ActiveDirectoryAuthorityHost: g.base + "/"},
			Transport: &http.Client{Transport: counting},
		},
		DisableInstanceDiscovery: true,
	})
	if err != nil {
		t.Fatalf("NewClientSecretCredential: %v", err)
	}
	return cred
}

// env builds a scenario whose SDK client authenticates with cred through Kiota's Azure
// Identity provider, and whose raw client sends the same credential's token; both go through
// the validating transport over graphmock's TLS.
func (g *tlsGraphmock) env(t *testing.T, cred azcore.TokenCredential) *env {
	t.Helper()
	totalsMu.Lock()
	scenarios = append(scenarios, t.Name())
	totalsMu.Unlock()

	e := &env{t: t, ctx: context.Background(), base: g.base, suffix: uniqueSuffix()}
	e.wire = NewValidatingTransport(g.tls, validator)
	e.raw = &http.Client{Transport: &bearer{cred: cred, next: e.wire}}

	auth, err := kiotaauth.NewAzureIdentityAuthenticationProviderWithScopesAndValidHosts(cred, graphScopes, []string{"127.0.0.1", "localhost"})
	if err != nil {
		t.Fatalf("NewAzureIdentityAuthenticationProviderWithScopesAndValidHosts: %v", err)
	}
	opts := msgraphsdk.GetDefaultClientOptions()
	httpClient := &http.Client{Transport: khttp.NewCustomTransportWithParentTransport(e.wire, msgraphgocore.GetDefaultMiddlewaresWithOptions(&opts)...)}
	adapter, err := msgraphsdk.NewGraphRequestAdapterWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(auth, nil, nil, httpClient)
	if err != nil {
		t.Fatalf("NewGraphRequestAdapter: %v", err)
	}
	adapter.SetBaseUrl(g.base + "/v1.0")
	e.client, e.adapter = msgraphsdk.NewGraphServiceClient(adapter), adapter
	t.Cleanup(e.finish)
	return e
}

// bearer adds the credential's access token to every request, as an application's own
// http.Client would.
type bearer struct {
	cred azcore.TokenCredential
	next http.RoundTripper

	mu sync.Mutex
}

func (b *bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	b.mu.Lock()
	// EnableCAE as Kiota's provider asks, so both share the credential's cached token.
	tok, err := b.cred.GetToken(r.Context(), policy.TokenRequestOptions{Scopes: graphScopes, EnableCAE: true})
	b.mu.Unlock()
	if err != nil {
		return nil, err
	}
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+tok.Token)
	return b.next.RoundTrip(r)
}

// azidentity and msgraph-sdk-go, unmodified, against graphmock over https with tokens required:
// the admin app's client-secret credential lists users, creates one and assigns it a license;
// the audit log names the app, not a user, as the initiator of both changes.
func TestAuthClientSecretCredentialWithSDK(t *testing.T) {
	t.Parallel()
	g := startTLSGraphmock(t)
	e := g.env(t, g.credential(t, adminAppID, adminSecret))

	page, err := e.client.Users().Get(e.ctx, nil)
	if err != nil {
		t.Fatalf("list users with the admin app's token: %v", err)
	}
	if len(page.GetValue()) == 0 {
		t.Fatalf("list users: no users in the default tenant")
	}

	e3 := e.skuByPart("ENTERPRISEPACK")
	sku := skuID(e3)
	uid := deref(e.createUser("quinn", "US").GetId())
	e.mustAssignUserLicense(uid, []license{{sku, nil}})
	if assigned(e.licensing(uid), sku) == nil {
		t.Fatalf("user %s has no E3 after assignLicense", uid)
	}

	for _, activity := range []string{"Add user", "Change user license"} {
		var found bool
		for _, a := range e.audits("activityDisplayName eq '"+activity+"'", 0) {
			if !targets(a.GetTargetResources(), uid) {
				continue
			}
			found = true
			by := a.GetInitiatedBy()
			if by == nil {
				t.Fatalf("%q: no initiatedBy", activity)
			}
			if by.GetUser() != nil {
				t.Errorf("%q: initiatedBy.user %v, want null for an app-only token", activity, deref(by.GetUser().GetUserPrincipalName()))
			}
			app := by.GetApp()
			if app == nil {
				t.Fatalf("%q: initiatedBy.app is null, want the admin app", activity)
			}
			if got := deref(app.GetAppId()); got != adminAppID {
				t.Errorf("%q: initiatedBy.app.appId %q, want %q", activity, got, adminAppID)
			}
			if got := deref(app.GetDisplayName()); got != adminAppName {
				t.Errorf("%q: initiatedBy.app.displayName %q, want %q", activity, got, adminAppName)
			}
			if got := deref(app.GetServicePrincipalId()); got != adminServicePrincipal {
				t.Errorf("%q: initiatedBy.app.servicePrincipalId %q, want %q", activity, got, adminServicePrincipal)
			}
			if r := a.GetResult(); r == nil || *r != models.SUCCESS_OPERATIONRESULT {
				t.Errorf("%q: result %v, want success", activity, r)
			}
		}
		if !found {
			t.Errorf("no %q audit record targets user %s", activity, uid)
		}
	}

	// azidentity caches the token: one token request served every Graph call of the scenario.
	if n := g.tokenRequests.Load(); n != 1 {
		t.Errorf("token endpoint called %d times, want 1 (the credential caches its token)", n)
	}
	if st := e.wire.Stats(); st.Validated < 6 {
		t.Errorf("only %d Graph responses validated", st.Validated)
	}
}

// The reader app holds only read permissions: its token lists users, and assignLicense answers
// 403 Authorization_RequestDenied, surfaced by the SDK as an *odataerrors.ODataError. Nothing
// changes.
func TestAuthReadOnlyAppDenied(t *testing.T) {
	t.Parallel()
	g := startTLSGraphmock(t)
	e := g.env(t, g.credential(t, readerAppID, readerSecret))

	page, err := e.client.Users().Get(e.ctx, nil)
	if err != nil {
		t.Fatalf("list users with the reader app's token: %v", err)
	}
	if len(page.GetValue()) == 0 {
		t.Fatalf("list users: no users")
	}
	uid := deref(page.GetValue()[0].GetId())
	sku := skuID(e.skuByPart("ENTERPRISEPACK"))
	before := e.licensing(uid).GetAssignedLicenses()

	_, err = e.assignUserLicense(uid, []license{{sku, nil}})
	wantODataError(t, err, http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
	var oe *odataerrors.ODataError
	if errors.As(err, &oe) {
		if h := oe.GetResponseHeaders(); h == nil {
			t.Errorf("ODataError without response headers")
		} else if got := h.Get("x-graphmock-required-permissions"); len(got) == 0 || !strings.Contains(strings.Join(got, ","), "LicenseAssignment.ReadWrite.All") {
			t.Errorf("x-graphmock-required-permissions %v, want it to name LicenseAssignment.ReadWrite.All", got)
		}
	}
	if after := e.licensing(uid).GetAssignedLicenses(); len(after) != len(before) {
		t.Errorf("assignedLicenses changed from %d to %d entries after a denied assignLicense", len(before), len(after))
	}
}

// A wrong client secret: graphmock's token service answers 401 invalid_client AADSTS7000215 and
// azidentity reports an *azidentity.AuthenticationFailedError, directly and through the SDK.
func TestAuthWrongSecret(t *testing.T) {
	t.Parallel()
	g := startTLSGraphmock(t)
	cred := g.credential(t, adminAppID, "not-the-secret")

	_, err := cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: graphScopes})
	wantAuthFailed(t, err)

	e := g.env(t, cred)
	_, err = e.client.Users().Get(e.ctx, nil)
	wantAuthFailed(t, err)
	if st := e.wire.Stats(); st.Validated != 0 {
		t.Errorf("%d Graph requests were sent without a token", st.Validated)
	}
}

// Without a token (the SDK's anonymous provider over the same TLS transport) every Graph call
// is refused with 401 InvalidAuthenticationToken and Graph's WWW-Authenticate challenge.
func TestAuthAnonymousRefused(t *testing.T) {
	t.Parallel()
	g := startTLSGraphmock(t)
	e := g.env(t, g.credential(t, adminAppID, adminSecret))
	client, _, err := NewGraphClient(g.base, e.wire)
	if err != nil {
		t.Fatalf("NewGraphClient: %v", err)
	}
	_, err = client.Users().Get(e.ctx, nil)
	wantODataError(t, err, http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token is empty.")
	var oe *odataerrors.ODataError
	if errors.As(err, &oe) && oe.GetResponseHeaders() != nil {
		if got := strings.Join(oe.GetResponseHeaders().Get("WWW-Authenticate"), ","); !strings.HasPrefix(got, "Bearer ") {
			t.Errorf("WWW-Authenticate %q, want a Bearer challenge", got)
		}
	}
	if n := g.tokenRequests.Load(); n != 0 {
		t.Errorf("token endpoint called %d times by an anonymous client", n)
	}
}

func wantAuthFailed(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error with a wrong client secret")
	}
	var afe *azidentity.AuthenticationFailedError
	if !errors.As(err, &afe) {
		t.Fatalf("error %T %v, want *azidentity.AuthenticationFailedError", err, err)
	}
	if !strings.Contains(afe.Error(), "AADSTS7000215") {
		t.Errorf("AuthenticationFailedError does not mention AADSTS7000215: %v", afe)
	}
	if afe.RawResponse == nil || afe.RawResponse.StatusCode != http.StatusUnauthorized {
		t.Errorf("AuthenticationFailedError.RawResponse %v, want the token endpoint's 401", afe.RawResponse)
	}
}

// targets reports whether one of the audit record's target resources is the object id.
func targets(trs []models.TargetResourceable, id string) bool {
	for _, tr := range trs {
		if deref(tr.GetId()) == id {
			return true
		}
	}
	return false
}
