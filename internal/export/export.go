// Package export writes a workshop's data in the formats organisers take
// into their own tools: ratings, summary and rationales as CSV, the whole
// workshop as JSON, and a workbook as XLSX. docs/export-format.md describes
// every column and field.
//
// The encoders stream: they read ratings and rationales from iterators one
// row at a time, so memory stays flat however many ratings a workshop has.
// The caller hands them a Source made from the workshop.Record the store
// reads in one consistent snapshot. Statistics come from workshop.NewItemResult and Results.Summarise,
// the code behind the results API, and machine formats carry them at full
// precision.
//
// The package knows the domain only; the web adapter and the CLI read the
// store and pass its record on.
package export

import (
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"foresight/internal/workshop"
)

// Source is one workshop as an export sees it: its Record, read in one
// snapshot of the store, with ratings and rationales streaming from that
// same snapshot, and only while it lasts.
type Source struct {
	workshop.Record
	// Lang is the language of titles and names in the CSV and XLSX files;
	// JSON carries every language. Empty: workshop.DefaultLanguage.
	Lang string

	results []workshop.Results
	scores  []CriterionScores
	scored  bool
	cib     []workshop.CrossImpactResult
	js      []workshop.StoredJudgement
}

// NewSource is the export of rec, with titles and names in lang.
func NewSource(rec *workshop.Record, lang string) *Source {
	return &Source{Record: *rec, Lang: lang}
}

// CriterionScores are the scores of one percent criterion.
type CriterionScores struct {
	Criterion workshop.Criterion
	Scores    workshop.Scores
}

// Scores scores the estimates of every percent criterion against the
// workshop's outcomes (workshop.ScoreWorkshop), from the ratings of the
// source's snapshot; none before the workshop has finished, as the scores
// API answers.
func (s *Source) Scores() ([]CriterionScores, error) {
	if s.scored {
		return s.scores, nil
	}
	w := s.Workshop
	var out []CriterionScores
	if w.State == workshop.StateFinished {
		estimates := map[int64][]workshop.Estimate{}
		percent := map[int64]bool{}
		for _, c := range w.Criteria {
			percent[c.ID] = c.Kind == workshop.KindPercent
		}
		names := map[string]string{} // one copy of each pseudonym, not one per rating
		for r, err := range ratingsOf(s) {
			if err != nil {
				return nil, err
			}
			if percent[r.CriterionID] && !r.Answer.DontKnow {
				name, ok := names[r.Pseudonym]
				if !ok {
					name = r.Pseudonym
					names[name] = name
				}
				estimates[r.CriterionID] = append(estimates[r.CriterionID],
					workshop.Estimate{Participant: name, Round: r.Round, ScenarioID: r.ScenarioID, Value: r.Answer.Value})
			}
		}
		for _, c := range w.Criteria {
			if percent[c.ID] {
				out = append(out, CriterionScores{Criterion: c, Scores: workshop.ScoreWorkshop(w, c, w.Outcomes, estimates[c.ID])})
			}
		}
	}
	s.scores, s.scored = out, true
	return out, nil
}

func (s *Source) lang() string {
	if s.Lang == "" {
		return workshop.DefaultLanguage
	}
	return s.Lang
}

// Results returns the results of every round, 1 to the current one, as the
// results API computes them: the workshop's Counts built from the exact
// tallies of the snapshot, and Counts.Results for each round.
func (s *Source) Results() ([]workshop.Results, error) {
	if s.results != nil {
		return s.results, nil
	}
	var tally workshop.Tally
	if s.Tally != nil {
		var err error
		if tally, err = s.Tally(); err != nil {
			return nil, err
		}
	}
	w := s.Workshop
	counts := workshop.NewCounts(w, tally)
	out := make([]workshop.Results, 0, w.Round)
	for n := 1; n <= w.Round; n++ {
		out = append(out, counts.Results(w, n, w.Seq, s.Joined))
	}
	s.results = out
	return out, nil
}

// Round returns round n's times, or RoundTimes with only N set.
func (s *Source) Round(n int) workshop.RoundTimes {
	for _, r := range s.Rounds {
		if r.N == n {
			return r
		}
	}
	return workshop.RoundTimes{N: n}
}

// Format is one kind of export file.
type Format struct {
	Name        string // as the CLI's --format names it
	File        string // the last part of its URL and file name
	ContentType string
	write       func(io.Writer, *Source) error
}

// Write writes src in format f to w.
func (f Format) Write(w io.Writer, src *Source) error { return f.write(w, src) }

