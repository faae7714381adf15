package main

import (
	"io"
	"testing"
	"time"
)

func TestParseConfigProcessing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		mode    string
		delay   time.Duration
		wantErr bool
	}{
		{name: "defaults", mode: "async"},
		{name: "flags", args: []string{"--processing", "manual", "--processing-delay", "2s"}, mode: "manual", delay: 2 * time.Second},
		{name: "environment", env: map[string]string{"GRAPHMOCK_PROCESSING": "immediate", "GRAPHMOCK_PROCESSING_DELAY": "250ms"}, mode: "immediate", delay: 250 * time.Millisecond},
		{name: "flag wins", args: []string{"--processing", "async"}, env: map[string]string{"GRAPHMOCK_PROCESSING": "manual"}, mode: "async"},
		{name: "bad mode", args: []string{"--processing", "later"}, wantErr: true},
		{name: "bad delay", env: map[string]string{"GRAPHMOCK_PROCESSING_DELAY": "soon"}, wantErr: true},
		{name: "negative delay", args: []string{"--processing-delay", "-1s"}, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := parseConfig(tc.args, func(k string) string { return tc.env[k] }, io.Discard)
			if tc.wantErr {
				if err == nil {
					t.Fatalf("no error for %v %v", tc.args, tc.env)
				}
				return
			}
			if err != nil || c.processing != tc.mode || c.processingDelay != tc.delay {
				t.Fatalf("config = %q %s, err %v", c.processing, c.processingDelay, err)
			}
		})
	}
}
