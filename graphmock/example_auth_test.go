package graphmock_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/graphmock/graphmock/graphmock"
)

// A client-credentials token from graphmock's token endpoint, then a Graph call with it, over
// https trusting graphmock's CA, with permissions enforced.
func ExampleServer_ClientTLSConfig() {
	srv, err := graphmock.New(graphmock.Options{TLS: &graphmock.TLSOptions{}, Auth: graphmock.AuthOn})
	if err != nil {
		panic(err)
	}
	ts := httptest.NewUnstartedServer(srv)
	ts.TLS = srv.TLSConfig()
	ts.StartTLS()
	defer ts.Close()
	base := strings.Replace(ts.URL, "127.0.0.1", "localhost", 1)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: srv.ClientTLSConfig()}}

	resp, err := client.PostForm(base+"/larkspur.example/oauth2/v2.0/token", url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {"b8f3c6d2-9e1a-4a7b-8c05-4d2e6f8a0b39"}, // graphmock reader
		"client_secret": {"graphmock-reader-secret"},
		"scope":         {"https://graph.microsoft.com/.default"},
	})
	if err != nil {
		panic(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()

	for _, method := range []string{http.MethodGet, http.MethodPost} {
		req, _ := http.NewRequest(method, base+"/v1.0/users", strings.NewReader(`{}`))
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		fmt.Println(strings.TrimSpace(fmt.Sprint(method, " ", resp.StatusCode, " ", resp.Header.Get(graphmock.RequiredPermissionsHeader))))
	}
	// Output:
	// GET 200
	// POST 403 User.ReadWrite.All, Directory.ReadWrite.All
}
