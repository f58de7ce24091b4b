package http

import (
	"net/http/httptest"
	"testing"
)

// Secrets in paths (one-time and display links) never reach the log.
func TestLogPathHidesTokens(t *testing.T) {
	for path, want := range map[string]string{
		"/setup/abc123":              "/setup/{token}",
		"/display/s3cr3t/events":     "/display/{token}/events",
		"/invite/tok":                "/invite/{token}",
		"/reset/tok":                 "/reset/{token}",
		"/workshops/K7QFM2XD/events": "/workshops/K7QFM2XD/events",
	} {
		if got := logPath(httptest.NewRequest("GET", path, nil)); got != want {
			t.Errorf("logPath(%q) = %q, want %q", path, got, want)
		}
	}
}
