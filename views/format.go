package views

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	qrcode "github.com/skip2/go-qrcode"

	"foresight/internal/i18n"
	"foresight/internal/webform"
	"foresight/internal/workshop"
)

// signed formats a change with its sign: "+0.5", "−1.5", "±0"; "–" when undefined.
func signed(ctx context.Context, f *float64) string {
	if f == nil {
		return "–"
	}
	switch {
	case *f > 0:
		return "+" + num(ctx, f)
	case *f < 0:
		v := -*f
		return "−" + num(ctx, &v)
	}
	return "±0"
}

// share formats a fraction as a whole percentage; "–" when undefined.
func share(ctx context.Context, f *float64) string {
	if f == nil {
		return "–"
	}
	return i18n.Percent(ctx, *f*100, 0)
}

// signedShare formats a change of a fraction in percentage points.
func signedShare(ctx context.Context, f *float64) string {
	if f == nil {
		return "–"
	}
	v := *f * 100
	return i18n.Tf(ctx, "results.percentage_points", signed(ctx, &v))
}

// qrPath draws a QR code of text as one SVG path of its dark modules, with
// the quiet zone the standard asks for. It returns the path and the size of
// the square it fills.
func qrPath(text string) (string, int) {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return "", 0
	}
	bits := q.Bitmap() // includes a 4-module quiet zone
	var b strings.Builder
	for y, row := range bits {
		for x, dark := range row {
			if dark {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x, y)
			}
		}
	}
	return b.String(), len(bits)
}

// scenarioNumber is the 1-based position of a scenario, as participants see it.
func scenarioNumber(w *workshop.Workshop, id int64) int {
	for i, s := range w.Scenarios {
		if s.ID == id {
			return i + 1
		}
	}
	return 0
}

// scenarioNumbers maps each scenario's ID to its number (scenarioNumber),
// for templates that look numbers up in a loop; an unknown ID reads 0.
func scenarioNumbers(w *workshop.Workshop) map[int64]int {
	out := make(map[int64]int, len(w.Scenarios))
	for i, s := range w.Scenarios {
		out[s.ID] = i + 1
	}
	return out
}

// rationalesByScenario groups rationales by scenario, each group in the
// order given.
func rationalesByScenario(rs []workshop.Rationale) map[int64][]workshop.Rationale {
	out := map[int64][]workshop.Rationale{}
	for _, r := range rs {
		out[r.ScenarioID] = append(out[r.ScenarioID], r)
	}
	return out
}

// scalePoint is one choice on a criterion's scale, with its label.
type scalePoint struct {
	Value int
	Label string
}

// scalePoints are a criterion's choices in order, each with its label in
// lang ("" when it has none), as Criterion.Points and Criterion.Label give
// them but without searching the labels once per point.
func scalePoints(c workshop.Criterion, lang string) []scalePoint {
	values := c.Points()
	out := make([]scalePoint, len(values))
	for i, v := range values {
		out[i].Value = v
	}
	// A valid deck labels points of the scale only, each once; the check
	// skips any other label rather than index outside the scale.
	for _, l := range c.Labels {
		if i, ok := slices.BinarySearch(values, l.Value); ok {
			out[i].Label = l.Text.In(lang)
		}
	}
	return out
}

// dkSuffix mentions "don't know" answers when there are any.
func dkSuffix(ctx context.Context, n int64) string {
	if n == 0 {
		return ""
	}
	return i18n.Tf(ctx, "results.dont_know", n)
}

// stripUnit is the width of one scale point in the feedback strip.
const stripUnit = 100

// feedbackStrip is last round's group position laid out on a scale whose
// points sit stripUnit apart (point i at the middle of its slot), so that it
// lines up with the row of choices below it.
type feedbackStrip struct {
	Width, Q1, Q3, Median, Own float64
	HasOwn, Outside            bool
	median, q1, q3             string
	own                        string
}

func newFeedbackStrip(ctx context.Context, c workshop.Criterion, it workshop.ItemResult, own workshop.Answer, hasOwn bool, lang string) feedbackStrip {
	x := func(v float64) float64 { return ((v-float64(c.Min))/float64(c.Step) + 0.5) * stripUnit }
	fb := feedbackStrip{
		Width:  float64(len(c.Grid())) * stripUnit,
		Q1:     x(*it.Q1),
		Q3:     x(*it.Q3),
		Median: x(*it.Median),
		median: num(ctx, it.Median), q1: num(ctx, it.Q1), q3: num(ctx, it.Q3),
	}
	// Words go with the numbers: "65 · likely (55–80 %)".
	if w := valueWords(c, it.Median, lang); w != "" {
		fb.median += " · " + w
	}
	if hasOwn && !own.DontKnow {
		fb.HasOwn, fb.Own = true, x(float64(own.Value))
		fb.own = fmt.Sprint(own.Value)
		v := float64(own.Value)
		if w := valueWords(c, &v, lang); w != "" {
			fb.own += " · " + w
		}
		fb.Outside = it.AsksReason(own) // the Delphi rule: asked for a reason
	} else if hasOwn {
		fb.own = i18n.T(ctx, "results.dont_know_lower")
	}
	return fb
}

// Text is the strip in words, for everyone and for screen readers.
func (fb feedbackStrip) Text(ctx context.Context, round int) string {
	s := i18n.Tf(ctx, "results.round_group_median_middle", round, fb.median, fb.q1, fb.q3)
	if fb.own != "" {
		s += " " + i18n.Tf(ctx, "results.rating", fb.own)
	}
	return s
}