// The formats, in the order the workshop page lists them.
var (
	RatingsCSV    = Format{"csv", "ratings.csv", "text/csv; charset=utf-8; header=present", WriteRatingsCSV}
	SummaryCSV    = Format{"summary", "summary.csv", "text/csv; charset=utf-8; header=present", WriteSummaryCSV}
	RationalesCSV = Format{"rationales", "rationales.csv", "text/csv; charset=utf-8; header=present", WriteRationalesCSV}
	ScoresCSV     = Format{"scores", "scores.csv", "text/csv; charset=utf-8; header=present", WriteScoresCSV}
	IdeasCSV      = Format{"ideas", "ideas.csv", "text/csv; charset=utf-8; header=present", WriteIdeasCSV}
	JSON          = Format{"json", "workshop.json", "application/json; charset=utf-8", WriteJSON}
	XLSX          = Format{"xlsx", "workshop.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", WriteXLSX}
	// The cross-impact rounds: every judgement, every cell's statistics,
	// and the last round's matrix of medians for ScenarioWizard.
	JudgementsCSV     = Format{"judgements", "judgements.csv", "text/csv; charset=utf-8; header=present", WriteJudgementsCSV}
	CrossImpactCSV    = Format{"crossimpact", "crossimpact.csv", "text/csv; charset=utf-8; header=present", WriteCrossImpactCSV}
	ScenarioWizardCSV = Format{"scenariowizard", "crossimpact-scenariowizard.csv", "text/csv; charset=utf-8", WriteScenarioWizardCSV}
	Formats           = []Format{RatingsCSV, SummaryCSV, RationalesCSV, ScoresCSV, IdeasCSV, JSON, XLSX, JudgementsCSV, CrossImpactCSV, ScenarioWizardCSV}
)

// FormatNamed returns the format the CLI calls name.
func FormatNamed(name string) (Format, bool) {
	for _, f := range Formats {
		if f.Name == name {
			return f, true
		}
	}
	return Format{}, false
}

// FormatOfFile returns the format served under a file name such as
// "ratings.csv".
func FormatOfFile(file string) (Format, bool) {
	for _, f := range Formats {
		if f.File == file {
			return f, true
		}
	}
	return Format{}, false
}

// FileName is the name a download of file gets:
// foresight-<title>-<YYYY-MM-DD>-<file>, with the title made ASCII-safe.
func FileName(w *workshop.Workshop, file string) string {
	return fileName(Slug(w.Title), w, file)
}

func fileName(title string, w *workshop.Workshop, file string) string {
	base, ext, _ := strings.Cut(file, ".")
	if base == "workshop" {
		base = ""
	} else {
		base = "-" + base
	}
	return fmt.Sprintf("foresight-%s-%s%s.%s", title, w.CreatedAt.UTC().Format(time.DateOnly), base, ext)
}

// ContentDisposition is the Content-Disposition header of a download of
// file: an ASCII file name for every browser and the title as written, in
// UTF-8 (RFC 6266, RFC 8187), for those that read filename*.
func ContentDisposition(w *workshop.Workshop, file string) string {
	ascii := FileName(w, file)
	utf := fileName(unicodeSlug(w.Title), w, file)
	return fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, ascii, percentEncode(utf))
}

// Slug turns a title into lower-case ASCII letters, digits and hyphens, at
// most 60 characters; "workshop" when nothing is left.
func Slug(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		if f, ok := fold[r]; ok {
			r = f
		}
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
		if b.Len() >= 60 {
			break
		}
	}
	s := b.String()
	if len(s) > 60 {
		s = s[:60]
	}
	s = strings.Trim(s, "-")
	if s == "" {
		return "workshop"
	}
	return s
}

// fold maps common Latin letters with diacritics to their base letter, so
// "Żółć" becomes "zolc" rather than nothing.
var fold = func() map[rune]rune {
	m := map[rune]rune{}
	for base, letters := range map[rune]string{
		'a': "àáâãäåāăąǎ", 'c': "çćĉċč", 'd': "ďđ", 'e': "èéêëēĕėęě", 'g': "ĝğġģ", 'h': "ĥħ",
		'i': "ìíîïĩīĭįı", 'j': "ĵ", 'k': "ķ", 'l': "ĺļľŀł", 'n': "ñńņňŉ", 'o': "òóôõöøōŏő",
		'r': "ŕŗř", 's': "śŝşšß", 't': "ţťŧ", 'u': "ùúûüũūŭůűų", 'w': "ŵ", 'y': "ýÿŷ", 'z': "źżž",
	} {
		for _, r := range letters {
			m[r] = base
		}
	}
	return m
}()

// unicodeSlug keeps letters and digits of any script, for filename*.
func unicodeSlug(title string) string {
	var b strings.Builder
	dash := false
	n := 0
	for _, r := range strings.ToLower(title) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			if n++; n >= 60 {
				break
			}
		} else {
			dash = true
		}
	}
	if b.Len() == 0 {
		return "workshop"
	}
	return b.String()
}

// percentEncode encodes s for an RFC 8187 ext-value: attr-chars stay, every
// other byte becomes %XX.
func percentEncode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < utf8.RuneSelf && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0) {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// errWriter remembers the first write error, so encoders can check once.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

var errNoWorkshop = errors.New("export: the source has no workshop")

func check(src *Source) error {
	if src == nil || src.Workshop == nil {
		return errNoWorkshop
	}
	return nil
}

// empty iterators for a Source without ratings or rationales.
func ratingsOf(src *Source) iter.Seq2[workshop.StoredRating, error] {
	if src.Ratings == nil {
		return func(func(workshop.StoredRating, error) bool) {}
	}
	return src.Ratings
}

func rationalesOf(src *Source) iter.Seq2[workshop.Rationale, error] {
	if src.Rationales == nil {
		return func(func(workshop.Rationale, error) bool) {}
	}
	return src.Rationales
}
