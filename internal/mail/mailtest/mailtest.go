// Package mailtest runs a real SMTP server for tests: aiosmtpd (Debian's
// python3-aiosmtpd) with smtpd.py, which keeps each message it takes in a
// Maildir, headed by what the test may check: whether TLS was used, who
// logged in, the envelope's recipient. Tests of internal/mail and of relsop
// serve's notification emails use it.
package mailtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	netmail "net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	_ "embed"

	"github.com/relsop/relsop/internal/mail"
	"github.com/relsop/relsop/internal/testenv"
)

// script is the server, written to each test's temporary directory.
//
//go:embed smtpd.py
var script []byte

// python is a python3 that can import aiosmtpd, "" when there is none.
var python = sync.OnceValue(func() string {
	for _, name := range []string{"/usr/bin/python3", "python3"} {
		path, err := exec.LookPath(name)
		if err == nil && exec.Command(path, "-c", "import aiosmtpd").Run() == nil {
			return path
		}
	}
	return ""
})

// Server is a real SMTP server, aiosmtpd running smtpd.py, that keeps the
// messages it takes in a Maildir.
type Server struct {
	Host, Port string
	Maildir    string
}

// Start starts smtpd.py on a free port of host with the flags given
// (--tls starttls|implicit --cert F --key F, --require-tls, --user U
// --password P, --fail-data N, --reject ADDRESS; see smtpd.py) and stops
// it when the test ends. Without aiosmtpd the test skips, or fails under
// RELSOP_REQUIRE_TOOLS=1.
func Start(t testing.TB, host string, flags ...string) *Server {
	t.Helper()
	py := python()
	if py == "" {
		testenv.Missing(t, "the aiosmtpd SMTP server (apt-get install python3-aiosmtpd)")
	}
	l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(l.Addr().String())
	l.Close()
	dir := t.TempDir()
	s := &Server{Host: host, Port: port, Maildir: filepath.Join(dir, "Maildir")}
	scriptPath := filepath.Join(dir, "smtpd.py")
	if err := os.WriteFile(scriptPath, script, 0o600); err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(dir, "smtpd.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	args := append([]string{scriptPath, "--host", host, "--port", port, "--maildir", s.Maildir}, flags...)
	cmd := exec.Command(py, args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	showLog := func() string { b, _ := os.ReadFile(logPath); return string(b) }
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
		if t.Failed() {
			t.Logf("smtpd.py said:\n%s", showLog())
		}
	})
	for deadline := time.Now().Add(10 * time.Second); ; {
		if c, err := net.DialTimeout("tcp", net.JoinHostPort(host, port), time.Second); err == nil {
			c.Close()
			return s
		}
		select {
		case <-exited:
			t.Fatalf("smtpd.py %s stopped:\n%s", strings.Join(flags, " "), showLog())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("smtpd.py took no connection on %s:%s within 10 s:\n%s", host, port, showLog())
		}
	}
}

// Config is a Config for s, from relsop <relsop@example.com>.
func (s *Server) Config() mail.Config {
	return mail.Config{Host: s.Host, Port: s.Port, From: &netmail.Address{Name: "relsop", Address: "relsop@example.com"}}
}

// URL is s's address as relsop serve --smtp takes it.
func (s *Server) URL() string { return "smtp://" + net.JoinHostPort(s.Host, s.Port) }

// Raw returns the messages s took, oldest first.
func (s *Server) Raw(t testing.TB) [][]byte {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(s.Maildir, "new"))
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	slices.Sort(names) // they start with the time in nanoseconds
	var msgs [][]byte
	for _, name := range names {
		b, err := os.ReadFile(filepath.Join(s.Maildir, "new", name))
		if err != nil {
			t.Fatal(err)
		}
		msgs = append(msgs, b)
	}
	return msgs
}

// Wait returns the messages s took once there are n, parsed; it fails the
// test when they have not come within 10 s, or more came.
func (s *Server) Wait(t testing.TB, n int) []*netmail.Message {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	raw := s.Raw(t)
	for len(raw) < n && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		raw = s.Raw(t)
	}
	if len(raw) != n {
		t.Fatalf("the server has %d messages, want %d", len(raw), n)
	}
	msgs := make([]*netmail.Message, n)
	for i, b := range raw {
		m, err := netmail.ReadMessage(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("message %d: %v\n%s", i, err, b)
		}
		msgs[i] = m
	}
	return msgs
}

// SelfSigned writes a certificate for 127.0.0.1 and localhost and its
// key, as PEM files for the server, and returns them with a pool that
// trusts the certificate, for the client.
func SelfSigned(t testing.TB) (certFile, keyFile string, roots *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "relsop test SMTP server"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	roots = x509.NewCertPool()
	roots.AddCert(cert)
	return certFile, keyFile, roots
}
