.PHONY: run test build

# Serve the embedded default tenant on 127.0.0.1:8080.
run:
	go run ./cmd/graphmock

# Run every test (root module, conformance suite, container tests).
test:
	./scripts/test.sh

build:
	CGO_ENABLED=0 go build -trimpath -o graphmock-bin ./cmd/graphmock
