// Package views renders Foresight's pages and fragments with templ. Views
// receive plain data and never reach into storage.
package views

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"github.com/a-h/templ"

	"foresight/internal/i18n"
	"foresight/internal/workshop"
)

// Page is what every page's layout needs. The interface language comes
// from the request's context (i18n.Lang).
type Page struct {
	Title string
	User  *workshop.User // the signed-in facilitator, if any
}

type pathKey struct{}

// WithRequestPath records the address of the page being rendered, so that
// the language switcher can return to it.
func WithRequestPath(ctx context.Context, path string) context.Context {
	return context.WithValue(ctx, pathKey{}, path)
}

func requestPath(ctx context.Context) string {
	p, _ := ctx.Value(pathKey{}).(string)
	return p
}

// Errors maps a form field to its message; "" holds a message for the form.
type Errors map[string]string

func itoa(n int) string     { return strconv.Itoa(n) }
func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
func pct(part, whole int) string {
	if whole == 0 {
		return "0%"
	}
	return fmt.Sprintf("%d%%", part*100/whole)
}

// num formats a statistic for display in the interface language: two
// decimals at most, "–" when undefined.
func num(ctx context.Context, f *float64) string {
	if f == nil {
		return "–"
	}
	return i18n.Decimal(ctx, *f, 2)
}

// stateLabel is how a workshop state reads to a person.
func stateLabel(s workshop.State) string {
	switch s {
	case workshop.StateLobby:
		return "Waiting to start"
	case workshop.StateOpen:
		return "Voting open"
	case workshop.StateClosed:
		return "Voting closed"
	case workshop.StateRevealed:
		return "Results revealed"
	case workshop.StateFinished:
		return "Finished"
	}
	return string(s)
}

// loginAction keeps the page to return to through the sign-in form.
func loginAction(next string) templ.SafeURL {
	if next == "" {
		return "/login"
	}
	return templ.URL("/login?next=" + url.QueryEscape(next))
}
