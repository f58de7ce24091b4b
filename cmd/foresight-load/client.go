package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// Connections are spread over several loopback source addresses: one
// address has about 28,000 ephemeral ports, and a run of 10,000 streams
// plus the rating connections (and their TIME_WAIT leftovers) must not run
// out of them.

// setupClients resolves the target and builds one transport per source
// address.
func (ld *load) setupClients() error {
	host, port := ld.cfg.base.Hostname(), ld.cfg.base.Port()
	if port == "" {
		port = "80"
	}
	ld.hostHeader = ld.cfg.base.Host
	ip := net.ParseIP(host)
	if host == "localhost" {
		ip = net.IPv4(127, 0, 0, 1)
	}
	ld.dialAddr = net.JoinHostPort(ip.String(), port)
	if ip.To4() == nil {
		// ::1 has no neighbours to spread over.
		ld.srcIPs = []net.IP{nil}
	} else {
		for i := range ld.cfg.sources {
			ld.srcIPs = append(ld.srcIPs, net.IPv4(127, 0, 0, byte(1+i)))
		}
	}
	perSource := max(1, ld.cfg.conns/len(ld.srcIPs))
	for i := range ld.srcIPs {
		tr := &http.Transport{
			DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
				return ld.dial(ctx, i)
			},
			MaxIdleConns:          0,
			MaxIdleConnsPerHost:   perSource,
			MaxConnsPerHost:       perSource,
			IdleConnTimeout:       90 * time.Second,
			ResponseHeaderTimeout: ld.cfg.timeout,
			DisableCompression:    true,
		}
		ld.transports = append(ld.transports, tr)
		ld.clients = append(ld.clients, &http.Client{
			Transport: tr,
			Timeout:   ld.cfg.timeout,
			// Like a form post without JavaScript we look at the 303
			// itself; the page is fetched on purpose when wanted.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		})
	}
	return nil
}

// dial opens a TCP connection to the server from source address src.
func (ld *load) dial(ctx context.Context, src int) (net.Conn, error) {
	d := net.Dialer{Timeout: 10 * time.Second}
	network := "tcp"
	if ip := ld.srcIPs[src%len(ld.srcIPs)]; ip != nil {
		d.LocalAddr = &net.TCPAddr{IP: ip}
		network = "tcp4"
	}
	return d.DialContext(ctx, network, ld.dialAddr)
}

// closeClients drops idle connections.
func (ld *load) closeClients() {
	for _, tr := range ld.transports {
		tr.CloseIdleConnections()
	}
}

// response is an answer read to its end.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends one request from source src with cookie (may be empty) and
// reads the whole answer. Requests look like a browser's fetch from the
// same site, which cross-origin protection lets through.
func (ld *load) do(ctx context.Context, src int, method, path, cookie, contentType string, body []byte) (response, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, ld.cfg.base.String()+path, rd)
	if err != nil {
		return response{}, err
	}
	req.Host = ld.hostHeader
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := ld.clients[src%len(ld.clients)].Do(req)
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
