package workshop

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// DeckSchema is the version of the deck JSON format this code reads and writes.
const DeckSchema = 1

// Criterion kinds.
const (
	KindScale   = "scale"   // a few labelled points, e.g. 1..5
	KindPercent = "percent" // a probability 0..100 in steps
	// KindConfidence is how sure a rater is of their other answers: low,
	// moderate or high (1..3). Analysts state it apart from a likelihood
	// and never fold it into one; to the statistics it is a 3-point scale.
	KindConfidence = "confidence"
)

// ConfidenceLabels are the levels of a confidence criterion in the
// interface's languages.
func ConfidenceLabels() []Label {
	return []Label{
		{Value: 1, Text: Text{"en": "Low", "pl": "Niska", "fr": "Faible"}},
		{Value: 2, Text: Text{"en": "Moderate", "pl": "Umiarkowana", "fr": "Modérée"}},
		{Value: 3, Text: Text{"en": "High", "pl": "Wysoka", "fr": "Élevée"}},
	}
}

// Limits of a deck. Values are integers within [ValueMin, ValueMax]: the
// widest scale any criterion may use (the database enforces it too).
const (
	ValueMin        = 0
	ValueMax        = 100
	MaxScenarios    = 100
	MaxCriteria     = 10
	MaxTitleRunes   = 200
	MaxTextRunes    = 4000
	MaxDeckBytes    = 1 << 20
	DefaultLanguage = "en"
)

// Text is a translatable text: language code to text. A deck's own (first)
// language is required where a text is.
type Text map[string]string

// In returns the text in lang, falling back to English and then to any
// language the text has, so a user always sees something.
func (t Text) In(lang string) string {
	if s, ok := t[lang]; ok && s != "" {
		return s
	}
	if s := t[DefaultLanguage]; s != "" {
		return s
	}
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if t[k] != "" {
			return t[k]
		}
	}
	return ""
}

// Label names one point of a scale.
type Label struct {
	Value int  `json:"value"`
	Text  Text `json:"text"`
}

// Criterion is one question every scenario is rated on. ID is set once the
// criterion belongs to a workshop; decks identify criteria by Key.
type Criterion struct {
	ID       int64   `json:"-"`
	Key      string  `json:"key"`
	Name     Text    `json:"name"`
	Question Text    `json:"question,omitempty"`
	Kind     string  `json:"kind"`
	Min      int     `json:"min"`
	Max      int     `json:"max"`
	Step     int     `json:"step"`
	DontKnow bool    `json:"dont_know"`
	Labels   []Label `json:"labels"`
	// Yardstick names the estimative-language standard of a percent
	// criterion ("icd203", "phia"); "" for none.
	Yardstick string `json:"yardstick,omitempty"`
}

// YardstickOf returns the criterion's yardstick, if it names one.
func (c Criterion) YardstickOf() (Yardstick, bool) {
	if c.Yardstick == "" {
		return Yardstick{}, false
	}
	return YardstickOf(c.Yardstick)
}

// Points returns the values a rating may take, in order: the scale's
// steps and, on a percent criterion with a yardstick, every whole percent
// of its outermost terms too (ICD 203's 1–5 % and 95–99 %), so that each
// value a term names can be given and each term's pick lies inside it.
func (c Criterion) Points() []int {
	var pts []int
	for v := c.Min; v <= c.Max; v++ {
		if c.IsPoint(v) {
			pts = append(pts, v)
		}
	}
	return pts
}

// Grid returns the scale's regular steps, Min to Max every Step: where a
// chart lays the scale out evenly (a value between steps, such as 3 % on a
// scale of fives, sits between them).
func (c Criterion) Grid() []int {
	var pts []int
	for v := c.Min; v <= c.Max; v += c.Step {
		pts = append(pts, v)
	}
	return pts
}

// endRanges are the ranges of the outermost terms of a percent criterion's
// yardstick, where every whole percent is a point; empty ranges otherwise.
func (c Criterion) endRanges() (lo, hi [2]int) {
	lo, hi = [2]int{1, 0}, [2]int{1, 0}
	y, ok := c.YardstickOf()
	if c.Kind != KindPercent || !ok || len(y.Bands) == 0 {
		return lo, hi
	}
	first, last := y.Bands[0], y.Bands[len(y.Bands)-1]
	return [2]int{first.Min, first.Max}, [2]int{last.Min, last.Max}
}

