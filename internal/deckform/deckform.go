// Package deckform binds the deck editor's form: a deck becomes the fields
// the editor shows, the posted fields come back as a Form, the editor's
// buttons change the Form, and a Form becomes a deck, with its problems by
// field. The views render a Form and the web adapter posts one; the field
// names and button values are defined here, once, for both.
//
// The editor edits every language of a deck side by side: each text has
// one slot per language (Slot), the deck's own language first.
package deckform

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"foresight/internal/i18n"
	"foresight/internal/workshop"
)

// Form is the deck editor's content: every text in each of the deck's
// languages (a workshop.Text holding what was typed, untrimmed), numbers
// as typed.
type Form struct {
	Slug string // empty for a new deck
	// Languages are the deck's languages, its own first; the editor shows
	// a slot for each text in each of them.
	Languages []string
	// Dropping are languages the author unticked while they still hold
	// text. They stay, with a warning, until the author confirms (DropOp):
	// no text is lost by a click on a checkbox.
	Dropping                   []string
	Title, Description, Source workshop.Text
	Scenarios                  []Scenario
	Criteria                   []Criterion
	// Descriptors are the deck's cross-impact descriptors as JSON, carried
	// through the editor unchanged (it does not edit them: import a deck
	// to change them); "" for none.
	Descriptors string
}

// Scenario is one scenario as the editor shows and posts it. Signposts
// are one per line, and line n is the same signpost in every language.
type Scenario struct {
	Key                                 string
	Title, Narrative, Source, Signposts workshop.Text
}

// Criterion is one criterion as the editor shows and posts it; numbers
// stay text so that what the user typed comes back unchanged. The fields
// of every kind are kept, whichever kind is chosen, so that choosing
// another kind in the browser (without a round trip) finds its fields
// filled and loses nothing.
type Criterion struct {
	Key                  string
	Name, Question       workshop.Text
	Kind, Min, Max, Step string
	Yardstick            string           // a percent criterion's: "" or one of workshop.YardstickKeys
	Labels               workshop.Text    // a scale's or percent's: lines of "value = text"
	Levels               [3]workshop.Text // a confidence criterion's labels of low, moderate, high
	DontKnow             bool
}

// The names of the deck's own fields, of the counts of its lists, and of
// the language fields.
const (
	TitleField       = "title"
	DescriptionField = "description"
	SourceField      = "source"
	ScenarioCount    = "s-n"
	CriterionCount   = "c-n"
	// LanguagesField (hidden) lists the languages the posted slots are
	// in, the own language first.
	LanguagesField = "langs"
	// DescriptorsField carries the deck's descriptors, as JSON, unedited.
	DescriptorsField = "descriptors"
	// LanguageField (a checkbox a language) and OwnLanguageField (a
	// radio button a language) are the author's choice of languages.
	LanguageField    = "lang"
	OwnLanguageField = "lang-own"
)

// ScenarioField is the name (and element ID) of field name of scenario i:
// "s-2-title".
func ScenarioField(i int, name string) string { return fmt.Sprintf("s-%d-%s", i, name) }

// CriterionField is the name (and element ID) of field name of criterion i:
// "c-0-labels".
func CriterionField(i int, name string) string { return fmt.Sprintf("c-%d-%s", i, name) }

// Slot is the name (and element ID) of a text field's input in language
// lang: Slot(ScenarioField(2, "title"), "pl") is "s-2-title-pl". Problems
// with a text are reported by slot. Language fields use it too: the
// checkbox of Polish is Slot(LanguageField, "pl").
func Slot(field, lang string) string { return field + "-" + lang }

// Level is the field of the label of a confidence criterion's level v (1
// to 3): CriterionField(0, Level(2)) is "c-0-level2".
func Level(v int) string { return "level" + strconv.Itoa(v) }