// nextScenario is the scenario after the one in focus, or 0 at the end.
func nextScenario(w *workshop.Workshop) int64 {
	n := scenarioNumber(w, w.FocusID())
	if n == 0 || n >= len(w.Scenarios) {
		return 0
	}
	return w.Scenarios[n].ID
}

// pointText is a point of criterion c's scale as a choice shows it: with
// the percent sign on a percent scale, as the language writes it ("65%",
// in French "65 %"), the number alone on others.
func pointText(ctx context.Context, c workshop.Criterion, v int) string {
	if c.Kind == workshop.KindPercent {
		return i18n.Percent(ctx, float64(v), 0)
	}
	return strconv.Itoa(v)
}

// valueWords is a statistic of criterion c in words: for a percent
// criterion with a yardstick, the term with its range ("likely
// (55–80 %)"); for a confidence criterion, the level ("Low"); "" for
// others, and when there is no value.
func valueWords(c workshop.Criterion, v *float64, lang string) string {
	if v == nil {
		return ""
	}
	if c.Kind == workshop.KindConfidence {
		return c.Label(workshop.ConfidenceLevel(*v), lang)
	}
	return unbreakable(c.Words(v, i18n.TextsIn(lang)))
}

// unbreakable keeps a term's range on one line ("(5–20 %)" never breaks
// after its dash or before its percent sign): a word joiner after each en
// dash, a no-break space before each percent sign. Pages only; exports
// keep the plain text.
func unbreakable(s string) string { return rangeJoiner.Replace(s) }

var rangeJoiner = strings.NewReplacer("–", "–\u2060", " %", "\u00a0%")

// nearMedian names the share of ratings near the median, with the
// distance that counts on c's scale: "Within ±1 of the median".
func nearMedian(ctx context.Context, c workshop.Criterion) string {
	tol := workshop.Tolerance(c.Min, c.Max)
	return i18n.Tf(ctx, "results.within_median", num(ctx, &tol))
}

// scenariosPerPage is how many scenarios' distributions one page of the
// projector shows, side by side.
const scenariosPerPage = 3

// numberedScenario is a scenario with its number, as the matrix shows it.
type numberedScenario struct {
	Number   int
	Scenario workshop.Scenario
}

// chunkScenarios splits scenarios into pages of at most n, numbered from 1.
func chunkScenarios(scenarios []workshop.Scenario, n int) [][]numberedScenario {
	var pages [][]numberedScenario
	for i, s := range scenarios {
		if i%n == 0 {
			pages = append(pages, nil)
		}
		pages[len(pages)-1] = append(pages[len(pages)-1], numberedScenario{Number: i + 1, Scenario: s})
	}
	return pages
}

// splitJoinURL splits a join link before its code, so that a line may
// break there and never inside the code: "https://host/j/", "ABCD1234".
func splitJoinURL(u string) (base, code string) {
	if i := strings.LastIndex(u, "/"); i >= 0 {
		return u[:i+1], u[i+1:]
	}
	return "", u
}

// scenarioTitle is the title of scenario id of w in lang, "" when w has no
// such scenario.
func scenarioTitle(w *workshop.Workshop, id int64, lang string) string {
	for _, s := range w.Scenarios {
		if s.ID == id {
			return s.Title.In(lang)
		}
	}
	return ""
}

// fieldTarget is a form field and the ID of the element a link to its
// problem goes to: the field itself, or its group where it has no ID of
// its own (radio buttons).
type fieldTarget struct{ Field, ID string }

// settingsTargets are the settings form's fields in page order.
func (v ResultsView) settingsTargets() []fieldTarget {
	return []fieldTarget{{"title", "title"}, {"description", "description"}, {"visibility", "settings"}, {"pacing", "settings"},
		{"anonymity", "settings"}, {"participant_limit", "participant_limit"}, {"idea_votes", "idea_votes"}, {"groups", "groups"}}
}

// outcomesTargets are the outcomes form's fields in page order.
func (v ResultsView) outcomesTargets() []fieldTarget {
	var out []fieldTarget
	for _, s := range v.W.Scenarios {
		for _, f := range []string{"occurred", "known", "note"} {
			id := webform.OutcomeField(f, s.ID)
			out = append(out, fieldTarget{id, id})
		}
	}
	return out
}

// ownAnswer is a pointer to the participant's answer, nil when they gave
// none.
func ownAnswer(a workshop.Answer, ok bool) *workshop.Answer {
	if !ok {
		return nil
	}
	return &a
}

// ownRatingNote says under a revealed histogram which bar is the
// participant's own: "Your rating: 4 (the outlined bar)".
func ownRatingNote(ctx context.Context, c workshop.Criterion, a workshop.Answer, lang string) string {
	if a.DontKnow {
		return i18n.T(ctx, "results.answer_dont_know_outlined")
	}
	v := float64(a.Value)
	text := num(ctx, &v)
	if w := valueWords(c, &v, lang); w != "" {
		text += " · " + w
	}
	return i18n.Tf(ctx, "results.rating_outlined_bar", text)
}

// groupTail follows the group's median on a participant's page: its words
// on a yardstick, the middle half and the counts, punctuated as one
// sentence (" · likely (55–80 %), middle half 60–70, 5 ratings.").
func groupTail(ctx context.Context, c workshop.Criterion, it workshop.ItemResult, lang string) string {
	var b strings.Builder
	if w := valueWords(c, it.Median, lang); w != "" {
		b.WriteString(" · " + w)
	}
	b.WriteString(i18n.Tf(ctx, "results.middle_half", num(ctx, it.Q1), num(ctx, it.Q3)))
	b.WriteString(i18n.N(ctx, int(it.N), "common.ratings_count"))
	b.WriteString(dkSuffix(ctx, it.DontKnow))
	b.WriteString(".")
	return b.String()
}
