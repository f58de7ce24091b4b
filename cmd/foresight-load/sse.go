package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Live streams do not go through http.Client: ten thousand of them would
// cost three goroutines and two buffers each there. A stream is one
// connection, one goroutine and a small buffer: a request written by hand,
// the answer's header read by net/http, the chunked body counted as it
// arrives.

// retryDelay is what the server asks for in its "retry:" line.
const retryDelay = 2 * time.Second

// openStream sends GET path with cookie to server t from source src and
// reads the answer's header. The caller reads the body and closes the
// connection.
func (ld *load) openStream(ctx context.Context, t *target, src int, path, cookie string) (net.Conn, io.Reader, error) {
	conn, err := t.dial(ctx, src)
	if err != nil {
		return nil, nil, err
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	req := "GET " + path + " HTTP/1.1\r\nHost: " + t.hostHeader + "\r\nAccept: text/event-stream\r\nCache-Control: no-store\r\nSec-Fetch-Site: same-origin\r\nCookie: " + cookie + "\r\n\r\n"
	conn.SetDeadline(time.Now().Add(ld.cfg.timeout))
	if _, err := io.WriteString(conn, req); err != nil {
		stop()
		conn.Close()
		return nil, nil, err
	}
	br := bufio.NewReaderSize(conn, 1024)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		stop()
		conn.Close()
		return nil, nil, err
	}
	if resp.StatusCode != http.StatusOK {
		stop()
		conn.Close()
		return nil, nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	// A stream may stay quiet for its keep-alive interval (20 s).
	conn.SetDeadline(time.Time{})
	return &stoppingConn{Conn: conn, stop: stop}, resp.Body, nil
}

// stoppingConn releases the context hook when closed.
type stoppingConn struct {
	net.Conn
	stop func() bool
}

func (c *stoppingConn) Close() error { c.stop(); return c.Conn.Close() }

// eventCounter counts SSE events in a byte stream by their "event:" lines,
// across reads.
type eventCounter struct{ pos int }

var eventPrefix = []byte("event:")

func (c *eventCounter) count(b []byte) int {
	n := 0
	for _, x := range b {
		switch {
		case x == '\n':
			c.pos = 0
		case c.pos < 0:
		case x == eventPrefix[c.pos]:
			if c.pos++; c.pos == len(eventPrefix) {
				n++
				c.pos = -1
			}
		default:
			c.pos = -1
		}
	}
	return n
}

// participantStream keeps a participant's page stream open until ctx ends,
// reconnecting as a browser does after the server's retry delay.
func (ld *load) participantStream(ctx context.Context, p *participant) {
	path := "/w/" + p.room.code + "/events"
	start := time.Now()
	buf := make([]byte, 2048)
	for ctx.Err() == nil {
		conn, body, err := ld.openStream(ctx, p.server, p.src, path, p.cookie)
		if err != nil {
			if ctx.Err() == nil {
				ld.streamErrs.add(streamErrClass(err))
				sleepCtx(ctx, retryDelay)
			}
			continue
		}
		p.connects.Add(1)
		ld.connected.Add(1)
		var ec eventCounter
		for {
			n, err := body.Read(buf)
			if n > 0 {
				p.bytes.Add(int64(n))
				if e := ec.count(buf[:n]); e > 0 {
					p.events.Add(int64(e))
					if !p.firstSeen.Load() {
						p.firstSeen.Store(true)
						ld.connect.add(time.Since(start))
					}
				}
			}
			if err != nil {
				break
			}
		}
		ld.connected.Add(-1)
		conn.Close()
		if ctx.Err() == nil {
			ld.streamErrs.add("dropped")
			sleepCtx(ctx, retryDelay)
		}
	}
}

func streamErrClass(err error) string {
	s := err.Error()
	if len(s) > 10 && s[:7] == "status " {
		return s[7:]
	}
	return statusClass(0, err)
}

func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// projector watches one facilitator stream. JSON streams record the time
// and seq of every snapshot, for vote-to-screen latency.
type projector struct {
	room   *room
	server *target
	path   string
	json   bool
	mu     sync.Mutex
	seen   []seqAt // in arrival order
	events int64
	bytes  int64
	errs   []string
}

type seqAt struct {
	at  time.Time
	seq int64
}

// watchProjectors opens the facilitator's streams of every room: JSON
// results (which carry seq) and the HTML projector. Stream j of each kind
// watches server j mod n, so that with several servers the screens also
// show ratings that were sent to another server.
func (ld *load) watchProjectors(ctx context.Context) {
	if ld.facCookie == "" {
		return
	}
	n := len(ld.targets)
	for _, rm := range ld.rooms {
		for j := range ld.cfg.projectors {
			rm.projectors = append(rm.projectors, &projector{room: rm, server: ld.targets[j%n], path: "/api/v1/workshops/" + rm.code + "/events", json: true})
		}
		for j := range ld.cfg.htmlProjectors {
			rm.projectors = append(rm.projectors, &projector{room: rm, server: ld.targets[j%n], path: "/workshops/" + rm.code + "/projector/events"})
		}
		ld.projectors = append(ld.projectors, rm.projectors...)
	}
	for i, pr := range ld.projectors {
		ld.streams.Go(func() { ld.projectorStream(ctx, i, pr) })
	}
}

var seqKey = []byte(`"seq":`)

func (ld *load) projectorStream(ctx context.Context, src int, pr *projector) {
	for ctx.Err() == nil {
		conn, body, err := ld.openStream(ctx, pr.server, src, pr.path, ld.facCookie)
		if err != nil {
			if ctx.Err() == nil {
				pr.mu.Lock()
				pr.errs = append(pr.errs, err.Error())
				pr.mu.Unlock()
				sleepCtx(ctx, retryDelay)
			}
			continue
		}
		br := bufio.NewReaderSize(body, 256<<10)
		var ec eventCounter
		for {
			line, err := br.ReadSlice('\n')
			now := time.Now()
			pr.mu.Lock()
			pr.bytes += int64(len(line))
			pr.events += int64(ec.count(line))
			if pr.json && bytes.HasPrefix(line, []byte("data:")) {
				if seq, ok := parseSeq(line[5:]); ok {
					pr.seen = append(pr.seen, seqAt{now, seq})
				}
			}
			pr.mu.Unlock()
			if err != nil && err != bufio.ErrBufferFull {
				break
			}
		}
		conn.Close()
		if ctx.Err() == nil {
			pr.mu.Lock()
			pr.errs = append(pr.errs, "dropped")
			pr.mu.Unlock()
			sleepCtx(ctx, retryDelay)
		}
	}
}

// parseSeq finds the snapshot's "seq" (the results API writes it second)
// without decoding the whole document; it falls back to decoding.
func parseSeq(data []byte) (int64, bool) {
	if i := bytes.Index(data, seqKey); i >= 0 {
		rest := data[i+len(seqKey):]
		j := 0
		for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
			j++
		}
		if v, err := strconv.ParseInt(string(rest[:j]), 10, 64); err == nil {
			return v, true
		}
	}
	var v struct {
		Seq *int64 `json:"seq"`
	}
	if json.Unmarshal(data, &v) == nil && v.Seq != nil {
		return *v.Seq, true
	}
	return 0, false
}

