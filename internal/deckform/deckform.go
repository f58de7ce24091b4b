// Package deckform binds the deck editor's form: a deck becomes the fields
// the editor shows, the posted fields come back as a Form, the editor's
// buttons change the Form, and a Form becomes a deck, with its problems by
// field. The views render a Form and the web adapter posts one; the field
// names and button values are defined here, once, for both.
package deckform

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"foresight/internal/i18n"
	"foresight/internal/workshop"
)

// Form is the deck editor's content.
type Form struct {
	Slug        string // empty for a new deck
	Title       string
	Description string
	Source      string
	Scenarios   []Scenario
	Criteria    []Criterion
}

// Scenario is one scenario as the editor shows and posts it.
type Scenario struct {
	Key, Title, Narrative, Source, Signposts string
}

// Criterion is one criterion as the editor shows and posts it; numbers
// stay text so that what the user typed comes back unchanged.
type Criterion struct {
	Key, Name, Question, Kind, Min, Max, Step, Labels string
	DontKnow                                          bool
}

// The names of the deck's own fields, and of the counts of its lists.
const (
	TitleField       = "title"
	DescriptionField = "description"
	SourceField      = "source"
	ScenarioCount    = "s-n"
	CriterionCount   = "c-n"
)

// ScenarioField is the name (and element ID) of field name of scenario i:
// "s-2-title".
func ScenarioField(i int, name string) string { return fmt.Sprintf("s-%d-%s", i, name) }

// CriterionField is the name (and element ID) of field name of criterion i:
// "c-0-labels".
func CriterionField(i int, name string) string { return fmt.Sprintf("c-%d-%s", i, name) }

// The editor's buttons are named OpField; their values are OpSave, the
// two adds, or an action on one item (ScenarioOp, CriterionOp).
const (
	OpField        = "op"
	OpSave         = "save"
	OpAddScenario  = "add-s"
	OpAddCriterion = "add-c"
)

// ScenarioOp is the value of the button that moves scenario i "up" or
// "down", or "remove"s it.
func ScenarioOp(action string, i int) string { return fmt.Sprintf("%s-s-%d", action, i) }

// CriterionOp is ScenarioOp for criterion i.
func CriterionOp(action string, i int) string { return fmt.Sprintf("%s-c-%d", action, i) }

// Message words a domain error for a person in the language of ctx. The web
// adapter passes its own, so that an error reads the same in the editor as
// anywhere else.
type Message func(ctx context.Context, err error) string

// FromDeck turns a deck into the editor's fields (its English text).
func FromDeck(d workshop.Deck, slug string) Form {
	en := workshop.DefaultLanguage
	f := Form{Slug: slug, Title: d.Title[en], Description: d.Description[en], Source: d.Source[en]}
	for _, sc := range d.Scenarios {
		var signposts []string
		for _, sp := range sc.Signposts {
			signposts = append(signposts, sp[en])
		}
		f.Scenarios = append(f.Scenarios, Scenario{Key: sc.Key, Title: sc.Title[en], Narrative: sc.Narrative[en],
			Source: sc.Source[en], Signposts: strings.Join(signposts, "\n")})
	}
	for _, c := range d.Criteria {
		cf := Criterion{Key: c.Key, Name: c.Name[en], Question: c.Question[en], Kind: c.Kind, DontKnow: c.DontKnow,
			Min: strconv.Itoa(c.Min), Max: strconv.Itoa(c.Max), Step: strconv.Itoa(c.Step)}
		if c.Kind == workshop.KindScale {
			cf.Step = ""
		} else {
			cf.Min, cf.Max = "", ""
		}
		var labels []string
		for _, l := range c.Labels {
			labels = append(labels, fmt.Sprintf("%d = %s", l.Value, l.Text[en]))
		}
		cf.Labels = strings.Join(labels, "\n")
		f.Criteria = append(f.Criteria, cf)
	}
	return f
}

