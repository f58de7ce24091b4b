package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// Connections are spread over several loopback source addresses: one
// address has about 28,000 ephemeral ports, and a run of 10,000 streams
// plus the rating connections (and their TIME_WAIT leftovers) must not run
// out of them.

// target is one server the generator drives, with its own connections and
// the counts of what it was sent.
type target struct {
	base       *url.URL
	dialAddr   string // ip:port of the server
	hostHeader string
	srcIPs     []net.IP
	transports []*http.Transport
	clients    []*http.Client

	joins, joinsFailed     atomic.Int64 // participants' joins sent, and those that did not join
	ratings, ratingsFailed atomic.Int64 // ratings sent, and those not acknowledged
}

// setupTargets resolves every server and builds, for each, one transport
// per source address.
func (ld *load) setupTargets() {
	for _, base := range ld.cfg.bases {
		ld.targets = append(ld.targets, newTarget(base, ld.cfg))
	}
}

func newTarget(base *url.URL, cfg config) *target {
	t := &target{base: base, hostHeader: base.Host}
	host, port := base.Hostname(), base.Port()
	if port == "" {
		port = "80"
	}
	ip := net.ParseIP(host)
	if host == "localhost" {
		ip = net.IPv4(127, 0, 0, 1)
	}
	t.dialAddr = net.JoinHostPort(ip.String(), port)
	if ip.To4() == nil {
		// ::1 has no neighbours to spread over.
		t.srcIPs = []net.IP{nil}
	} else {
		for i := range cfg.sources {
			t.srcIPs = append(t.srcIPs, net.IPv4(127, 0, 0, byte(1+i)))
		}
	}
	perSource := max(1, cfg.conns/len(t.srcIPs))
	for i := range t.srcIPs {
		tr := &http.Transport{
			DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
				return t.dial(ctx, i)
			},
			MaxIdleConns:          0,
			MaxIdleConnsPerHost:   perSource,
			MaxConnsPerHost:       perSource,
			IdleConnTimeout:       90 * time.Second,
			ResponseHeaderTimeout: cfg.timeout,
			DisableCompression:    true,
		}
		t.transports = append(t.transports, tr)
		t.clients = append(t.clients, &http.Client{
			Transport: tr,
			Timeout:   cfg.timeout,
			// Like a form post without JavaScript we look at the 303
			// itself; the page is fetched on purpose when wanted.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		})
	}
	return t
}

// dial opens a TCP connection to the server from source address src.
func (t *target) dial(ctx context.Context, src int) (net.Conn, error) {
	d := net.Dialer{Timeout: 10 * time.Second}
	network := "tcp"
	if ip := t.srcIPs[src%len(t.srcIPs)]; ip != nil {
		d.LocalAddr = &net.TCPAddr{IP: ip}
		network = "tcp4"
	}
	return d.DialContext(ctx, network, t.dialAddr)
}

// closeClients drops idle connections.
func (ld *load) closeClients() {
	for _, t := range ld.targets {
		for _, tr := range t.transports {
			tr.CloseIdleConnections()
		}
	}
}

// response is an answer read to its end.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends one request to the server from source src with cookie (may be
// empty) and reads the whole answer. Requests look like a browser's fetch
// from the same site, which cross-origin protection lets through.
func (t *target) do(ctx context.Context, src int, method, path, cookie, contentType string, body []byte) (response, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, t.base.String()+path, rd)
	if err != nil {
		return response{}, err
	}
	req.Host = t.hostHeader
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := t.clients[src%len(t.clients)].Do(req)
	if err != nil {
		return response{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return response{}, err
	}
	return response{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

// cookieNamed returns "name=value" of the cookie set by an answer whose
// name ends with name (the server adds __Host- over HTTPS).
func cookieNamed(h http.Header, name string) string {
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if strings.HasSuffix(c.Name, name) && c.Value != "" {
			return c.Name + "=" + c.Value
		}
	}
	return ""
}

// statusClass names an outcome for the error tables: "net" for a failure
// without an answer, otherwise the status code.
func statusClass(status int, err error) string {
	if err != nil {
		if ne, ok := err.(net.Error); ok && ne.Timeout() || strings.Contains(err.Error(), "deadline exceeded") {
			return "timeout"
		}
		return "net"
	}
	return fmt.Sprint(status)
}