// IsPoint reports whether v is one of the values a rating may take.
func (c Criterion) IsPoint(v int) bool {
	if v < c.Min || v > c.Max {
		return false
	}
	lo, hi := c.endRanges()
	return (v-c.Min)%c.Step == 0 || v >= lo[0] && v <= lo[1] || v >= hi[0] && v <= hi[1]
}

// Label returns the label text of value v in lang, or "" when it has none.
func (c Criterion) Label(v int, lang string) string {
	for _, l := range c.Labels {
		if l.Value == v {
			return l.Text.In(lang)
		}
	}
	return ""
}

// CheckValue reports whether v is an allowed rating. A nil value means
// "don't know".
func (c Criterion) CheckValue(v *int) error {
	if v == nil {
		if !c.DontKnow {
			return FieldError("value", "error.scale_no_dont_know")
		}
		return nil
	}
	if !c.IsPoint(*v) {
		if lo, hi := c.endRanges(); lo[0] <= lo[1] {
			return FieldError("value", "error.choose_value_in_steps", c.Min, c.Max, c.Step, lo[0], lo[1], hi[0], hi[1])
		}
		return FieldError("value", "error.choose_value_in_steps_n", c.Min, c.Max, c.Step)
	}
	return nil
}

// Scenario is one possible development participants rate.
type Scenario struct {
	ID        int64  `json:"-"`
	Key       string `json:"key"`
	Title     Text   `json:"title"`
	Narrative Text   `json:"narrative"`
	Source    Text   `json:"source,omitempty"`
	Signposts []Text `json:"signposts,omitempty"`

	// A workshop's scenario promoted from an idea of the room (issue 22)
	// has Origin OriginRoom, the idea, the round it is first rated in, and
	// its source as it was when promoted: the author's pseudonym ("" when
	// unknown or anonymised) and the idea's votes. A deck's scenarios have
	// Origin "" or OriginDeck and FromRound 0 or 1. None of it is part of
	// a deck's JSON.
	Origin          string `json:"-"`
	IdeaID          int64  `json:"-"`
	FromRound       int    `json:"-"`
	SourcePseudonym string `json:"-"`
	SourceVotes     int    `json:"-"`
}

// FromRoom reports whether the scenario was promoted from an idea.
func (s Scenario) FromRoom() bool { return s.Origin == OriginRoom }

// Deck is a set of scenarios and the criteria to rate them on.
type Deck struct {
	Schema      int         `json:"schema"`
	Slug        string      `json:"slug"`
	Languages   []string    `json:"languages"`
	Title       Text        `json:"title"`
	Description Text        `json:"description,omitempty"`
	Source      Text        `json:"source,omitempty"`
	Criteria    []Criterion `json:"criteria"`
	Scenarios   []Scenario  `json:"scenarios"`
	// Descriptors are the deck's cross-impact analysis (descriptors.go);
	// none means its scenarios stand in for them.
	Descriptors []Descriptor `json:"descriptors,omitempty"`
	BuiltIn     bool         `json:"-"`
	OwnerID     int64        `json:"-"` // the facilitator who wrote it; 0 for built-in decks
}

// Complete fills in what a deck may leave out: a confidence criterion's
// range (1 to 3) and, when it has no labels, its levels' labels in the
// deck's languages that Foresight speaks.
func (d *Deck) Complete() {
	for i := range d.Criteria {
		c := &d.Criteria[i]
		if c.Kind != KindConfidence {
			continue
		}
		if c.Min == 0 && c.Max == 0 && c.Step == 0 {
			c.Min, c.Max, c.Step = 1, 3, 1
		}
		if len(c.Labels) == 0 {
			for _, l := range ConfidenceLabels() {
				t := Text{}
				for _, lang := range d.Languages {
					if s, ok := l.Text[lang]; ok {
						t[lang] = s
					}
				}
				c.Labels = append(c.Labels, Label{Value: l.Value, Text: t})
			}
		}
	}
}

// CanEdit reports whether u may change deck d: its owner or an organiser;
// nobody edits a built-in deck (it can be copied).
func (d Deck) CanEdit(u User) bool {
	return !d.BuiltIn && (d.OwnerID == u.ID || u.Role == RoleOrganiser)
}

// CanUse reports whether u may see deck d and run workshops on it.
func (d Deck) CanUse(u User) bool { return d.BuiltIn || d.CanEdit(u) }

// JSON encodes the deck in the versioned format, indented for people.
func (d Deck) JSON() []byte {
	d.Schema = DeckSchema
	b, _ := json.MarshalIndent(d, "", "  ")
	return append(b, '\n')
}

