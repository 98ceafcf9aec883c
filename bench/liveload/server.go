// The relsop serve under test: building it, starting it on a free port
// (and again after set-up), stopping it, and counting its log lines by
// level.

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// server is the relsop serve under test.
type server struct {
	url  string
	bin  string
	args []string
	cmd  *exec.Cmd // nil with -server
	dir  string
	log  string
	done chan struct{}
}

// startServer builds relsop and runs `relsop serve` on a free port.
func startServer(ctx context.Context, cfg config) (*server, error) {
	dir, err := os.MkdirTemp("", "relsop-liveload-")
	if err != nil {
		return nil, err
	}
	s := &server{dir: dir, log: filepath.Join(dir, "serve.log"), bin: filepath.Join(dir, "relsop")}
	build := exec.CommandContext(ctx, "go", "build", "-o", s.bin, "./cmd/relsop")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("go build ./cmd/relsop (run liveload from the repository): %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	s.url = "http://" + addr
	s.args = []string{"serve", "--addr", addr, "--data", filepath.Join(dir, "data")}
	if cfg.db != "" {
		s.args = append(s.args, "--db", cfg.db)
	}
	if err := s.launch(); err != nil {
		s.cleanup(false)
		return nil, err
	}
	return s, nil
}

// launch starts the built server (again) and waits until it answers.
func (s *server) launch() error {
	lf, err := os.OpenFile(s.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	s.cmd = exec.Command(s.bin, s.args...)
	s.cmd.Stdout, s.cmd.Stderr = lf, lf
	if err := s.cmd.Start(); err != nil {
		lf.Close()
		return err
	}
	done := make(chan struct{})
	s.done = done
	go func() { s.cmd.Wait(); lf.Close(); close(done) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(s.url + "/api/me")
		if err == nil {
			resp.Body.Close()
			return nil
		}
		select {
		case <-done:
			out, _ := os.ReadFile(s.log)
			return fmt.Errorf("relsop serve stopped: %s", bytes.TrimSpace(out))
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.stop()
			return errors.New("relsop serve did not answer within 30 s")
		}
	}
}

// stop ends the server: Ctrl+C, then a kill after 15 s.
func (s *server) stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(15 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
}

func (s *server) cleanup(keep bool) {
	if s.dir == "" {
		return
	}
	if keep {
		logf("kept the server's folder %s", s.dir)
		return
	}
	os.RemoveAll(s.dir)
}

func (s *server) pid() int {
	if s.cmd == nil || s.cmd.Process == nil {
		return 0
	}
	return s.cmd.Process.Pid
}

// logCounts counts the server's log lines by level (JSON logs).
func (s *server) logCounts() map[string]int {
	out := map[string]int{}
	f, err := os.Open(s.log)
	if err != nil {
		return out
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l struct {
			Level string `json:"level"`
		}
		if json.Unmarshal(sc.Bytes(), &l) == nil && l.Level != "" && l.Level != "INFO" {
			out[l.Level]++
		}
	}
	return out
}
