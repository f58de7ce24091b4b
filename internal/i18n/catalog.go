package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// The built-in catalogs, one JSON file per language named by its code.
//
//go:embed locales/*.json
var builtin embed.FS

// Messages this package reads itself: the language's own name, the names of
// the interface languages (languagesPrefix + code) and the formats of numbers
// and dates.
const (
	nameID           = "language.name"
	languagesPrefix  = "languages."
	decimalID        = "format.decimal_separator"
	groupID          = "format.group_separator"
	groupMinDigitsID = "format.group_min_digits"
	minusID          = "format.minus_sign"
	dateID           = "format.date"
	firstDayID       = "format.first_day"
	dateTimeID       = "format.date_time"
	percentID        = "format.percent"
)

var monthIDs = [12]string{
	"format.month.january", "format.month.february", "format.month.march",
	"format.month.april", "format.month.may", "format.month.june",
	"format.month.july", "format.month.august", "format.month.september",
	"format.month.october", "format.month.november", "format.month.december",
}

// ownIDs are the ids of the messages the package reads itself, for a given
// set of interface languages.
func ownIDs(langs []string) []string {
	ids := []string{nameID, decimalID, groupID, groupMinDigitsID, minusID, dateID, firstDayID, dateTimeID, percentID}
	ids = append(ids, monthIDs[:]...)
	for _, l := range langs {
		ids = append(ids, languagesPrefix+l)
	}
	return ids
}

// pluralCache is how many counts (0 to pluralCache-1) have their plural
// form worked out when a catalog is loaded. Larger counts share the form of
// their last three digits (see pluralForm).
const pluralCache = 1000

// catalog is one language's messages and formats.
type catalog struct {
	lang      string
	messages  map[string]*goi18n.Message
	localizer *goi18n.Localizer
	forms     [pluralCache]string // plural form of small counts
	large     [pluralCache]string // of counts from 1000, by their last three digits
	millions  string              // of whole millions
	needs     []string            // plural forms that whole numbers use
	num       numberFormat
}

// numberFormat is how a language writes numbers and dates, read from its
// catalog's format.* messages.
type numberFormat struct {
	decimal, group, minus string
	groupMinDigits        int
	months                [12]string
	date, dateTime        string
	firstDay              string // the first of a month, its number in it: "%der" (1er décembre)
	percent               string // a number with its percent sign: "%s%%", "%s\u202f%%"
}

// set is the catalogs in use.
type set struct {
	langs   []string // Default first, then by code
	byLang  map[string]*catalog
	sources map[string][]string // lang → the files its messages came from
}

// current holds the catalogs in use; it starts with the built-in ones (as
// a variable's initializer, so that other package variables may translate).
var current = func() *atomic.Pointer[set] {
	s, err := build(nil, "")
	if err != nil {
		panic("i18n: the built-in catalogs: " + err.Error())
	}
	var p atomic.Pointer[set]
	p.Store(s)
	return &p
}()

func catalogs() *set { return current.Load() }

// Load reads the catalogs in dir over the built-in ones: a file xx.json
// (named by the language's code) adds the language xx, or replaces
// messages of a built-in one. An empty dir restores the built-in catalogs.
// It is meant for start-up, before requests are served.
func Load(dir string) error {
	var fsys fs.FS
	if dir != "" {
		info, err := os.Stat(dir)
		if err != nil {
			return err
		}
		if !info.IsDir() {
			return fmt.Errorf("%s is not a directory", dir)
		}
		fsys = os.DirFS(dir)
	}
	s, err := build(fsys, dir)
	if err != nil {
		return err
	}
	current.Store(s)
	return nil
}

// probeID is a message whose forms are the names of the plural forms, so
// that localizing it tells which form go-i18n's CLDR rules pick for a count.
const probeID = "\x00plural-form"

var unmarshal = map[string]goi18n.UnmarshalFunc{"json": json.Unmarshal}

