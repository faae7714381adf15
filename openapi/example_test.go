package openapi_test

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/graphmock/graphmock/openapi"
)

func ExampleValidator_ValidateResponse() {
	v, err := openapi.Load()
	if err != nil {
		panic(err)
	}
	h := http.Header{"Content-Type": {"application/json"}}
	body := `{"id":"87d349ed-44d7-43e1-9a83-5f2406dee5bd","accountEnabled":"yes","shoeSize":9}`
	err = v.ValidateResponse("GET", "/users/87d349ed-44d7-43e1-9a83-5f2406dee5bd", 200, h, []byte(body))
	var verr *openapi.ValidationError
	if errors.As(err, &verr) {
		for _, vi := range verr.Violations {
			fmt.Printf("%s: %s\n", vi.Pointer, vi.Message)
		}
	}
	err = v.ValidateResponse("GET", "/users/87d349ed-44d7-43e1-9a83-5f2406dee5bd/ownedObjects", 200, h, []byte(`{}`))
	fmt.Println(errors.Is(err, openapi.ErrNotServed))
	// Output:
	// /accountEnabled: value must be a boolean
	// /shoeSize: unknown property "shoeSize": microsoft.graph.user declares no such property
	// true
}

func ExampleCoverage() {
	routes := []openapi.Operation{{Method: "GET", Path: "/users"}, {Method: "POST", Path: "/users/{id}/assignLicense"}}
	covered, unserved := openapi.Coverage(routes)
	fmt.Println(covered)
	fmt.Println(len(unserved) > 1000)
	// Output:
	// [GET /users POST /users/{user-id}/microsoft.graph.assignLicense]
	// true
}
