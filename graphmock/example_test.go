package graphmock_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/graphmock/graphmock/graphmock"
)

// A Go test can talk to graphmock without a port: the round tripper serves each request in-process.
// Here: list the users of the embedded default tenant with plain net/http.
func ExampleNewRoundTripper() {
	srv, err := graphmock.New(graphmock.Options{})
	if err != nil {
		panic(err)
	}
	client := &http.Client{Transport: graphmock.NewRoundTripper(srv)}

	resp, err := client.Get("https://graph.microsoft.com/v1.0/users?$select=displayName&$top=3")
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	var page struct {
		Value []struct {
			DisplayName string `json:"displayName"`
		} `json:"value"`
		NextLink string `json:"@odata.nextLink"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
		panic(err)
	}
	fmt.Println(resp.StatusCode, len(page.Value), page.NextLink != "")
	// Output: 200 3 true
}

// Create a user against a server on a loopback port (in a test, graphmock.NewTestServer(t, opts)
// does this and closes it with t.Cleanup), then ask the control plane's journal whether the code
// under test made that call.
func ExampleNew_createUser() {
	srv, err := graphmock.New(graphmock.Options{})
	if err != nil {
		panic(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()

	body := `{"accountEnabled": true, "displayName": "Ada Lovelace", "mailNickname": "ada",
		"userPrincipalName": "ada@larkspur.example", "passwordProfile": {"password": "Pa55-word!"}}`
	resp, err := http.Post(hs.URL+"/v1.0/users", "application/json", strings.NewReader(body))
	if err != nil {
		panic(err)
	}
	var user struct {
		ID                string `json:"id"`
		UserPrincipalName string `json:"userPrincipalName"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&user)
	resp.Body.Close()
	fmt.Println(resp.StatusCode, user.UserPrincipalName, len(user.ID))

	resp, err = http.Get(hs.URL + "/_graphmock/journal?method=POST&path=/users")
	if err != nil {
		panic(err)
	}
	var journal struct {
		Value []struct {
			Path   string `json:"path"`
			Status int    `json:"status"`
		} `json:"value"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&journal)
	resp.Body.Close()
	fmt.Println(len(journal.Value), journal.Value[0].Path, journal.Value[0].Status)
	// Output:
	// 201 ada@larkspur.example 36
	// 1 /v1.0/users 201
}