func build(dir fs.FS, dirName string) (*set, error) {
	s := &set{byLang: map[string]*catalog{}, sources: map[string][]string{}}
	messages := map[string]map[string]*goi18n.Message{}
	tags := map[string]language.Tag{}
	read := func(fsys fs.FS, where string) error {
		names, err := fs.Glob(fsys, "*.json")
		if err != nil {
			return err
		}
		sort.Strings(names)
		for _, name := range names {
			data, err := fs.ReadFile(fsys, name)
			if err != nil {
				return err
			}
			file := path.Join(where, name)
			if dup := duplicateKeys(data); len(dup) > 0 {
				return fmt.Errorf("%s: messages given twice: %s", file, strings.Join(dup, ", "))
			}
			mf, err := goi18n.ParseMessageFileBytes(data, name, unmarshal)
			if err != nil {
				return fmt.Errorf("%s: %w", file, err)
			}
			if mf.Tag == language.Und {
				return fmt.Errorf("%s: name a catalog by its language's code, such as fr.json", file)
			}
			lang := strings.ToLower(mf.Tag.String())
			if messages[lang] == nil {
				messages[lang] = map[string]*goi18n.Message{}
				tags[lang] = mf.Tag
			}
			for _, m := range mf.Messages {
				messages[lang][m.ID] = m
			}
			s.sources[lang] = append(s.sources[lang], file)
		}
		return nil
	}
	locales, err := fs.Sub(builtin, "locales")
	if err != nil {
		return nil, err
	}
	if err := read(locales, "built-in"); err != nil {
		return nil, err
	}
	if dir != nil {
		if err := read(dir, dirName); err != nil {
			return nil, err
		}
	}
	if messages[Default] == nil {
		return nil, fmt.Errorf("no catalog for %s, the default language", Default)
	}

	bundle := goi18n.NewBundle(language.English)
	for lang, tag := range tags {
		if err := bundle.AddMessages(tag, &goi18n.Message{ID: probeID,
			Zero: "zero", One: "one", Two: "two", Few: "few", Many: "many", Other: "other"}); err != nil {
			return nil, fmt.Errorf("%s: %w", lang, err)
		}
	}
	for lang := range messages {
		c, err := newCatalog(bundle, lang, messages[lang], messages[Default])
		if err != nil {
			return nil, err
		}
		s.byLang[lang] = c
		s.langs = append(s.langs, lang)
	}
	sort.Slice(s.langs, func(i, j int) bool {
		if (s.langs[i] == Default) != (s.langs[j] == Default) {
			return s.langs[i] == Default
		}
		return s.langs[i] < s.langs[j]
	})
	return s, nil
}

func newCatalog(bundle *goi18n.Bundle, lang string, messages, english map[string]*goi18n.Message) (c *catalog, err error) {
	c = &catalog{lang: lang, messages: messages, localizer: goi18n.NewLocalizer(bundle, lang)}
	defer func() {
		// go-i18n has no plural rules for the language.
		if recover() != nil {
			c, err = nil, fmt.Errorf("%s: no CLDR plural rules are known for this language", lang)
		}
	}()
	for n := range pluralCache {
		c.forms[n] = c.localizedForm(n)
		c.large[n] = c.localizedForm(1_001_000 + n)
	}
	c.millions = c.localizedForm(1_000_000)
	needs := map[string]bool{"other": true}
	for _, f := range c.forms {
		needs[f] = true
	}
	for _, f := range c.large {
		needs[f] = true
	}
	needs[c.millions] = true
	for _, f := range []string{"zero", "one", "two", "few", "many", "other"} {
		if needs[f] {
			c.needs = append(c.needs, f)
		}
	}
	if m := messages[nameID]; m == nil || m.Other == "" {
		return nil, fmt.Errorf("%s: the catalog needs its language's own name as %q", lang, nameID)
	}
	text := func(id string) string {
		if m := messages[id]; m != nil && m.Other != "" {
			return m.Other
		}
		if m := english[id]; m != nil {
			return m.Other
		}
		return ""
	}
	c.num = numberFormat{decimal: text(decimalID), group: text(groupID), minus: text(minusID),
		date: text(dateID), firstDay: text(firstDayID), dateTime: text(dateTimeID), percent: text(percentID)}
	if c.num.groupMinDigits, err = strconv.Atoi(text(groupMinDigitsID)); err != nil {
		return nil, fmt.Errorf("%s: %s must be a whole number", lang, groupMinDigitsID)
	}
	for i, id := range monthIDs {
		c.num.months[i] = text(id)
	}
	return c, nil
}

// pluralForm is the CLDR plural form ("one", "few", ...) of the count n in
// the catalog's language, as go-i18n's rules have it, from the tables made
// on loading. CLDR's rules for whole numbers compare a number itself only
// with values under 1000, and otherwise look at its remainders by 10, 100,
// 1000 and 1,000,000 (that one only for whole millions, as French's
// "many"); so from 1000 on, the last three digits and whether it is a whole
// million decide. TestLargeCountsFollowTheRules checks this against go-i18n.
func (c *catalog) pluralForm(n int) string {
	if n < 0 {
		n = -n
	}
	switch {
	case n < 0: // the most negative int
		return c.localizedForm(n)
	case n < pluralCache:
		return c.forms[n]
	case n%1_000_000 == 0:
		return c.millions
	}
	return c.large[n%1000]
}

// localizedForm asks go-i18n for the plural form of n.
func (c *catalog) localizedForm(n int) string {
	f, err := c.localizer.Localize(&goi18n.LocalizeConfig{MessageID: probeID, PluralCount: n})
	if err != nil {
		return "other"
	}
	return f
}