// voteToScreen is, for each acknowledged rating of room rm, the time from
// its ack to the first snapshot on a JSON projector of the room whose seq
// includes it (0 when the screen showed it before the ack arrived).
// Ratings no screen showed before the end are counted apart.
func (rm *room) voteToScreen(acks []seqAt) (lat []time.Duration, unseen int) {
	for _, pr := range rm.projectors {
		if !pr.json {
			continue
		}
		pr.mu.Lock()
		seen := pr.seen
		pr.mu.Unlock()
		for _, a := range acks {
			// seen is in arrival order and seq never goes back on one
			// stream, so the first snapshot with seq >= a.seq is found
			// by binary search.
			lo, hi := 0, len(seen)
			for lo < hi {
				m := (lo + hi) / 2
				if seen[m].seq >= a.seq {
					hi = m
				} else {
					lo = m + 1
				}
			}
			if lo == len(seen) {
				unseen++
				continue
			}
			lat = append(lat, max(0, seen[lo].at.Sub(a.at)))
		}
	}
	return lat, unseen
}

func (ld *load) projectorReport() []ProjectorReport {
	var out []ProjectorReport
	for _, pr := range ld.projectors {
		pr.mu.Lock()
		out = append(out, ProjectorReport{Server: pr.server.base.String(), Path: pr.path, Events: pr.events, Bytes: pr.bytes, Errors: len(pr.errs)})
		pr.mu.Unlock()
	}
	return out
}
