// Package views renders Foresight's pages and fragments with templ. Views
// receive plain data and never reach into storage.
package views

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/a-h/templ"

	"foresight/internal/workshop"
)

// Page is what every page's layout needs.
type Page struct {
	Title string
	Lang  string
	User  *workshop.User // the signed-in facilitator, if any
}

func (p Page) langOrDefault() string {
	if p.Lang == "" {
		return workshop.DefaultLanguage
	}
	return p.Lang
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

// num formats a statistic for display: two decimals at most, "–" when undefined.
func num(f *float64) string {
	if f == nil {
		return "–"
	}
	s := strconv.FormatFloat(*f, 'f', 2, 64)
	for len(s) > 1 && s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	if s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	return s
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