// The editor's buttons are named OpField; their values are OpSave, the
// two adds, OpLanguages, DropOp, or an action on one item (ScenarioOp,
// CriterionOp).
const (
	OpField        = "op"
	OpSave         = "save"
	OpAddScenario  = "add-s"
	OpAddCriterion = "add-c"
	// OpLanguages shows the editor in the languages chosen. Every button
	// applies the choice of languages; this one does nothing else.
	OpLanguages = "langs"
)

// ScenarioOp is the value of the button that moves scenario i "up" or
// "down", or "remove"s it.
func ScenarioOp(action string, i int) string { return fmt.Sprintf("%s-s-%d", action, i) }

// CriterionOp is ScenarioOp for criterion i.
func CriterionOp(action string, i int) string { return fmt.Sprintf("%s-c-%d", action, i) }

// DropOp is the value of the button that removes language lang from the
// deck, with its texts: the confirmation that Dropping waits for.
func DropOp(lang string) string { return "drop-" + lang }

// maxLanguages bounds the languages a post may name, so that a forged
// list of codes cannot multiply the slots of every text.
const maxLanguages = 20

// What a criterion's fields of the kinds it is not hold: the values a new
// criterion of that kind starts with.
const defaultMin, defaultMax, defaultStep = "1", "5", "10"

// Message words a domain error for a person in the language of ctx. The web
// adapter passes its own, so that an error reads the same in the editor as
// anywhere else.
type Message func(ctx context.Context, err error) string

// FromDeck turns a deck into the editor's fields.
func FromDeck(d workshop.Deck, slug string) Form {
	f := Form{Slug: slug, Languages: slices.Clone(d.Languages)}
	if len(d.Descriptors) > 0 {
		b, _ := json.Marshal(d.Descriptors)
		f.Descriptors = string(b)
	}
	if len(f.Languages) == 0 {
		f.Languages = []string{workshop.DefaultLanguage}
	}
	in := f.texts
	f.Title, f.Description, f.Source = in(d.Title), in(d.Description), in(d.Source)
	for _, sc := range d.Scenarios {
		signposts := workshop.Text{}
		for _, lang := range f.Languages {
			lines := make([]string, len(sc.Signposts))
			for j, sp := range sc.Signposts {
				lines[j] = sp[lang] // empty where a signpost is not translated, so the lines stay aligned
			}
			signposts[lang] = strings.Join(lines, "\n")
		}
		f.Scenarios = append(f.Scenarios, Scenario{Key: sc.Key, Title: in(sc.Title), Narrative: in(sc.Narrative),
			Source: in(sc.Source), Signposts: signposts})
	}
	for _, c := range d.Criteria {
		cf := Criterion{Key: c.Key, Name: in(c.Name), Question: in(c.Question), Kind: c.Kind, Yardstick: c.Yardstick,
			DontKnow: c.DontKnow, Min: defaultMin, Max: defaultMax, Step: defaultStep, Labels: in(nil), Levels: f.levels()}
		switch c.Kind {
		case workshop.KindScale:
			cf.Min, cf.Max = strconv.Itoa(c.Min), strconv.Itoa(c.Max)
		case workshop.KindPercent:
			cf.Step = strconv.Itoa(c.Step)
		}
		if c.Kind == workshop.KindConfidence {
			for _, l := range c.Labels {
				if l.Value >= 1 && l.Value <= len(cf.Levels) {
					cf.Levels[l.Value-1] = in(l.Text)
				}
			}
		} else {
			for _, lang := range f.Languages {
				var lines []string
				for _, l := range c.Labels {
					if s := l.Text[lang]; s != "" {
						lines = append(lines, fmt.Sprintf("%d = %s", l.Value, s))
					}
				}
				cf.Labels[lang] = strings.Join(lines, "\n")
			}
		}
		f.Criteria = append(f.Criteria, cf)
	}
	return f
}

// texts is t with an entry for each of the form's languages.
func (f Form) texts(t workshop.Text) workshop.Text {
	out := make(workshop.Text, len(f.Languages))
	for _, lang := range f.Languages {
		out[lang] = t[lang]
	}
	return out
}