// form is the text of m in the plural form f, or its "other" form.
func form(m *goi18n.Message, f string) string {
	var s string
	switch f {
	case "zero":
		s = m.Zero
	case "one":
		s = m.One
	case "two":
		s = m.Two
	case "few":
		s = m.Few
	case "many":
		s = m.Many
	}
	if s == "" {
		return m.Other
	}
	return s
}

// forms lists the plural forms m has; nil for a message without plural.
func forms(m *goi18n.Message) map[string]string {
	out := map[string]string{}
	for f, s := range map[string]string{"zero": m.Zero, "one": m.One, "two": m.Two, "few": m.Few, "many": m.Many} {
		if s != "" {
			out[f] = s
		}
	}
	if len(out) == 0 {
		return nil
	}
	out["other"] = m.Other
	return out
}

// duplicateKeys lists the keys that a JSON object in data gives twice
// (encoding/json would silently keep the last).
func duplicateKeys(data []byte) []string {
	dec := json.NewDecoder(strings.NewReader(string(data)))
	var dup []string
	var walk func(prefix string) error
	walk = func(prefix string) error {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		switch t {
		case json.Delim('{'):
			seen := map[string]bool{}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return err
				}
				key := prefix + k.(string)
				if seen[key] {
					dup = append(dup, strconv.Quote(key))
				}
				seen[key] = true
				if err := walk(key + "."); err != nil {
					return err
				}
			}
			_, err = dec.Token()
			return err
		case json.Delim('['):
			for dec.More() {
				if err := walk(prefix); err != nil {
					return err
				}
			}
			_, err = dec.Token()
			return err
		}
		return nil
	}
	if err := walk(""); err != nil {
		return nil // the parser reports it
	}
	return dup
}

var verb = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z%]`)

// verbs is the sorted list of a message's printf verbs, without explicit
// argument indexes: "%[2]s %[1]d" and "%d %s" have the same verbs.
func verbs(s string) string {
	vs := verb.FindAllString(s, -1)
	for i, v := range vs {
		if j := strings.Index(v, "]"); j >= 0 {
			vs[i] = "%" + v[j+1:]
		}
	}
	sort.Strings(vs)
	return strings.Join(vs, " ")
}

// Problems lists what is wrong with the catalogs in use, measured against
// the English one: messages missing or extra, placeholders that differ,
// plural forms the language's rules need but the message lacks. A catalog
// with no problems can be used as it is.
func Problems() []string {
	s := catalogs()
	en := s.byLang[Default]
	var out []string
	add := func(lang, format string, args ...any) {
		out = append(out, lang+": "+fmt.Sprintf(format, args...))
	}
	ids := func(c *catalog) []string {
		ids := make([]string, 0, len(c.messages))
		for id := range c.messages {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		return ids
	}
	for _, lang := range s.langs {
		c := s.byLang[lang]
		for _, id := range ids(en) {
			if _, ok := c.messages[id]; !ok {
				add(lang, "%s is missing", id)
			}
		}
		for _, l := range s.langs {
			if id := languagesPrefix + l; en.messages[id] == nil && c.messages[id] == nil {
				add(lang, "%s is missing (the name of the language %s)", id, l)
			}
		}
		for _, id := range ids(c) {
			m, e := c.messages[id], en.messages[id]
			if e == nil {
				if !strings.HasPrefix(id, languagesPrefix) {
					add(lang, "%s is not an English message: misspelt, or no longer used?", id)
				}
				continue
			}
			mf, ef := forms(m), forms(e)
			if (mf == nil) != (ef == nil) {
				if ef == nil {
					add(lang, "%s is a plain message in English, but has plural forms here", id)
				} else {
					add(lang, "%s needs plural forms (%s)", id, strings.Join(c.needs, ", "))
				}
				continue
			}
			if ef == nil {
				if verbs(m.Other) != verbs(e.Other) {
					add(lang, "%s: the placeholders %q differ from English %q", id, verbs(m.Other), verbs(e.Other))
				}
				continue
			}
			for _, f := range c.needs {
				if _, ok := mf[f]; !ok {
					add(lang, "%s lacks the plural form %q", id, f)
				}
			}
			for f, text := range mf {
				if v := verbs(text); v != verbs(e.Other) && v != verbs(e.One) {
					add(lang, "%s: the placeholders %q of the form %q differ from English %q", id, v, f, verbs(e.Other))
				}
			}
		}
		if _, err := strconv.Atoi(messageText(c, groupMinDigitsID)); err != nil {
			add(lang, "%s must be a whole number", groupMinDigitsID)
		}
	}
	return out
}

func messageText(c *catalog, id string) string {
	if m := c.messages[id]; m != nil {
		return m.Other
	}
	return ""
}

// Sources lists, for each interface language, the files its messages were
// read from.
func Sources() map[string][]string {
	out := map[string][]string{}
	for l, f := range catalogs().sources {
		out[l] = slices.Clone(f)
	}
	return out
}