// Parse reads the editor's posted fields, in the order of their position
// fields (which drag and drop rewrites), and the button pressed.
func Parse(form map[string][]string, slug string) (f Form, op string) {
	get := func(name string) string {
		if v := form[name]; len(v) > 0 {
			return strings.ReplaceAll(v[0], "\r\n", "\n")
		}
		return ""
	}
	count := func(name string) int {
		n, _ := strconv.Atoi(get(name))
		return min(max(n, 0), workshop.MaxScenarios+1)
	}
	f = Form{Slug: slug, Title: get(TitleField), Description: get(DescriptionField), Source: get(SourceField)}
	type positioned[T any] struct {
		pos  int
		item T
	}
	var scen []positioned[Scenario]
	for i := range count(ScenarioCount) {
		p := func(field string) string { return get(ScenarioField(i, field)) }
		pos, err := strconv.Atoi(p("pos"))
		if err != nil {
			pos = i
		}
		scen = append(scen, positioned[Scenario]{pos, Scenario{Key: p("key"), Title: p("title"),
			Narrative: p("narrative"), Source: p("source"), Signposts: p("signposts")}})
	}
	sort.SliceStable(scen, func(a, b int) bool { return scen[a].pos < scen[b].pos })
	for _, s := range scen {
		f.Scenarios = append(f.Scenarios, s.item)
	}
	var crit []positioned[Criterion]
	for i := range count(CriterionCount) {
		p := func(field string) string { return get(CriterionField(i, field)) }
		pos, err := strconv.Atoi(p("pos"))
		if err != nil {
			pos = i
		}
		crit = append(crit, positioned[Criterion]{pos, Criterion{Key: p("key"), Name: p("name"), Question: p("question"),
			Kind: p("kind"), Min: p("min"), Max: p("max"), Step: p("step"), Labels: p("labels"), DontKnow: p("dont_know") != ""}})
	}
	sort.SliceStable(crit, func(a, b int) bool { return crit[a].pos < crit[b].pos })
	for _, c := range crit {
		f.Criteria = append(f.Criteria, c.item)
	}
	return f, get(OpField)
}

var deckOp = regexp.MustCompile(`^(add|remove|up|down)-(s|c)(?:-(\d+))?$`)

// Apply adds, removes or moves one scenario or criterion, as the button op
// says.
func (f *Form) Apply(op string) error {
	m := deckOp.FindStringSubmatch(op)
	if m == nil {
		return workshop.Errorf(workshop.EInvalid, "Unknown editor action.")
	}
	i, _ := strconv.Atoi(m[3])
	switch m[2] {
	case "s":
		f.Scenarios = moveItem(f.Scenarios, m[1], i, Scenario{}, workshop.MaxScenarios)
	case "c":
		f.Criteria = moveItem(f.Criteria, m[1], i, Criterion{Kind: workshop.KindScale, Min: "1", Max: "5", DontKnow: true}, workshop.MaxCriteria)
	}
	return nil
}

// moveItem applies an editor action to a list.
func moveItem[T any](list []T, action string, i int, blank T, limit int) []T {
	switch {
	case action == "add" && len(list) < limit:
		return append(list, blank)
	case i < 0 || i >= len(list):
		return list
	case action == "remove":
		return append(list[:i], list[i+1:]...)
	case action == "up" && i > 0:
		list[i-1], list[i] = list[i], list[i-1]
	case action == "down" && i < len(list)-1:
		list[i+1], list[i] = list[i], list[i+1]
	}
	return list
}