// levels are the labels of a confidence criterion's levels in the form's
// languages that Foresight speaks, empty in the others.
func (f Form) levels() (lv [3]workshop.Text) {
	for i, l := range workshop.ConfidenceLabels()[:len(lv)] {
		lv[i] = f.texts(l.Text)
	}
	return lv
}

// Parse reads the editor's posted fields, in the order of their position
// fields (which drag and drop rewrites), applies the languages chosen
// (see Chosen) and returns the button pressed.
func Parse(form map[string][]string, slug string) (f Form, op string) {
	get := func(name string) string {
		if v := form[name]; len(v) > 0 {
			return workshop.CleanText(v[0])
		}
		return ""
	}
	count := func(name string) int {
		n, _ := strconv.Atoi(get(name))
		return min(max(n, 0), workshop.MaxScenarios+1)
	}
	f = Form{Slug: slug, Languages: languageList(strings.Fields(get(LanguagesField))), Descriptors: get(DescriptorsField)}
	if len(f.Languages) == 0 {
		f.Languages = []string{workshop.DefaultLanguage}
	}
	text := func(field string) workshop.Text {
		t := make(workshop.Text, len(f.Languages))
		for _, lang := range f.Languages {
			t[lang] = get(Slot(field, lang))
		}
		return t
	}
	f.Title, f.Description, f.Source = text(TitleField), text(DescriptionField), text(SourceField)
	type positioned[T any] struct {
		pos  int
		item T
	}
	var scen []positioned[Scenario]
	for i := range count(ScenarioCount) {
		p := func(field string) string { return ScenarioField(i, field) }
		pos, err := strconv.Atoi(get(p("pos")))
		if err != nil {
			pos = i
		}
		scen = append(scen, positioned[Scenario]{pos, Scenario{Key: get(p("key")), Title: text(p("title")),
			Narrative: text(p("narrative")), Source: text(p("source")), Signposts: text(p("signposts"))}})
	}
	sort.SliceStable(scen, func(a, b int) bool { return scen[a].pos < scen[b].pos })
	for _, s := range scen {
		f.Scenarios = append(f.Scenarios, s.item)
	}
	var crit []positioned[Criterion]
	for i := range count(CriterionCount) {
		p := func(field string) string { return CriterionField(i, field) }
		pos, err := strconv.Atoi(get(p("pos")))
		if err != nil {
			pos = i
		}
		c := Criterion{Key: get(p("key")), Name: text(p("name")), Question: text(p("question")), Kind: get(p("kind")),
			Min: get(p("min")), Max: get(p("max")), Step: get(p("step")), Yardstick: get(p("yardstick")),
			Labels: text(p("labels")), DontKnow: get(p("dont_know")) != ""}
		for v := range c.Levels {
			c.Levels[v] = text(p(Level(v + 1)))
		}
		crit = append(crit, positioned[Criterion]{pos, c})
	}
	sort.SliceStable(crit, func(a, b int) bool { return crit[a].pos < crit[b].pos })
	for _, c := range crit {
		f.Criteria = append(f.Criteria, c.item)
	}
	f.choose(Chosen(form))
	return f, get(OpField)
}

// Chosen reads the language fields, from the editor or from the new deck's
// first page: the deck's own language first, then the others ticked. It
// is nil when no own language was sent.
func Chosen(form map[string][]string) []string {
	own := form[OwnLanguageField]
	if len(own) == 0 || !workshop.IsLanguageCode(own[0]) {
		return nil
	}
	return languageList(append([]string{own[0]}, form[LanguageField]...))
}

