package mail_test

import (
	"bytes"
	"net"
	"sync"
	"testing"
)

// blackHole is a listener that takes connections and never answers, for
// attempts that hang; hangUp closes it and them, and runs when the test
// ends if not before.
func blackHole(t *testing.T) (host, port string, hangUp func()) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu     sync.Mutex
		conns  []net.Conn
		closed bool
	)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			if closed {
				c.Close()
			}
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	hangUp = sync.OnceFunc(func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		closed = true
		for _, c := range conns {
			c.Close()
		}
	})
	t.Cleanup(hangUp)
	host, port, _ = net.SplitHostPort(l.Addr().String())
	return host, port, hangUp
}

// logBuffer is a slog destination tests can read while workers write.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