var (
	keyPattern  = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
	langPattern = regexp.MustCompile(`^[a-z]{2,3}$`)
)

// IsLanguageCode reports whether code may name a deck's language: two or
// three lower-case letters ("en", "pl").
func IsLanguageCode(code string) bool { return langPattern.MatchString(code) }

// ParseDeck reads a deck in the versioned JSON format. It is strict: unknown
// fields, wrong types, trailing data and oversized input are refused with a
// message naming the problem and where it is.
func ParseDeck(r io.Reader) (Deck, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxDeckBytes+1))
	if err != nil {
		return Deck{}, Errorf(EMalformed, "error.cannot_read_deck", err)
	}
	if len(data) > MaxDeckBytes {
		return Deck{}, Errorf(ETooLarge, "error.deck_larger_than_bytes", MaxDeckBytes)
	}
	if !utf8.Valid(data) {
		return Deck{}, Errorf(EMalformed, "error.deck_not_valid_utf")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var d Deck
	if err := dec.Decode(&d); err != nil {
		return Deck{}, describeJSONError(data, err)
	}
	if dec.More() {
		return Deck{}, Errorf(EInvalid, "error.unexpected_data_after_decks")
	}
	d.cleanLineEnds()
	d.Complete()
	if err := d.Validate(); err != nil {
		return Deck{}, err
	}
	return d, nil
}

// cleanLineEnds normalises the line ends of the deck's multi-line texts
// (CleanText); one-line texts keep theirs, to be refused.
func (d *Deck) cleanLineEnds() {
	clean := func(t Text) {
		for lang, s := range t {
			t[lang] = CleanText(s)
		}
	}
	clean(d.Description)
	clean(d.Source)
	for i := range d.Scenarios {
		s := &d.Scenarios[i]
		clean(s.Narrative)
		clean(s.Source)
		for _, sp := range s.Signposts {
			clean(sp)
		}
	}
	for _, c := range d.Criteria {
		clean(c.Question)
	}
}

// describeJSONError turns a decoding error into a message with a line number
// and, where the decoder knows it, the JSON path.
func describeJSONError(data []byte, err error) *Error {
	line := func(off int64) int {
		if off > int64(len(data)) {
			off = int64(len(data))
		}
		return 1 + bytes.Count(data[:off], []byte("\n"))
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return Errorf(EInvalid, "error.line_invalid_json", line(syn.Offset), syn)
	case errors.As(err, &typ):
		return Errorf(EInvalid, "error.line_expected_got", line(typ.Offset), typ.Field, typ.Type, typ.Value)
	case err == io.EOF:
		return Errorf(EInvalid, "error.deck_empty")
	case err == io.ErrUnexpectedEOF:
		return Errorf(EInvalid, "error.deck_ends_too_early")
	}
	msg := err.Error()
	if f, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		return Errorf(EInvalid, "error.unknown_field", f)
	}
	return Errorf(EInvalid, "error.text", strings.TrimPrefix(msg, "json: "))
}

