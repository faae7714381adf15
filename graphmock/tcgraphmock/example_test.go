package tcgraphmock_test

import (
	"context"
	"fmt"
	"io"
	"log"

	"github.com/testcontainers/testcontainers-go"

	"github.com/graphmock/graphmock/graphmock/tcgraphmock"
)

func ExampleRun() {
	ctx := context.Background()

	ctr, err := tcgraphmock.Run(ctx, "graphmock:dev",
		tcgraphmock.WithProcessingMode(tcgraphmock.ProcessingImmediate),
	)
	defer func() {
		if err := testcontainers.TerminateContainer(ctr); err != nil {
			log.Printf("terminate: %v", err)
		}
	}()
	if err != nil {
		log.Printf("run: %v", err)
		return
	}

	graphURL, err := ctr.GraphURL(ctx)
	if err != nil {
		log.Printf("graph URL: %v", err)
		return
	}
	client, err := ctr.HTTPClient(ctx)
	if err != nil {
		log.Printf("client: %v", err)
		return
	}
	resp, err := client.Get(graphURL + "/users")
	if err != nil {
		log.Printf("list users: %v", err)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, len(body) > 0)
}
