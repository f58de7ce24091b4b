package http

import (
	"bufio"
	"bytes"
	"strings"
	"testing"
)

// An event-stream parser as the HTML standard defines it ("Interpreting an
// event stream"), for the tests here and in package http_test: lines end
// in CRLF, LF or a lone CR; "event", "data", "id" and "retry" are fields;
// a blank line dispatches an event that has data.

// ScanEventLines is a bufio.SplitFunc for the lines of an event stream.
func ScanEventLines(data []byte, atEOF bool) (advance int, token []byte, err error) {
	i := bytes.IndexAny(data, "\r\n")
	switch {
	case i < 0 && atEOF && len(data) > 0:
		return len(data), data, nil // a last line without its end: the parser drops it
	case i < 0:
		return 0, nil, nil
	case data[i] == '\n':
		return i + 1, data[:i], nil
	case i+1 < len(data):
		if data[i+1] == '\n' {
			return i + 2, data[:i], nil
		}
		return i + 1, data[:i], nil
	case atEOF:
		return i + 1, data[:i], nil
	}
	return 0, nil, nil // a CR at the end of what was read: an LF may follow
}

// StreamEvent is one dispatched event.
type StreamEvent struct{ Name, Data string }

// EventParser reads an event stream line by line. Retries and IDs record
// every "retry" and "id" field that took effect.
type EventParser struct {
	name    string
	data    strings.Builder
	hasData bool
	Retries []string
	IDs     []string
}

// Line takes one line and returns the event it dispatches, if any.
func (p *EventParser) Line(line string) (StreamEvent, bool) {
	if line == "" {
		defer func() { p.name, p.hasData = "", false; p.data.Reset() }()
		if !p.hasData {
			return StreamEvent{}, false
		}
		name := p.name
		if name == "" {
			name = "message"
		}
		return StreamEvent{Name: name, Data: strings.TrimSuffix(p.data.String(), "\n")}, true
	}
	if line[0] == ':' {
		return StreamEvent{}, false
	}
	field, value, found := strings.Cut(line, ":")
	if found {
		value = strings.TrimPrefix(value, " ")
	}
	switch field {
	case "event":
		p.name = value
	case "data":
		p.data.WriteString(value)
		p.data.WriteByte('\n')
		p.hasData = true
	case "id":
		if !strings.ContainsRune(value, 0) {
			p.IDs = append(p.IDs, value)
		}
	case "retry":
		if value != "" && strings.Trim(value, "0123456789") == "" {
			p.Retries = append(p.Retries, value)
		}
	}
	return StreamEvent{}, false
}

// ParseEventStream parses a whole stream.
func ParseEventStream(stream []byte) ([]StreamEvent, *EventParser) {
	var p EventParser
	var out []StreamEvent
	sc := bufio.NewScanner(bytes.NewReader(stream))
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	sc.Split(ScanEventLines)
	for sc.Scan() {
		if ev, ok := p.Line(sc.Text()); ok {
			out = append(out, ev)
		}
	}
	return out, &p
}

// newlinesToLF is what an event's data becomes on the wire: its line ends
// made LF.
func newlinesToLF(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// FuzzSSEFrame: for any data, the parsed stream yields exactly the event
// that was written, with its line ends made LF, and no other field takes
// effect; so does a stream of several events.
func FuzzSSEFrame(f *testing.F) {
	f.Add("AAA\revent: INJECTED\rdata: BBB\r\rretry: 86400000\rCCC", "plain")
	f.Add("line one\r\nline two\nline three\r", "")
	f.Add("\n\n\r\r\r\n", "id: 7\n\nretry: 1\n")
	f.Add("", ":comment")
	f.Add("<div>\u2028\u2029\u0085</div>", "data:x")
	f.Fuzz(func(t *testing.T, a, b string) {
		stream := append(sseFrame("results", []byte(a)), sseFrame("rationales", []byte(b))...)
		events, p := ParseEventStream(stream)
		want := []StreamEvent{{"results", newlinesToLF(a)}, {"rationales", newlinesToLF(b)}}
		if len(events) != len(want) {
			t.Fatalf("%q parsed as %d events %q, want %q", stream, len(events), events, want)
		}
		for i := range want {
			if events[i] != want[i] {
				t.Fatalf("event %d is %q, want %q", i, events[i], want[i])
			}
		}
		if len(p.Retries) > 0 || len(p.IDs) > 0 {
			t.Fatalf("%q set retry %q and id %q", stream, p.Retries, p.IDs)
		}
	})
}

func TestSSEFrameInjection(t *testing.T) {
	reason := "AAA\revent: INJECTED\rdata: BBB\r\rretry: 86400000\rCCC"
	got := string(sseFrame("rationales", []byte(reason)))
	want := "event: rationales\ndata: AAA\ndata: event: INJECTED\ndata: data: BBB\ndata: \ndata: retry: 86400000\ndata: CCC\n\n"
	if got != want {
		t.Fatalf("sseFrame = %q, want %q", got, want)
	}
}
