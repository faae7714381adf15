//go:build !unix

package odata

import "time"

func cpuTime() time.Duration { return 0 }
