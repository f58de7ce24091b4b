// Package i18n translates Foresight's interface. Every interface string is
// a message with a stable id ("results.round"); the messages live in JSON
// catalogs, one per language (locales/en.json, fr.json, pl.json, and any a
// directory given to Load adds), read with go-i18n. A request's language
// travels in its context, so views and handlers translate with
// i18n.T(ctx, "results.round").
//
// Messages are printf formats: i18n.Tf(ctx, "report.round", n, date) fills
// "Round %d, %s", and a translation may reorder the arguments with explicit
// indexes ("%[2]s, runda %[1]d"). Counted phrases (N) have one text per CLDR
// plural form of the language (one/other in English; one/many/other in
// French; one/few/many/other in Polish).
//
// Only the interface is translated here. Deck texts carry their own languages
// (workshop.Text), and exports keep machine formats.
package i18n

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
)

// Default is the source language: its catalog has every message, and the
// others fall back to it.
const Default = "en"

// Languages lists the interface languages, one per loaded catalog, in the
// order the switcher shows them: the default first, then by code.
func Languages() []string {
	return slices.Clone(catalogs().langs)
}

// Name is a language's name in that language, for the switcher (the
// catalog's language.name); the code for a language without a catalog.
func Name(lang string) string {
	if c := catalogs().byLang[lang]; c != nil {
		return messageText(c, nameID)
	}
	return lang
}

// LanguageName is the name of a language in the interface language of
// ctx ("Polish"; in Polish "polski"), for labels such as "Title — Polish".
// A language the catalog has no name for is shown by its own name if it is
// an interface language, by its code otherwise.
func LanguageName(ctx context.Context, code string) string {
	s := catalogs()
	if c := s.byLang[Lang(ctx)]; c != nil {
		if m := c.messages[languagesPrefix+code]; m != nil && m.Other != "" {
			return m.Other
		}
	}
	if c := s.byLang[code]; c != nil {
		return messageText(c, nameID)
	}
	return code
}

// Supported reports whether lang is an interface language.
func Supported(lang string) bool {
	_, ok := catalogs().byLang[lang]
	return ok
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

// lookup finds the message id in lang's catalog, or else in the default
// one; it returns the catalog it was found in (whose plural rules apply).
func lookup(lang, id string) (*catalog, *goi18n.Message) {
	s := catalogs()
	if c := s.byLang[lang]; c != nil {
		if m := c.messages[id]; m != nil {
			return c, m
		}
	}
	if c := s.byLang[Default]; c != nil {
		if m := c.messages[id]; m != nil {
			return c, m
		}
	}
	return nil, nil
}

// T is the message id in the interface language of ctx; the id itself when
// no catalog has it.
func T(ctx context.Context, id string) string {
	if _, m := lookup(Lang(ctx), id); m != nil {
		return m.Other
	}
	return id
}

// Texts gives the text of a message id in the interface language of ctx,
// for a caller that fills the verbs itself (a domain error's Text, a
// yardstick's words).
func Texts(ctx context.Context) func(id string) string {
	return TextsIn(Lang(ctx))
}

// TextsIn is Texts in language lang (the default when it is not supported).
func TextsIn(lang string) func(id string) string {
	return func(id string) string {
		if _, m := lookup(lang, id); m != nil {
			return m.Other
		}
		return id
	}
}

// Tf formats the message id with args (printf verbs; a translation may
// reorder them with explicit indexes, %[2]s).
func Tf(ctx context.Context, id string, args ...any) string {
	return fmt.Sprintf(T(ctx, id), args...)
}

// N is the message id, a phrase with plural forms, in the form the
// language's CLDR rules give the count n, with n formatted into it (%d, or
// %[1]d).
func N(ctx context.Context, n int, id string) string {
	c, m := lookup(Lang(ctx), id)
	if m == nil {
		return id
	}
	text := form(m, c.pluralForm(n))
	if !strings.Contains(text, "%") {
		return text
	}
	return fmt.Sprintf(text, n)
}

// Negotiate picks the interface language from an Accept-Language header:
// the supported language with the highest weight, the default if none. A
// tag matches a catalog of the same tag ("pt-br") or of its language ("pt").
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
		full := strings.ToLower(strings.TrimSpace(tag))
		primary, _, _ := strings.Cut(full, "-")
		for _, l := range []string{full, primary} {
			if Supported(l) && q > bestQ && q > 0 {
				best, bestQ = l, q
				break
			}
		}
	}
	return best
}

// numbers is the number and date format of the interface language of ctx.
func numbers(ctx context.Context) *numberFormat {
	s := catalogs()
	if c := s.byLang[Lang(ctx)]; c != nil {
		return &c.num
	}
	return &s.byLang[Default].num
}

// Decimal formats a number for people: at most decimals places, no trailing
// zeros, the language's minus sign and decimal separator ("−3.5", "−3,5").
func Decimal(ctx context.Context, f float64, decimals int) string {
	s := strconv.FormatFloat(f, 'f', decimals, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	nf := numbers(ctx)
	if s[0] == '-' {
		s = nf.minus + s[1:]
	}
	if nf.decimal != "." {
		s = strings.Replace(s, ".", nf.decimal, 1)
	}
	return s
}

// Percent formats a percentage (12.5 for 12.5 %) like Decimal, with the
// percent sign as the catalog's format.percent places it: "12.5%" in
// English, "12,5 %" in French (a narrow no-break space before the sign).
func Percent(ctx context.Context, f float64, decimals int) string {
	return fmt.Sprintf(numbers(ctx).percent, Decimal(ctx, f, decimals))
}

// Integer formats a count with the language's digit grouping: "10,000" in
// English, "10 000" in Polish (a no-break space), where numbers shorter than
// the catalog's format.group_min_digits stay ungrouped ("2000").
func Integer(ctx context.Context, n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	nf := numbers(ctx)
	sign := ""
	if neg {
		sign = nf.minus
	}
	if len(s) < nf.groupMinDigits {
		return sign + s
	}
	var b strings.Builder
	b.WriteString(sign)
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(nf.group)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Date formats a day with the catalog's format.date (day, month name, year):
// "27 November 2026", "27 listopada 2026" (UTC).
func Date(ctx context.Context, t time.Time) string {
	t = t.UTC()
	nf := numbers(ctx)
	day := strconv.Itoa(t.Day())
	if t.Day() == 1 {
		day = fmt.Sprintf(nf.firstDay, 1)
	}
	return fmt.Sprintf(nf.date, day, nf.months[t.Month()-1], t.Year())
}

// DateTime formats a moment with the catalog's format.date_time (date,
// 24-hour time): "27 November 2026, 14:05 UTC".
func DateTime(ctx context.Context, t time.Time) string {
	return fmt.Sprintf(numbers(ctx).dateTime, Date(ctx, t), t.UTC().Format("15:04"))
}
