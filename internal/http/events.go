package http

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/a-h/templ"

	"foresight/internal/live"
	"foresight/internal/workshop"
)

const (
	// sseWriteTimeout is how long one write to a live stream may take
	// before the client counts as gone.
	sseWriteTimeout = 30 * time.Second
	// sseKeepAlive keeps proxies and phones from closing a quiet stream.
	sseKeepAlive = 20 * time.Second
	// participantEvery is the least time between two updates of a
	// participant's page. Projectors and facilitators get every flush (up to
	// live.MaxUpdatesPerSecond); a phone's group results once a second are
	// plenty, and in a room of 10,000 the writes to every phone are most of
	// the server's work.
	participantEvery = time.Second
)

// stream serves a workshop's live updates as server-sent events: the full
// current state at once, then each change, coalesced by the hub. Each part
// of a message (one SSE event) is sent only when it differs from the last
// one sent, so a page swaps only what changed.
//
// every is the least time between two messages (0: as fast as the hub
// flushes). v says who watches and how to ask whether they still may: the
// stream ends as soon as the answer is no.
func (s *Server) stream(w http.ResponseWriter, r *http.Request, ws *workshop.Workshop, key string, every time.Duration, render live.RenderFunc, v viewer) {
	sub, err := s.live.SubscribeEvery(r.Context(), ws.ID, key, v.Viewer, render, every)
	if err != nil {
		s.error(w, r, err)
		return
	}
	defer sub.Close()
	// The right to watch was checked before the subscription existed: a
	// change committed in between told no one, so ask once more.
	if !v.alive(r.Context()) {
		s.error(w, r, workshop.Errorf(workshop.EUnauthorized, "error.please_sign_in_sentence"))
		return
	}
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // tell nginx-style proxies not to buffer
	w.WriteHeader(http.StatusOK)
	// The server's WriteTimeout would cut a long stream: extend the
	// deadline as the stream goes on instead. Moving it is not free (a
	// timer of the runtime's poller) and a room of 10,000 streams writes
	// up to 40,000 messages a second, so it moves only once less than half
	// of sseWriteTimeout is left: every write still has at least
	// sseWriteTimeout/2 before the client counts as gone.
	var deadline time.Time
	write := func(parts ...[]byte) error {
		if now := time.Now(); deadline.Sub(now) < sseWriteTimeout/2 {
			deadline = now.Add(sseWriteTimeout)
			if err := rc.SetWriteDeadline(deadline); err != nil {
				return err
			}
		}
		// The parts go straight into the response's buffer, without
		// being joined into a new slice for every stream, then one flush.
		for _, b := range parts {
			if _, err := w.Write(b); err != nil {
				return err
			}
		}
		return rc.Flush()
	}
	// Reconnect quickly after a restart.
	if write([]byte("retry: 2000\n\n")) != nil {
		return
	}
	keepAlive := time.NewTicker(sseKeepAlive)
	defer keepAlive.Stop()
	var last, changed [][]byte
	// A page that rendered this very state asks with ?since=SEQ: the first
	// message would repeat it, so it only becomes the baseline.
	if since := r.URL.Query().Get("since"); since != "" && since == strconv.FormatInt(sub.Seq, 10) {
		last = <-sub.C
	}
	for {
		select {
		case msg, ok := <-sub.C:
			if !ok {
				return
			}
			changed = changed[:0]
			for i, part := range msg {
				if i < len(last) && bytes.Equal(part, last[i]) {
					continue
				}
				changed = append(changed, part)
			}
			last = msg
			if len(changed) > 0 && write(changed...) != nil {
				return
			}
		case <-sub.Recheck():
			// The store announced a change of this viewer's right to
			// watch (on any server): a sign-out, a password, an account
			// disabled, a participant removed, a display link revoked.
			if !v.alive(r.Context()) {
				return
			}
		case <-keepAlive.C:
			if v.expires && !v.alive(r.Context()) {
				return
			}
			if write([]byte(": keep-alive\n\n")) != nil {
				return
			}
		case <-r.Context().Done():
			return
		case <-s.closing:
			return
		}
	}
}

// viewer is who watches a stream and how to check that they still may.
type viewer struct {
	live.Viewer
	// alive reports whether the viewer may still watch.
	alive func(context.Context) bool
	// expires is set where the right also ends by time alone (a session
	// that expires): alive is asked at every keep-alive too, not only
	// when the store announces a change.
	expires bool
}

// sseFrame formats one event. Every line of data gets a "data:" field of
// its own, whatever ends it: CRLF, LF and a lone CR all end a line for an
// event-stream parser, so text that contains any of them (a participant's
// reason, say) can never start a field ("event:", "retry:", "id:") or an
// event of its own. The parsed event's data is data with its line ends
// made LF.
func sseFrame(event string, data []byte) []byte {
	if strings.ContainsAny(event, "\r\n") {
		panic("sseFrame: an event name on more than one line") // names are constants
	}
	// The frame is kept (every subscriber of its kind holds it): one
	// allocation of its exact size, counted first.
	size := len("event: ") + len(event) + 1 + 1
	for rest := data; ; {
		end := lineEnd(rest)
		if end < 0 {
			size += len("data: ") + len(rest) + 1
			break
		}
		size += len("data: ") + end + 1
		rest = rest[end+lineEndLen(rest, end):]
	}
	b := make([]byte, 0, size)
	b = append(b, "event: "...)
	b = append(b, event...)
	b = append(b, '\n')
	for {
		end := lineEnd(data)
		line := data
		if end >= 0 {
			line = data[:end]
		}
		b = append(b, "data: "...)
		b = append(b, line...)
		b = append(b, '\n')
		if end < 0 {
			break
		}
		data = data[end+lineEndLen(data, end):]
	}
	return append(b, '\n')
}

// lineEnd is where the first line of data ends (CR or LF), or -1.
func lineEnd(data []byte) int { return bytes.IndexAny(data, "\r\n") }

// lineEndLen is the length of the line end at data[end]: CRLF is one.
func lineEndLen(data []byte, end int) int {
	if data[end] == '\r' && end+1 < len(data) && data[end+1] == '\n' {
		return 2
	}
	return 1
}

// renderBuffers are the buffers fragments render into before sseFrame
// copies them into their frame: one per render would be garbage the size
// of the fragment, and more while it grows. Buffers grown past
// maxRenderBuffer are not kept.
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

const maxRenderBuffer = 1 << 20

// sseHTML renders a fragment as one event. It runs in the hub's goroutine,
// detached from any request, once for all subscribers of its kind; ctx
// carries only the interface language (i18n.WithLang).
func sseHTML(ctx context.Context, event string, c templ.Component) []byte {
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= maxRenderBuffer {
			buf.Reset()
			renderBuffers.Put(buf)
		}
	}()
	if err := c.Render(ctx, buf); err != nil {
		return sseFrame("error", []byte("render failed"))
	}
	return sseFrame(event, buf.Bytes())
}
