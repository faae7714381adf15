package tcgraphmock_test

import (
	"os"
	"strings"
	"testing"
)

// TestMain sets two testcontainers-go defaults for these tests when they are
// not set already: the tests terminate their own containers, so the reaper
// container is not needed (TESTCONTAINERS_RYUK_DISABLED=true), and with a
// local engine the mapped ports are reached on loopback
// (TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1) rather than on the bridge
// gateway's address.
func TestMain(m *testing.M) {
	if _, ok := os.LookupEnv("TESTCONTAINERS_RYUK_DISABLED"); !ok {
		os.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	}
	if _, ok := os.LookupEnv("TESTCONTAINERS_HOST_OVERRIDE"); !ok {
		if host := os.Getenv("DOCKER_HOST"); host == "" || strings.HasPrefix(host, "unix://") {
			os.Setenv("TESTCONTAINERS_HOST_OVERRIDE", "127.0.0.1")
		}
	}
	os.Exit(m.Run())
}
