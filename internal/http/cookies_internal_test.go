package http

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gorilla/securecookie"
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

// Cookies are written as JSON; cookies written with gob before the change
// still read, and values that are not strings are refused, not mangled.
func TestCookieSerializer(t *testing.T) {
	store := newCookieStore(testCookieKeys...)
	codec := store.Codecs[0]
	want := testCookieValues()

	oldCodec := securecookie.New(testCookieKeys[0], testCookieKeys[1]) // gob, as before
	old, err := oldCodec.Encode(participantCookie, want)
	if err != nil {
		t.Fatal(err)
	}
	var got map[any]any
	if err := codec.Decode(participantCookie, old, &got); err != nil {
		t.Fatalf("a gob cookie from before does not read: %v", err)
	}
	if !maps.Equal(got, want) {
		t.Fatalf("gob cookie read as %v, want %v", got, want)
	}

	encoded, err := codec.Encode(participantCookie, want)
	if err != nil {
		t.Fatal(err)
	}
	got = nil
	if err := codec.Decode(participantCookie, encoded, &got); err != nil || !maps.Equal(got, want) {
		t.Fatalf("round trip: %v, %v", got, err)
	}
	raw := securecookie.New(testCookieKeys[0], testCookieKeys[1])
	raw.SetSerializer(securecookie.NopEncoder{})
	var plain []byte
	if err := raw.Decode(participantCookie, encoded, &plain); err != nil {
		t.Fatal(err)
	}
	var asJSON map[string]string
	if err := json.Unmarshal(plain, &asJSON); err != nil || len(asJSON) != len(want) {
		t.Fatalf("the cookie holds %q, want a JSON object of %d strings", plain, len(want))
	}

	if _, err := codec.Encode(participantCookie, map[any]any{"n": 7}); err == nil {
		t.Fatal("a number was written into a cookie; only strings are kept")
	}
	var wrong map[string]any
	if err := codec.Decode(participantCookie, encoded, &wrong); err == nil {
		t.Fatal("decoded into a map of another type")
	}
}

// BenchmarkCookieDecode reads a participant cookie as every participant
// request does: with gob (the library's default, before) and with JSON.
func BenchmarkCookieDecode(b *testing.B) {
	gobCodec := securecookie.New(testCookieKeys[0], testCookieKeys[1])
	jsonCodec := newCookieStore(testCookieKeys...).Codecs[0]
	for _, c := range []struct {
		name  string
		codec securecookie.Codec
	}{{"gob", gobCodec}, {"json", jsonCodec}} {
		b.Run(c.name, func(b *testing.B) {
			value, err := c.codec.Encode(participantCookie, testCookieValues())
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				var got map[any]any
				if err := c.codec.Decode(participantCookie, value, &got); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
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

	// Past its bound the cache starts again.
	var c joinedCache
	big := strings.Repeat("x", maxJoinedCookieBytes/2)
	c.put(big+"1", nil)
	c.put(big+"2", nil)
	if len(c.m) != 1 || c.bytes != len(big)+1 {
		t.Fatalf("after passing the bound: %d entries, %d bytes", len(c.m), c.bytes)
	}
}
