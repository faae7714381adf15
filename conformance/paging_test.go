package conformance

import (
	"fmt"
	"testing"

	msgraphgocore "github.com/microsoftgraph/msgraph-sdk-go-core"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/users"
)

// 250 users, listed a page at a time with the SDK's PageIterator following @odata.nextLink.
func TestPageIteratorOverLargeUserList(t *testing.T) {
	e := newEnv(t)
	const n = 250
	dept := "Load " + e.suffix
	want := map[string]bool{}
	for i := range n {
		u := e.newUser(fmt.Sprintf("load%03d", i))
		u.SetDepartment(ptr(dept))
		got, err := e.client.Users().Post(e.ctx, u, nil)
		if err != nil {
			t.Fatalf("create user %d: %v", i, err)
		}
		want[deref(got.GetId())] = true
	}

	iterate := func(cfg *users.UsersRequestBuilderGetRequestConfiguration) (seen map[string]int, pages int) {
		t.Helper()
		first, err := e.client.Users().Get(e.ctx, cfg)
		if err != nil {
			t.Fatalf("list users: %v", err)
		}
		it, err := msgraphgocore.NewPageIterator[models.Userable](first, e.adapter, models.CreateUserCollectionResponseFromDiscriminatorValue)
		if err != nil {
			t.Fatalf("page iterator: %v", err)
		}
		before := e.wire.Stats().Operations["GET /users"]
		seen = map[string]int{}
		if err := it.Iterate(e.ctx, func(u models.Userable) bool {
			seen[deref(u.GetId())]++
			return true
		}); err != nil {
			t.Fatalf("iterate: %v", err)
		}
		return seen, e.wire.Stats().Operations["GET /users"] - before + 1
	}

	t.Run("filtered, 100 a page", func(t *testing.T) {
		seen, pages := iterate(&users.UsersRequestBuilderGetRequestConfiguration{
			QueryParameters: &users.UsersRequestBuilderGetQueryParameters{Filter: ptr("department eq '" + dept + "'"), Top: ptr(int32(100))},
		})
		if len(seen) != n || pages != 3 {
			t.Errorf("%d distinct users in %d pages, want %d in 3", len(seen), pages, n)
		}
		for id, c := range seen {
			if !want[id] || c != 1 {
				t.Errorf("user %s seen %d times (created here: %v)", id, c, want[id])
			}
		}
	})
	t.Run("whole directory, default page size", func(t *testing.T) {
		seen, pages := iterate(&users.UsersRequestBuilderGetRequestConfiguration{
			QueryParameters: &users.UsersRequestBuilderGetQueryParameters{Select: []string{"id", "displayName"}},
		})
		for id := range want {
			if seen[id] != 1 {
				t.Errorf("user %s seen %d times, want once", id, seen[id])
			}
		}
		if wantPages := (len(seen) + 99) / 100; pages != wantPages {
			t.Errorf("%d users in %d pages, want %d pages of at most 100", len(seen), pages, wantPages)
		}
	})
}
