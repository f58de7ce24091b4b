package export

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Text makes s safe as a text cell of a spreadsheet. A cell that begins with
// = + - or @ (or their full-width forms, which some locales accept), a tab or
// a carriage return is read as a formula by spreadsheet programs, and a
// formula can run commands or send data away (CSV injection). Such a cell
// gets a leading apostrophe, which spreadsheets show as text; so does one
// whose first visible character is one of them after leading spaces, which
// some programs trim on import. Numbers are never passed through Text: they
// are written as numbers.
func Text(s string) string {
	if formulaLike(s) {
		return "'" + s
	}
	return s
}

// formulaLike reports whether a spreadsheet could read s as a formula.
func formulaLike(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == '\t' || s[0] == '\r' {
		return true
	}
	r, _ := utf8.DecodeRuneInString(strings.TrimLeft(s, " \t\r\n\u00a0\u3000"))
	return isTrigger(r)
}

func isTrigger(r rune) bool {
	switch r {
	case '=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠':
		return true
	}
	return false
}

// number formats a statistic with every digit a float64 holds (the shortest
// text that reads back as the same number), without an exponent; "" when
// the statistic is undefined.
func number(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// timeText is a time in RFC 3339, UTC, with as many fractional digits as
// it has; "" for the zero time.
func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}
