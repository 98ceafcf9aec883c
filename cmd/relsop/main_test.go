package main

import (
	"os"
	"testing"
)

// TestMain lets tests run this very binary as relsop: with RELSOP_TEST_MAIN=1
// it is the command, with the arguments it was given, so that tests can
// start `relsop serve` processes and kill them without building anything.
func TestMain(m *testing.M) {
	if os.Getenv("RELSOP_TEST_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}