// languageList keeps the language codes of codes, once each, at most
// maxLanguages of them.
func languageList(codes []string) []string {
	var out []string
	for _, c := range codes {
		if len(out) < maxLanguages && workshop.IsLanguageCode(c) && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// choose moves the form to the languages wanted (nil: no change): the own
// language first, then the others kept in their order, then those added.
// An added language gets the confidence levels' labels where Foresight
// has them. A language left out that holds no text goes; one that holds
// text stays, in Dropping, until the author confirms (DropOp).
func (f *Form) choose(want []string) {
	if want == nil {
		return
	}
	langs := []string{want[0]}
	for _, lang := range f.Languages {
		switch {
		case lang == want[0]:
		case slices.Contains(want, lang):
			langs = append(langs, lang)
		case f.TextCount(lang) > 0:
			langs = append(langs, lang)
			f.Dropping = append(f.Dropping, lang)
		default:
			f.deleteTexts(lang)
		}
	}
	var added []string
	for _, lang := range want {
		if !slices.Contains(f.Languages, lang) {
			added = append(added, lang)
		}
		if !slices.Contains(langs, lang) {
			langs = append(langs, lang)
		}
	}
	f.Languages = langs
	for i := range f.Criteria {
		for v, l := range workshop.ConfidenceLabels()[:len(f.Criteria[i].Levels)] {
			for _, lang := range added {
				if f.Criteria[i].Levels[v] == nil {
					f.Criteria[i].Levels[v] = workshop.Text{}
				}
				f.Criteria[i].Levels[v][lang] = l.Text[lang]
			}
		}
	}
}

// each calls visit with every text of the form, and for the label of a
// confidence level the level (1 to 3; 0 for any other text). With used,
// only the texts a deck is built from: a criterion's labels or its levels,
// by its kind.
func (f *Form) each(used bool, visit func(t workshop.Text, level int)) {
	for _, t := range []workshop.Text{f.Title, f.Description, f.Source} {
		visit(t, 0)
	}
	for _, s := range f.Scenarios {
		for _, t := range []workshop.Text{s.Title, s.Narrative, s.Source, s.Signposts} {
			visit(t, 0)
		}
	}
	for _, c := range f.Criteria {
		visit(c.Name, 0)
		visit(c.Question, 0)
		confidence := c.Kind == workshop.KindConfidence
		if !used || !confidence {
			visit(c.Labels, 0)
		}
		if !used || confidence {
			for v, t := range c.Levels {
				visit(t, v+1)
			}
		}
	}
}

// TextCount is how many texts the author wrote in lang: what removing the
// language would lose. A confidence level's label as Foresight filled it
// in is not the author's.
func (f Form) TextCount(lang string) int {
	n := 0
	levels := workshop.ConfidenceLabels()
	f.each(true, func(t workshop.Text, level int) {
		s := strings.TrimSpace(t[lang])
		if s != "" && (level == 0 || s != levels[level-1].Text[lang]) {
			n++
		}
	})
	return n
}

func (f *Form) deleteTexts(lang string) {
	f.each(false, func(t workshop.Text, _ int) { delete(t, lang) })
}

// drop removes language lang and its texts; the own language stays.
func (f *Form) drop(lang string) {
	if i := slices.Index(f.Languages, lang); i > 0 {
		f.Languages = slices.Delete(f.Languages, i, i+1)
		f.deleteTexts(lang)
	}
	f.Dropping = slices.DeleteFunc(f.Dropping, func(l string) bool { return l == lang })
}

// Offered are the languages the editor offers a deck: the interface's,
// then any other the deck has.
func (f Form) Offered() []string {
	out := i18n.Languages()
	for _, lang := range f.Languages {
		if !slices.Contains(out, lang) {
			out = append(out, lang)
		}
	}
	return out
}

// Ticked reports whether lang is one of the deck's languages that the
// author has not unticked.
func (f Form) Ticked(lang string) bool {
	return slices.Contains(f.Languages, lang) && !slices.Contains(f.Dropping, lang)
}

var deckOp = regexp.MustCompile(`^(add|remove|up|down)-(s|c)(?:-(\d+))?$`)

// Apply carries out an editor button other than saving: it adds, removes
// or moves one scenario or criterion, or removes a language (DropOp).
func (f *Form) Apply(op string) error {
	if op == OpLanguages {
		return nil // Parse applied the choice
	}
	if lang, ok := strings.CutPrefix(op, DropOp("")); ok {
		f.drop(lang)
		return nil
	}
	m := deckOp.FindStringSubmatch(op)
	if m == nil {
		return workshop.Errorf(workshop.EInvalid, "error.unknown_editor_action")
	}
	i, _ := strconv.Atoi(m[3])
	switch m[2] {
	case "s":
		blank := Scenario{Title: f.texts(nil), Narrative: f.texts(nil), Source: f.texts(nil), Signposts: f.texts(nil)}
		f.Scenarios = moveItem(f.Scenarios, m[1], i, blank, workshop.MaxScenarios)
	case "c":
		f.Criteria = moveItem(f.Criteria, m[1], i, f.NewCriterion(), workshop.MaxCriteria)
	}
	return nil
}

// NewCriterion is the criterion "Add a criterion" adds: a five-point scale
// with "don't know", its texts empty.
func (f Form) NewCriterion() Criterion {
	return Criterion{Kind: workshop.KindScale, Min: defaultMin, Max: defaultMax, Step: defaultStep, DontKnow: true,
		Name: f.texts(nil), Question: f.texts(nil), Labels: f.texts(nil), Levels: f.levels()}
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

// Deck builds a deck from the editor's fields, in the form's languages;
// new items get fresh keys. Problems come back by field name ("" for the
// whole form), in the language of ctx; message words the deck's
// validation errors.
func (f Form) Deck(ctx context.Context, message Message) (workshop.Deck, map[string]string) {
	own := f.Languages[0]
	errs := map[string]string{}
	if len(f.Dropping) > 0 {
		errs[LanguageField] = i18n.T(ctx, "decks.remove_unticked_language_texts")
	}
	text := func(t workshop.Text) workshop.Text {
		out := workshop.Text{}
		for _, lang := range f.Languages {
			if s := strings.TrimSpace(t[lang]); s != "" {
				out[lang] = s
			}
		}
		return out
	}
	d := workshop.Deck{Schema: workshop.DeckSchema, Slug: f.Slug, Languages: slices.Clone(f.Languages),
		Title: text(f.Title), Description: text(f.Description), Source: text(f.Source)}
	if d.Slug == "" {
		d.Slug = "new-deck" // replaced on save; Validate needs one
	}
	used := map[string]bool{}
	for i, sf := range f.Scenarios {
		sc := workshop.Scenario{Key: freshKey(sf.Key, fmt.Sprintf("s%d", i+1), used), Title: text(sf.Title),
			Narrative: text(sf.Narrative), Source: text(sf.Source)}
		if len(sc.Source) == 0 {
			sc.Source = nil
		}
		var missing int
		sc.Signposts, missing = f.signposts(sf.Signposts)
		if missing > 0 {
			errs[Slot(ScenarioField(i, "signposts"), own)] = i18n.Tf(ctx, "decks.line_signpost_written_in", missing)
		}
		d.Scenarios = append(d.Scenarios, sc)
	}
	used = map[string]bool{}
	for i, cf := range f.Criteria {
		c := workshop.Criterion{Key: freshKey(cf.Key, fmt.Sprintf("c%d", i+1), used), Name: text(cf.Name),
			Question: text(cf.Question), Kind: cf.Kind, DontKnow: cf.DontKnow, Labels: []workshop.Label{}}
		if len(c.Question) == 0 {
			c.Question = nil
		}
		number := func(name, v string, def int) int {
			if strings.TrimSpace(v) == "" {
				return def
			}
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				errs[CriterionField(i, name)] = i18n.T(ctx, "decks.enter_whole_number")
			}
			return n
		}
		switch c.Kind {
		case workshop.KindConfidence:
			c.Min, c.Max, c.Step = 1, 3, 1
			for v, t := range cf.Levels {
				c.Labels = append(c.Labels, workshop.Label{Value: v + 1, Text: text(t)})
			}
		case workshop.KindPercent:
			c.Min, c.Max, c.Step = 0, 100, number("step", cf.Step, 10)
			c.Yardstick = cf.Yardstick
			c.Labels = f.labels(ctx, cf.Labels, CriterionField(i, "labels"), errs)
		default:
			c.Kind = workshop.KindScale
			c.Min, c.Max, c.Step = number("min", cf.Min, 1), number("max", cf.Max, 5), 1
			c.Labels = f.labels(ctx, cf.Labels, CriterionField(i, "labels"), errs)
		}
		d.Criteria = append(d.Criteria, c)
	}
	if f.Descriptors != "" {
		if err := json.Unmarshal([]byte(f.Descriptors), &d.Descriptors); err != nil {
			errs[""] = i18n.T(ctx, "decks.descriptors_unreadable")
		}
		// A language unticked takes its descriptor texts with it.
		for i := range d.Descriptors {
			dd := &d.Descriptors[i]
			dd.Title = text(dd.Title)
			for j := range dd.Variants {
				dd.Variants[j].Title = text(dd.Variants[j].Title)
			}
		}
	}
	// Validate reports one problem; the form's own checks may have found
	// others, elsewhere: the author sees them all at once.
	if err := d.Validate(); err != nil {
		for field, msg := range f.Errors(ctx, err, message) {
			if _, ok := errs[field]; !ok {
				errs[field] = msg
			}
		}
	}
	if len(errs) > 0 {
		return d, errs
	}
	return d, nil
}

// signposts reads a scenario's signposts: line n of each language is one
// signpost, and a line empty in every language is none. missing is the
// first line (from 1) written in another language but not in the own one.
func (f Form) signposts(t workshop.Text) (out []workshop.Text, missing int) {
	lines := map[string][]string{}
	n := 0
	for _, lang := range f.Languages {
		lines[lang] = strings.Split(t[lang], "\n")
		n = max(n, len(lines[lang]))
	}
	for j := range n {
		sp := workshop.Text{}
		for _, lang := range f.Languages {
			if j < len(lines[lang]) {
				if s := strings.TrimSpace(lines[lang][j]); s != "" {
					sp[lang] = s
				}
			}
		}
		if len(sp) == 0 {
			continue
		}
		if sp[f.Languages[0]] == "" && missing == 0 {
			missing = j + 1
		}
		out = append(out, sp)
	}
	return out, missing
}

// labels reads a scale's labels, "value = text" a line in each language,
// into one label a value (in the order the values first appear). A line
// that does not read, a value labelled twice in a language, or one
// labelled in another language but not in the own one is reported on its
// slot of field.
func (f Form) labels(ctx context.Context, t workshop.Text, field string, errs map[string]string) []workshop.Label {
	labels := []workshop.Label{}
	at := map[int]int{} // value to index in labels
	for _, lang := range f.Languages {
		seen := map[int]bool{}
		for n, line := range strings.Split(t[lang], "\n") {
			if line = strings.TrimSpace(line); line == "" {
				continue
			}
			v, s, ok := strings.Cut(line, "=")
			if !ok {
				v, s, ok = strings.Cut(line, ":")
			}
			value, err := strconv.Atoi(strings.TrimSpace(v))
			if s = strings.TrimSpace(s); !ok || err != nil || s == "" {
				errs[Slot(field, lang)] = i18n.Tf(ctx, "decks.line_write_label_value", n+1)
				break
			}
			if seen[value] {
				errs[Slot(field, lang)] = i18n.Tf(ctx, "decks.line_label_already", n+1, value)
				break
			}
			seen[value] = true
			k, ok := at[value]
			if !ok {
				k, at[value] = len(labels), len(labels)
				labels = append(labels, workshop.Label{Value: value, Text: workshop.Text{}})
			}
			labels[k].Text[lang] = s
		}
	}
	own := Slot(field, f.Languages[0])
	for _, l := range labels {
		if _, reported := errs[own]; !reported && l.Text[f.Languages[0]] == "" {
			errs[own] = i18n.Tf(ctx, "decks.label_in_another_language", l.Value)
		}
	}
	return labels
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

// Errors maps a deck's validation error (from Validate, or from the store
// on saving) to the editor's fields: "scenarios[2].title.pl" is the slot
// "s-2-title-pl", `scenarios[2].title: "pl" is required` the same slot,
// "criteria[0].labels[1].value" the labels' slot in the own language. It
// returns nil for errors that are not the user's.
func (f Form) Errors(ctx context.Context, err error, message Message) map[string]string {
	var de *workshop.Error
	if !errors.As(err, &de) || de.Code == workshop.EInternal {
		return nil
	}
	msg := message(ctx, err)
	field, isText, lang := f.field(de.Field)
	// A text missing in one of the deck's languages: the domain's message
	// names the language; next to that language's box it need not.
	if de.ID == "error.required" && len(de.Args) == 1 {
		if l, ok := de.Args[0].(string); ok {
			msg, lang = i18n.T(ctx, "decks.fill_in_field"), l
		}
	}
	// Next to a field or at the top of the form, a rule's fragment ("must
	// be one line", "a deck needs 1 to 10 criteria") reads as a sentence.
	if r, size := utf8.DecodeRuneInString(msg); size > 0 {
		msg = string(unicode.ToUpper(r)) + msg[size:]
	}
	if isText {
		if !slices.Contains(f.Languages, lang) {
			lang = f.Languages[0]
		}
		field = Slot(field, lang)
	}
	return map[string]string{field: msg}
}

// pathStep is one step of a deck path: "signposts[1]" is {"signposts", 1}.
type pathStep struct {
	name  string
	index int // -1 when the step has none
}

var stepPattern = regexp.MustCompile(`^(\w+)(?:\[(\d+)\])?$`)

func splitPath(path string) []pathStep {
	var out []pathStep
	for _, s := range strings.Split(path, ".") {
		m := stepPattern.FindStringSubmatch(s)
		if m == nil {
			return nil
		}
		i, err := strconv.Atoi(m[2])
		if err != nil {
			i = -1
		}
		out = append(out, pathStep{m[1], i})
	}
	return out
}

// field is the editor's field a deck path is about: a text field (whose
// slot the caller picks by language; lang is the one the path names, if
// any) or another field; "" for the form as a whole.
func (f Form) field(path string) (field string, isText bool, lang string) {
	steps := splitPath(path)
	if len(steps) == 0 {
		return "", false, ""
	}
	if last := steps[len(steps)-1]; len(steps) > 1 && last.index < 0 && slices.Contains(f.Languages, last.name) {
		lang = last.name
	}
	top := steps[0]
	sub := func(i int) pathStep {
		if i < len(steps) {
			return steps[i]
		}
		return pathStep{index: -1}
	}
	switch {
	case top.name == TitleField || top.name == DescriptionField || top.name == SourceField:
		return top.name, true, lang
	case top.name == "languages":
		return LanguageField, false, ""
	case top.name == "scenarios" && top.index >= 0 && top.index < len(f.Scenarios):
		switch name := sub(1).name; name {
		case "narrative", "source", "signposts":
			return ScenarioField(top.index, name), true, lang
		}
		return ScenarioField(top.index, "title"), true, lang // its key, or the scenario as a whole
	case top.name == "criteria" && top.index >= 0 && top.index < len(f.Criteria):
		i, kind := top.index, f.Criteria[top.index].Kind
		switch s := sub(1); s.name {
		case "":
			// The range or the step.
			switch kind {
			case workshop.KindPercent:
				return CriterionField(i, "step"), false, ""
			case workshop.KindConfidence:
				return CriterionField(i, "kind"), false, ""
			}
			return CriterionField(i, "max"), false, ""
		case "kind", "yardstick":
			return CriterionField(i, s.name), false, ""
		case "question":
			return CriterionField(i, s.name), true, lang
		case "labels":
			if kind == workshop.KindConfidence && s.index >= 0 && s.index < len(f.Criteria[i].Levels) {
				return CriterionField(i, Level(s.index+1)), true, lang
			}
			return CriterionField(i, "labels"), true, lang
		}
		return CriterionField(i, "name"), true, lang // its name, its key, or the criterion as a whole
	}
	return "", false, ""
}
