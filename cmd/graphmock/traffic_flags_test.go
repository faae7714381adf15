package main

import (
	"io"
	"testing"
	"time"
)

func TestTrafficFlags(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		args      []string
		env       map[string]string
		wantRead  int // 0 = throttling off
		wantDelay time.Duration
		wantErr   bool
	}{
		{"defaults", nil, nil, 0, 0, false},
		{"flag on", []string{"--throttle=on"}, nil, 3500, 0, false},
		{"env custom", nil, map[string]string{"GRAPHMOCK_THROTTLE": "read=10/1s"}, 10, 0, false},
		{"flag wins over env", []string{"--throttle=off"}, map[string]string{"GRAPHMOCK_THROTTLE": "on"}, 0, 0, false},
		{"bad throttle", []string{"--throttle=fast"}, nil, 0, 0, true},
		{"replication delay", []string{"--replication-delay=5s"}, nil, 0, 5 * time.Second, false},
		{"replication delay env", nil, map[string]string{"GRAPHMOCK_REPLICATION_DELAY": "250ms"}, 0, 250 * time.Millisecond, false},
		{"bad replication delay", []string{"--replication-delay=soon"}, nil, 0, 0, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := parseConfig(tc.args, func(k string) string { return tc.env[k] }, io.Discard)
			if tc.wantErr {
				if err == nil {
					t.Fatal("want an error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			read := 0
			if c.throttle != nil {
				read = c.throttle.ReadUnits
			}
			if read != tc.wantRead || c.replDelay != tc.wantDelay {
				t.Errorf("throttle read %d delay %v, want %d %v", read, c.replDelay, tc.wantRead, tc.wantDelay)
			}
		})
	}
}
