package graphmock_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/graphmock/graphmock/graphmock"
)

// FuzzSeed feeds arbitrary documents to POST /_graphmock/seed: the answer is 200 or a 4xx in the
// Graph envelope, never a 500 or a panic, and a refused seed leaves the state as it was.
func FuzzSeed(f *testing.F) {
	f.Add(smallFixture)
	f.Add(`{"organization":{"id":"` + otherTenantID + `","verifiedDomains":[{"name":"a.example"}]},"subscribedSkus":[],"users":[{}]}`)
	f.Add(`{"organization":{"id":"` + otherTenantID + `","verifiedDomains":[{"name":"a.example"}]},"groups":[{"displayName":"g","mailNickname":"g","securityEnabled":true,"members":["nobody"],"deletedDateTime":"x"}]}`)
	f.Add(`{}`)
	f.Add(`[`)
	s, err := graphmock.New(graphmock.Options{})
	if err != nil {
		f.Fatal(err)
	}
	c := &http.Client{Transport: graphmock.NewRoundTripper(s)}
	f.Fuzz(func(t *testing.T, doc string) {
		resp, err := c.Post("http://graphmock.test/_graphmock/seed", "application/json", strings.NewReader(doc))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK && (resp.StatusCode < 400 || resp.StatusCode >= 500) {
			t.Fatalf("status %d for %q: %s", resp.StatusCode, doc, b)
		}
		if resp.StatusCode != http.StatusOK && !strings.Contains(string(b), `"error":{"code":`) {
			t.Fatalf("not a Graph error: %s", b)
		}
	})
}
