package http

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

var testCookieKeys = [][]byte{bytes.Repeat([]byte("h"), 32), bytes.Repeat([]byte("b"), 32)}

// A device's participant cookie: a few joined workshops.
func testCookieValues() map[any]any {
	v := map[any]any{}
	for i := range 3 {
		v[fmt.Sprintf("K7QFM2X%d", i)] = "3q2-7Gx0uHfP1yR9kZ8aWc4vLmN5bT6sD2eJ0oQiXpA"
	}
	return v
}

// A participant cookie is decoded once and then served from memory; one
// that does not decode gives no tokens and is not kept.
func TestJoinedWorkshopsCache(t *testing.T) {
	s := &Server{cookies: newCookieStore(testCookieKeys...)}
	value, err := s.cookies.Codecs[0].Encode(participantCookie, testCookieValues())
	if err != nil {
		t.Fatal(err)
	}
	request := func(value string) *http.Request {
		r := httptest.NewRequest("GET", "/w/K7QFM2X0", nil)
		r.AddCookie(&http.Cookie{Name: participantCookie, Value: value})
		return r
	}
	for range 2 {
		got := s.joinedWorkshops(request(value))
		if len(got) != 3 || got["K7QFM2X1"] != testCookieValues()["K7QFM2X1"] {
			t.Fatalf("tokens %v", got)
		}
		if len(s.joined.m) != 1 {
			t.Fatalf("%d cookies cached, want 1", len(s.joined.m))
		}
	}
	tampered := value[:len(value)-4] + "AAAA"
	if got := s.joinedWorkshops(request(tampered)); len(got) != 0 {
		t.Fatalf("a tampered cookie gave tokens %v", got)
	}
	if got := s.joinedWorkshops(httptest.NewRequest("GET", "/", nil)); len(got) != 0 {
		t.Fatalf("no cookie gave tokens %v", got)
	}
	if len(s.joined.m) != 1 {
		t.Fatalf("%d cookies cached, want only the valid one", len(s.joined.m))
	}

	// Past its bound the cache starts again; the tokens count too.
	var c joinedCache
	big := strings.Repeat("x", maxJoinedCookieBytes/2)
	c.put(cookieKey{"n", "a"}, map[string]string{"K7QFM2X0": big})
	c.put(cookieKey{"n", big}, nil)
	if len(c.m) != 1 || c.bytes != joinedEntryOverhead+1+len(big) {
		t.Fatalf("after passing the bound: %d entries, %d bytes", len(c.m), c.bytes)
	}
}

// BenchmarkJoinedWorkshops reads a participant cookie as every participant
// request does: decoding it (a device's first request) and from memory.
func BenchmarkJoinedWorkshops(b *testing.B) {
	s := &Server{cookies: newCookieStore(testCookieKeys...)}
	value, err := s.cookies.Codecs[0].Encode(participantCookie, testCookieValues())
	if err != nil {
		b.Fatal(err)
	}
	header := http.Header{"Cookie": {(&http.Cookie{Name: participantCookie, Value: value}).String()}}
	for _, cached := range []bool{false, true} {
		b.Run(map[bool]string{false: "decode", true: "cached"}[cached], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if !cached {
					s.joined = joinedCache{}
				}
				// A new request each time, as on the wire: the session
				// library keeps what it decoded per request.
				r := &http.Request{Method: "GET", Header: header}
				if len(s.joinedWorkshops(r)) != 3 {
					b.Fatal("tokens lost")
				}
			}
		})
	}
}
