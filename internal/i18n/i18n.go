// Package i18n translates Foresight's interface into the languages it ships:
// English, in which every string is written in the code, and Polish, from the
// catalog in this package. A request's language travels in its context, so
// views and handlers translate with i18n.T(ctx, "English text").
//
// Only the interface is translated here. Deck texts carry their own languages
// (workshop.Text), and exports keep machine formats.
package i18n

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The languages of the interface. English is the source language.
const (
	English = "en"
	Polish  = "pl"
	Default = English
)

// Languages lists the interface languages in the order the switcher shows them.
var Languages = []string{English, Polish}

// Name is a language's name in that language, for the switcher.
func Name(lang string) string {
	switch lang {
	case Polish:
		return "Polski"
	}
	return "English"
}

// LanguageName is the name of a language in the interface language of
// ctx ("Polish"; in Polish "polski"), for labels such as "Title — Polish".
// A language the interface has no name for is shown by its code.
func LanguageName(ctx context.Context, code string) string {
	switch code {
	case English:
		return T(ctx, "English")
	case Polish:
		return T(ctx, "Polish")
	}
	return code
}

// Supported reports whether lang is an interface language.
func Supported(lang string) bool {
	return lang == English || lang == Polish
}

type ctxKey struct{}

// WithLang returns a context whose interface language is lang (the default
// when lang is not supported).
func WithLang(ctx context.Context, lang string) context.Context {
	if !Supported(lang) {
		lang = Default
	}
	return context.WithValue(ctx, ctxKey{}, lang)
}

// Lang is the interface language of ctx.
func Lang(ctx context.Context) string {
	if ctx != nil {
		if l, ok := ctx.Value(ctxKey{}).(string); ok {
			return l
		}
	}
	return Default
}

// T translates an interface string written in English.
func T(ctx context.Context, english string) string {
	return lookup(Lang(ctx), english)
}

// Tf translates a format written in English and formats it. Translations
// may reorder the arguments with explicit indexes (%[2]s).
func Tf(ctx context.Context, format string, args ...any) string {
	return fmt.Sprintf(lookup(Lang(ctx), format), args...)
}

// N picks the form of a phrase for the count n and formats n into it
// (with %d, or %[1]d when the translation moves it). one and other are the
// English singular and plural; the catalog holds the other languages' forms.
func N(ctx context.Context, n int, one, other string) string {
	lang := Lang(ctx)
	var form string
	if forms, ok := plurals[lang][other]; ok && lang == Polish {
		form = forms[polishForm(n)]
	} else if n == 1 {
		form = one
	} else {
		form = other
	}
	if !strings.Contains(form, "%") {
		return form
	}
	return fmt.Sprintf(form, n)
}

// polishForm is the index of the Polish plural form of n: 0 for one
// ("1 osoba"), 1 for few ("2 osoby", "24 osoby"), 2 for many ("5 osób",
// "12 osób", "0 osób"). Few is a number ending in 2-4, except 12-14.
func polishForm(n int) int {
	if n < 0 {
		n = -n
	}
	switch {
	case n == 1:
		return 0
	case n%10 >= 2 && n%10 <= 4 && (n%100 < 12 || n%100 > 14):
		return 1
	}
	return 2
}

func lookup(lang, english string) string {
	if lang == Polish {
		if s, ok := polish[english]; ok {
			return s
		}
	}
	return english
}

// Negotiate picks the interface language from an Accept-Language header:
// the supported language with the highest weight, the default if none.
func Negotiate(header string) string {
	best, bestQ := Default, -1.0
	for _, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if k, v, ok := strings.Cut(strings.TrimSpace(params), "="); ok && strings.TrimSpace(k) == "q" {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				continue
			}
			q = f
		}
		primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		if Supported(primary) && q > bestQ && q > 0 {
			best, bestQ = primary, q
		}
	}
	return best
}

// Decimal formats a number for people: at most decimals places, no trailing
// zeros, a minus sign, and the language's decimal separator.
func Decimal(ctx context.Context, f float64, decimals int) string {
	s := strconv.FormatFloat(f, 'f', decimals, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	s = strings.Replace(s, "-", "−", 1)
	if Lang(ctx) == Polish {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// Integer formats a count with the language's digit grouping: "10,000" in
// English, "10 000" in Polish (a no-break space; four digits stay ungrouped).
func Integer(ctx context.Context, n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	sep := ","
	if Lang(ctx) == Polish {
		if len(s) <= 4 {
			return sign(neg) + s
		}
		sep = "\u00a0"
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	return sign(neg) + b.String()
}

func sign(neg bool) string {
	if neg {
		return "−"
	}
	return ""
}

var monthsEN = [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

// Polish dates name the month in the genitive: "27 listopada 2026".
var monthsPL = [12]string{"stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września", "października", "listopada", "grudnia"}

// Date formats a day: "27 November 2026", "27 listopada 2026" (UTC).
func Date(ctx context.Context, t time.Time) string {
	t = t.UTC()
	months := monthsEN
	if Lang(ctx) == Polish {
		months = monthsPL
	}
	return fmt.Sprintf("%d %s %d", t.Day(), months[t.Month()-1], t.Year())
}

// DateTime formats a moment: "27 November 2026, 14:05 UTC".
func DateTime(ctx context.Context, t time.Time) string {
	return Date(ctx, t) + ", " + t.UTC().Format("15:04") + " UTC"
}