// Deck builds a deck from the editor's fields. Text in languages other
// than English comes from base (the stored deck), matched by key; new items
// get fresh keys. Problems come back by field name ("" for the whole form),
// in the language of ctx; message words the deck's validation errors.
func (f Form) Deck(ctx context.Context, base workshop.Deck, message Message) (workshop.Deck, map[string]string) {
	en := workshop.DefaultLanguage
	errs := map[string]string{}
	text := func(baseText workshop.Text, v string) workshop.Text {
		t := workshop.Text{}
		for lang, s := range baseText {
			if lang != en {
				t[lang] = s
			}
		}
		if v = strings.TrimSpace(v); v != "" {
			t[en] = v
		}
		return t
	}
	d := workshop.Deck{Schema: workshop.DeckSchema, Slug: base.Slug, Languages: base.Languages,
		Title: text(base.Title, f.Title), Description: text(base.Description, f.Description), Source: text(base.Source, f.Source)}
	if len(d.Languages) == 0 {
		d.Languages = []string{en}
	}
	if d.Slug == "" {
		d.Slug = "new-deck" // replaced on save; Validate needs one
	}
	baseScen := map[string]workshop.Scenario{}
	for _, sc := range base.Scenarios {
		baseScen[sc.Key] = sc
	}
	used := map[string]bool{}
	for i, sf := range f.Scenarios {
		key := freshKey(sf.Key, fmt.Sprintf("s%d", i+1), used)
		b := baseScen[sf.Key]
		sc := workshop.Scenario{Key: key, Title: text(b.Title, sf.Title), Narrative: text(b.Narrative, sf.Narrative), Source: text(b.Source, sf.Source)}
		for j, line := range nonEmptyLines(sf.Signposts) {
			var bt workshop.Text
			if j < len(b.Signposts) {
				bt = b.Signposts[j]
			}
			sc.Signposts = append(sc.Signposts, text(bt, line))
		}
		if len(sc.Source) == 0 {
			sc.Source = nil
		}
		d.Scenarios = append(d.Scenarios, sc)
	}
	baseCrit := map[string]workshop.Criterion{}
	for _, c := range base.Criteria {
		baseCrit[c.Key] = c
	}
	used = map[string]bool{}
	for i, cf := range f.Criteria {
		b := baseCrit[cf.Key]
		c := workshop.Criterion{Key: freshKey(cf.Key, fmt.Sprintf("c%d", i+1), used), Name: text(b.Name, cf.Name),
			Question: text(b.Question, cf.Question), Kind: cf.Kind, DontKnow: cf.DontKnow}
		if len(c.Question) == 0 {
			c.Question = nil
		}
		number := func(name, v string, def int) int {
			if strings.TrimSpace(v) == "" {
				return def
			}
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				errs[CriterionField(i, name)] = i18n.T(ctx, "Enter a whole number.")
			}
			return n
		}
		if c.Kind == workshop.KindPercent {
			c.Min, c.Max, c.Step = 0, 100, number("step", cf.Step, 10)
		} else {
			c.Kind = workshop.KindScale
			c.Min, c.Max, c.Step = number("min", cf.Min, 1), number("max", cf.Max, 5), 1
		}
		baseLabels := map[int]workshop.Text{}
		for _, l := range b.Labels {
			baseLabels[l.Value] = l.Text
		}
		for n, line := range nonEmptyLines(cf.Labels) {
			v, t, ok := strings.Cut(line, "=")
			if !ok {
				v, t, ok = strings.Cut(line, ":")
			}
			value, err := strconv.Atoi(strings.TrimSpace(v))
			if !ok || err != nil || strings.TrimSpace(t) == "" {
				errs[CriterionField(i, "labels")] = i18n.Tf(ctx, "Line %d: write a label as “value = text”, e.g. “1 = Very unlikely”.", n+1)
				break
			}
			c.Labels = append(c.Labels, workshop.Label{Value: value, Text: text(baseLabels[value], t)})
		}
		if c.Labels == nil {
			c.Labels = []workshop.Label{}
		}
		d.Criteria = append(d.Criteria, c)
	}
	if len(errs) > 0 {
		return d, errs
	}
	if err := d.Validate(); err != nil {
		return d, f.Errors(ctx, err, message)
	}
	return d, nil
}

// freshKey keeps a valid, unused key or makes a new one.
func freshKey(key, fallback string, used map[string]bool) string {
	for n := 1; key == "" || used[key] || workshop.Slugify(key) != key; n++ {
		key = fmt.Sprintf("%s-%d", fallback, n)
		if n == 1 {
			key = fallback
		}
	}
	used[key] = true
	return key
}

func nonEmptyLines(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

var deckPath = regexp.MustCompile(`^(scenarios|criteria)\[(\d+)\](?:\.(\w+))?`)

// Errors maps a deck's validation error (from Validate, or from the store
// on saving) to the editor's fields: "scenarios[2].title.en" is field
// "s-2-title", "criteria[0].labels[1].value" is "c-0-labels". It returns
// nil for errors that are not the user's.
func (f Form) Errors(ctx context.Context, err error, message Message) map[string]string {
	var de *workshop.Error
	if !errors.As(err, &de) || de.Code == workshop.EInternal {
		return nil
	}
	msg := message(ctx, err)
	if strings.Contains(de.Message, `"en" is required`) {
		msg = i18n.T(ctx, "Fill in this field.")
	}
	// Next to a field or at the top of the form, a rule's fragment ("must
	// be one line", "a deck needs 1 to 10 criteria") reads as a sentence.
	if r, size := utf8.DecodeRuneInString(msg); size > 0 {
		msg = string(unicode.ToUpper(r)) + msg[size:]
	}
	if m := deckPath.FindStringSubmatch(de.Field); m != nil {
		i, _ := strconv.Atoi(m[2])
		name := m[3]
		if m[1] == "scenarios" {
			if name == "key" || name == "" {
				name = "title"
			}
			return map[string]string{ScenarioField(i, name): msg}
		}
		switch {
		case name == "key":
			name = "name"
		case name == "": // the criterion's range or step
			name = "max"
			if i < len(f.Criteria) && f.Criteria[i].Kind == workshop.KindPercent {
				name = "step"
			}
		}
		return map[string]string{CriterionField(i, name): msg}
	}
	switch top := strings.SplitN(de.Field, ".", 2)[0]; top {
	case TitleField, DescriptionField, SourceField:
		return map[string]string{top: msg}
	}
	return map[string]string{"": msg}
}
