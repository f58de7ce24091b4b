// Package views renders Foresight's pages and fragments with templ. Views
// receive plain data and never reach into storage.
package views

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"

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

// stateName is how a workshop state reads to a person, in the interface
// language of ctx.
func stateName(ctx context.Context, s workshop.State) string {
	switch s {
	case workshop.StateLobby:
		return i18n.T(ctx, "status.waiting_start")
	case workshop.StateOpen:
		return i18n.T(ctx, "status.voting_open")
	case workshop.StateClosed:
		return i18n.T(ctx, "status.voting_closed")
	case workshop.StateRevealed:
		return i18n.T(ctx, "status.results_revealed")
	case workshop.StateFinished:
		return i18n.T(ctx, "status.finished")
	}
	return string(s)
}

// splitCount finds the number n, written whole, in phrase; count is ""
// (and before the whole phrase) when it is not there.
func splitCount(phrase string, n int) (before, count, after string) {
	digits := strconv.Itoa(n)
	isDigit := func(s string, i int) bool { return i >= 0 && i < len(s) && s[i] >= '0' && s[i] <= '9' }
	for from := 0; from < len(phrase); {
		i := strings.Index(phrase[from:], digits)
		if i < 0 {
			break
		}
		i += from
		j := i + len(digits)
		if !isDigit(phrase, i-1) && !isDigit(phrase, j) {
			return phrase[:i], digits, phrase[j:]
		}
		from = i + 1
	}
	return phrase, "", ""
}

// loginAction keeps the page to return to through the sign-in form.
func loginAction(next string) templ.SafeURL {
	if next == "" {
		return "/login"
	}
	return templ.URL("/login?next=" + url.QueryEscape(next))
}