// Validate checks a deck's rules and reports the first problem with its path,
// e.g. `scenarios[2].title: "en" is required`. A text that is required is
// required in the deck's first language, whichever it is.
func (d Deck) Validate() error {
	if d.Schema != DeckSchema {
		return FieldError("schema", "error.unsupported_deck_schema_version", d.Schema, DeckSchema)
	}
	if !keyPattern.MatchString(d.Slug) {
		return FieldError("slug", "error.must_1_63_lower")
	}
	if len(d.Languages) == 0 {
		return FieldError("languages", "error.list_least_one_language")
	}
	seenLang := languages{first: d.Languages[0], all: map[string]bool{}}
	for i, l := range d.Languages {
		if !langPattern.MatchString(l) || seenLang.all[l] {
			return FieldError(fmt.Sprintf("languages[%d]", i), "error.not_language_code_listed", l)
		}
		seenLang.all[l] = true
	}
	if err := checkLine("title", d.Title, seenLang, true, MaxTitleRunes); err != nil {
		return err
	}
	if err := checkText("description", d.Description, seenLang, false, MaxTextRunes); err != nil {
		return err
	}
	if err := checkText("source", d.Source, seenLang, false, MaxTextRunes); err != nil {
		return err
	}
	if len(d.Criteria) == 0 || len(d.Criteria) > MaxCriteria {
		return FieldError("criteria", "error.deck_needs_1_criteria", MaxCriteria)
	}
	keys := map[string]bool{}
	for i, c := range d.Criteria {
		if err := c.validate(fmt.Sprintf("criteria[%d]", i), seenLang); err != nil {
			return err
		}
		if keys[c.Key] {
			return FieldError(fmt.Sprintf("criteria[%d].key", i), "error.used_twice", c.Key)
		}
		keys[c.Key] = true
	}
	if len(d.Scenarios) == 0 || len(d.Scenarios) > MaxScenarios {
		return FieldError("scenarios", "error.deck_needs_1_scenarios", MaxScenarios)
	}
	keys = map[string]bool{}
	for i, s := range d.Scenarios {
		p := fmt.Sprintf("scenarios[%d]", i)
		if !keyPattern.MatchString(s.Key) {
			return FieldError(p+".key", "error.must_1_63_lower")
		}
		if keys[s.Key] {
			return FieldError(p+".key", "error.used_twice", s.Key)
		}
		keys[s.Key] = true
		if err := checkLine(p+".title", s.Title, seenLang, true, MaxTitleRunes); err != nil {
			return err
		}
		if err := checkText(p+".narrative", s.Narrative, seenLang, true, MaxTextRunes); err != nil {
			return err
		}
		if err := checkText(p+".source", s.Source, seenLang, false, MaxTitleRunes*2); err != nil {
			return err
		}
		if len(s.Signposts) > 10 {
			return FieldError(p+".signposts", "error.most_10_signposts")
		}
		for j, sp := range s.Signposts {
			if err := checkText(fmt.Sprintf("%s.signposts[%d]", p, j), sp, seenLang, true, MaxTitleRunes*2); err != nil {
				return err
			}
		}
	}
	return d.validateDescriptors(seenLang)
}

// languages are a deck's languages: its own (first) and every one it has.
type languages struct {
	first string
	all   map[string]bool
}

func (c Criterion) validate(p string, langs languages) error {
	if !keyPattern.MatchString(c.Key) {
		return FieldError(p+".key", "error.must_1_63_lower")
	}
	if err := checkLine(p+".name", c.Name, langs, true, MaxTitleRunes); err != nil {
		return err
	}
	if err := checkText(p+".question", c.Question, langs, false, MaxTitleRunes*2); err != nil {
		return err
	}
	switch c.Kind {
	case KindScale:
		if n := c.Max - c.Min + 1; c.Step != 1 || n < 2 || n > 11 {
			return FieldError(p, "error.scale_2_11_points")
		}
	case KindPercent:
		if c.Min != 0 || c.Max != 100 || c.Step < 1 || c.Step > 50 || 100%c.Step != 0 {
			return FieldError(p, "error.percent_criterion_runs_0")
		}
	case KindConfidence:
		if c.Min != 1 || c.Max != 3 || c.Step != 1 {
			return FieldError(p, "error.confidence_criterion_three_levels")
		}
	default:
		return FieldError(p+".kind", "error.must_value", KindScale, KindPercent, KindConfidence)
	}
	if c.Yardstick != "" {
		if _, ok := YardstickOf(c.Yardstick); !ok {
			return FieldError(p+".yardstick", "error.must", YardstickICD203, YardstickPHIA)
		}
		if c.Kind != KindPercent {
			return FieldError(p+".yardstick", "error.only_percent_criterion_yardstick")
		}
	}
	if c.Min < ValueMin || c.Max > ValueMax {
		return FieldError(p, "error.values_must_lie_within", ValueMin, ValueMax)
	}
	seen := map[int]bool{}
	for i, l := range c.Labels {
		lp := fmt.Sprintf("%s.labels[%d]", p, i)
		if l.Value < c.Min || l.Value > c.Max || (l.Value-c.Min)%c.Step != 0 {
			return FieldError(lp+".value", "error.not_point_scale", l.Value)
		}
		if seen[l.Value] {
			return FieldError(lp+".value", "error.labelled_twice", l.Value)
		}
		seen[l.Value] = true
		if err := checkLine(lp+".text", l.Text, langs, true, MaxTitleRunes); err != nil {
			return err
		}
	}
	return nil
}

// checkText validates a translatable text: languages of the deck only, the
// deck's first language present when required, clean text within the
// length limit.
func checkText(p string, t Text, langs languages, required bool, maxRunes int) error {
	if required && strings.TrimSpace(t[langs.first]) == "" {
		return FieldError(p, "error.required", langs.first)
	}
	for lang, s := range t {
		if !langs.all[lang] {
			return FieldError(p, "error.language_not_in_decks", lang)
		}
		if err := CheckText(s, maxRunes); err != nil {
			return FieldError(p+"."+lang, "error.text", err)
		}
	}
	return nil
}

