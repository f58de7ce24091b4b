package http_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	fhttp "foresight/internal/http"
	"foresight/internal/workshop"
)

// promptly bounds how long a revoked viewer's stream may go on in these
// tests. The guarantee is 1 s (the store announces the change and the
// stream checks at once); the bound is looser so that a slow machine cannot
// fail the test, and still far below the 20 s keep-alive, the only other
// moment a stream checks its viewer. The times are logged.
const promptly = 5 * time.Second

// openStream opens a live stream and waits for its first event; the
// channel closes when the server ends the stream.
func openStream(t *testing.T, c *client, path string) <-chan struct{} {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	res := c.send(t, ctx, http.MethodGet, path, nil)
	if res.StatusCode != http.StatusOK {
		res.Body.Close()
		t.Fatalf("GET %s: %d", path, res.StatusCode)
	}
	first := make(chan struct{})
	ended := make(chan struct{})
	go func() {
		defer close(ended)
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(make([]byte, 0, 64<<10), 4<<20)
		sc.Split(fhttp.ScanEventLines)
		var p fhttp.EventParser
		told := false
		for sc.Scan() {
			if _, ok := p.Line(sc.Text()); ok && !told {
				told = true
				close(first)
			}
		}
	}()
	select {
	case <-first:
	case <-ended:
		t.Fatalf("GET %s ended before its first event", path)
	case <-time.After(30 * time.Second):
		t.Fatalf("GET %s: no first event", path)
	}
	return ended
}

// wantEnded waits for every stream to end after what happened at start.
func wantEnded(t *testing.T, what string, start time.Time, streams map[string]<-chan struct{}) {
	t.Helper()
	for name, ended := range streams {
		select {
		case <-ended:
			t.Logf("%s: %s ended after %v", what, name, time.Since(start).Round(time.Millisecond))
		case <-time.After(promptly - time.Since(start)):
			t.Fatalf("%s: %s still streams after %v", what, name, promptly)
		}
	}
}

// wantOpen checks that streams of viewers whose right did not change go on.
func wantOpen(t *testing.T, what string, streams map[string]<-chan struct{}) {
	t.Helper()
	for name, ended := range streams {
		select {
		case <-ended:
			t.Fatalf("%s ended %s, which it does not concern", what, name)
		default:
		}
	}
}

// TestRevocationsEndStreamsAtOnce: a sign-out, a password change, a
// session ended on the Account page, an account disabled on the People
// page, a display link revoked, its owner disabled and a participant
// removed each end the live streams they concern at once, not at the next
// keep-alive; streams of others go on.
func TestRevocationsEndStreamsAtOnce(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	org := ts.user(t, "org@example.org", workshop.RoleOrganiser)
	fac := ts.user(t, "fac@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, fac, true)
	facStreams := func(c *client) map[string]<-chan struct{} {
		return map[string]<-chan struct{}{
			"the results page's stream": openStream(t, c, "/workshops/"+w.Code+"/events"),
			"the projector's stream":    openStream(t, c, "/workshops/"+w.Code+"/projector/events"),
			"the API's stream":          openStream(t, c, apiPath(w.Code, "/events")),
		}
	}
	orgC := ts.login(t, org.Email)
	bystander := map[string]<-chan struct{}{"the organiser's stream": openStream(t, orgC, "/workshops/"+w.Code+"/events")}

	t.Run("sign-out", func(t *testing.T) {
		c := ts.login(t, fac.Email)
		streams := facStreams(c)
		start := time.Now()
		c.postForm(t, "/logout", nil).wantRedirect(t, "/login")
		wantEnded(t, "sign-out", start, streams)
		wantOpen(t, "sign-out", bystander)
	})
	t.Run("password change", func(t *testing.T) {
		c, other := ts.login(t, fac.Email), ts.login(t, fac.Email)
		streams := facStreams(other)
		start := time.Now()
		c.postForm(t, "/account/password", url.Values{"current": {testPassword}, "password": {testPassword}, "confirm": {testPassword}}).want(t, http.StatusUnprocessableEntity)
		wantOpen(t, "a refused password change", streams)
		next := testPassword + " and more"
		c.postForm(t, "/account/password", url.Values{"current": {testPassword}, "password": {next}, "confirm": {next}}).wantRedirect(t, "/account?done=password")
		wantEnded(t, "password change", start, streams)
		wantOpen(t, "password change", bystander)
		if err := ts.db.SetPassword(context.Background(), fac.Email, testPassword); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("session ended on the Account page", func(t *testing.T) {
		phone := ts.login(t, fac.Email)
		handles := ts.sessionHandles(t, fac) // the phone's only
		if len(handles) != 1 {
			t.Fatalf("%d sessions, want the phone's", len(handles))
		}
		streams := facStreams(phone)
		laptop := ts.login(t, fac.Email)
		start := time.Now()
		laptop.postForm(t, "/account/sessions/"+handles[0]+"/end", nil).wantRedirect(t, "/account?done=ended")
		wantEnded(t, "session ended", start, streams)
		wantOpen(t, "session ended", bystander)
	})
	t.Run("account disabled on the People page", func(t *testing.T) {
		c := ts.login(t, fac.Email)
		display := ts.login(t, fac.Email).createDisplay(t, w.Code)
		streams := facStreams(c)
		streams["the display link's stream"] = openStream(t, ts.client(), display+"/events")
		start := time.Now()
		orgC.postForm(t, fmt.Sprintf("/admin/users/%d/disable", fac.ID), nil).wantRedirect(t, "/admin/users?done=disabled")
		wantEnded(t, "account disabled", start, streams)
		wantOpen(t, "account disabled", bystander)
		// A disabled owner's display link shows nothing any more.
		ts.client().get(t, display).want(t, http.StatusNotFound)
		orgC.postForm(t, fmt.Sprintf("/admin/users/%d/enable", fac.ID), nil).wantRedirect(t, "/admin/users?done=enabled")
		ts.client().get(t, display).want(t, http.StatusOK)
	})
	t.Run("display link revoked", func(t *testing.T) {
		c := ts.login(t, fac.Email)
		display := c.createDisplay(t, w.Code)
		streams := map[string]<-chan struct{}{"the display link's stream": openStream(t, ts.client(), display+"/events")}
		start := time.Now()
		c.postForm(t, "/workshops/"+w.Code+"/display/revoke", nil)
		wantEnded(t, "display link revoked", start, streams)
		wantOpen(t, "display link revoked", bystander)
	})
	t.Run("participant removed", func(t *testing.T) {
		gone, stays := ts.join(t, w.Code), ts.join(t, w.Code)
		gone.reason(t, w.Code, w.Scenarios[0].ID, "Soon removed.")
		_, id := ts.authorOf(t, w, "Soon removed.")
		streams := map[string]<-chan struct{}{"the removed participant's stream": openStream(t, gone, "/w/"+w.Code+"/events")}
		others := map[string]<-chan struct{}{"another participant's stream": openStream(t, stays, "/w/"+w.Code+"/events")}
		start := time.Now()
		ts.login(t, fac.Email).postForm(t, fmt.Sprintf("/workshops/%s/participants/%d/remove", w.Code, id), nil)
		wantEnded(t, "participant removed", start, streams)
		wantOpen(t, "participant removed", others)
		wantOpen(t, "participant removed", bystander)
	})
}