// checkLine is checkText for titles, names and labels: one line only.
func checkLine(p string, t Text, langs languages, required bool, maxRunes int) error {
	if err := checkText(p, t, langs, required, maxRunes); err != nil {
		return err
	}
	for lang, s := range t {
		if err := CheckLine(s, maxRunes); err != nil {
			return FieldError(p+"."+lang, "error.text", err)
		}
	}
	return nil
}

// The one policy for text that Foresight stores (titles, names, reasons,
// notes, deck texts), documented in the README's "Security":
//   - valid UTF-8, within the field's length;
//   - no C0 control characters but tab and line feed in multi-line text;
//     carriage returns and the separators U+2028 and U+2029 become line
//     feeds first (CleanText);
//   - no C1 control characters (U+0080 to U+009F, NEL among them) and no
//     DEL;
//   - no bidirectional controls (U+202A to U+202E, U+2066 to U+2069): they
//     can make text read other than it is;
//   - no tag characters (U+E0000 to U+E007F), which are invisible, and no
//     U+FEFF (a byte order mark, or the old zero-width no-break space);
//   - one-line fields (titles, names, labels) also refuse tab, line feed,
//     and the line and paragraph separators U+2028 and U+2029.
//
// Zero-width (non-)joiners and spaces (U+200B to U+200D) stay: scripts and
// emoji need them.

// CleanText normalises the line ends of a multi-line text: CRLF, a lone
// CR and the line and paragraph separators (U+2028, U+2029, which some
// programs put in copied text) become LF, so that stored text has one kind
// of line end.
func CleanText(s string) string {
	if !strings.ContainsAny(s, "\r\u2028\u2029") {
		return s
	}
	return lineEnds.Replace(s)
}

var lineEnds = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\u2028", "\n", "\u2029", "\n")

// CheckText refuses multi-line text that breaks the policy above or is
// longer than maxRunes characters. Normalise it with CleanText first.
func CheckText(s string, maxRunes int) error {
	return checkRunes(s, maxRunes, false)
}

// CheckLine is CheckText for a one-line field.
func CheckLine(s string, maxRunes int) error {
	return checkRunes(s, maxRunes, true)
}

func checkRunes(s string, maxRunes int, oneLine bool) error {
	if !utf8.ValidString(s) {
		return Errorf(EInvalid, "error.not_valid_utf_8")
	}
	if n := utf8.RuneCountInString(s); n > maxRunes {
		return Errorf(EInvalid, "error.characters_long_limit", n, maxRunes)
	}
	for _, r := range s {
		switch {
		case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
			return Errorf(EInvalid, "error.contains_bidirectional_control_character")
		case oneLine && (r == '\n' || r == '\r' || r == '\t' || r == 0x2028 || r == 0x2029 || r == 0x85):
			return Errorf(EInvalid, "error.must_one_line")
		case r < 0x20 && r != '\n' && r != '\t', r >= 0x7f && r <= 0x9f:
			return Errorf(EInvalid, "error.contains_control_character")
		case r == 0x2028 || r == 0x2029:
			return Errorf(EInvalid, "error.contains_line_paragraph_separator")
		case r >= 0xE0000 && r <= 0xE007F, r == 0xFEFF:
			return Errorf(EInvalid, "error.contains_invisible_character")
		}
	}
	return nil
}

//go:embed decks/*.json
var builtinFS embed.FS

// BuiltinDecks returns the decks that ship with Foresight, parsed and
// validated; an invalid built-in deck is a programming error reported here.
func BuiltinDecks() ([]Deck, error) {
	entries, err := builtinFS.ReadDir("decks")
	if err != nil {
		return nil, err
	}
	var decks []Deck
	for _, e := range entries {
		f, err := builtinFS.Open(path.Join("decks", e.Name()))
		if err != nil {
			return nil, err
		}
		d, err := ParseDeck(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("built-in deck %s: %w", e.Name(), err)
		}
		d.BuiltIn = true
		decks = append(decks, d)
	}
	// By slug: the original deck before its variants ("nato-afghanistan",
	// then "nato-afghanistan-estimates"), whatever the files are called.
	sort.Slice(decks, func(i, j int) bool { return decks[i].Slug < decks[j].Slug })
	return decks, nil
}
