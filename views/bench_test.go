package views_test

import (
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/a-h/templ"

	"foresight/internal/workshop"
	"foresight/views"
)

// Benchmarks of what the live path renders: every live update renders the
// facilitator's results panel, the projector panel and the participants'
// group update once per kind, and each participant's page is rendered on
// every load. The workshop is the built-in deck (10 scenarios x 2
// criteria) rated by 10,000 participants.

func benchWorkshop(b *testing.B) *workshop.Workshop {
	b.Helper()
	decks, err := workshop.BuiltinDecks()
	if err != nil {
		b.Fatal(err)
	}
	d := decks[0]
	w := &workshop.Workshop{ID: 1, Code: "K7QFM2XD", Title: "Load", DeckSlug: d.Slug, Languages: d.Languages,
		State: workshop.StateOpen, Round: 1, Seq: 200000, Visibility: workshop.VisibleLive, Pacing: workshop.PaceSelf}
	for i, c := range d.Criteria {
		c.ID = int64(101 + i)
		w.Criteria = append(w.Criteria, c)
	}
	for i, s := range d.Scenarios {
		s.ID = int64(1 + i)
		w.Scenarios = append(w.Scenarios, s)
	}
	return w
}

// benchResults spreads n ratings per item over the scale.
func benchResults(w *workshop.Workshop, n int) workshop.Results {
	res := workshop.Results{Round: w.Round, Seq: w.Seq, Joined: n, Rated: n}
	for si, s := range w.Scenarios {
		for _, c := range w.Criteria {
			h := workshop.NewHistogram(c)
			points := c.Points()
			for i := range n {
				if i%25 == 0 && c.DontKnow {
					h.Add(workshop.Answer{DontKnow: true}, 1)
					continue
				}
				h.Add(workshop.Answer{Value: points[(i*(si+3)/11)%len(points)]}, 1)
			}
			res.Items = append(res.Items, workshop.NewItemResult(s.ID, c, h))
		}
	}
	res.Summarise(nil)
	return res
}

// render benchmarks one component and reports the bytes it writes.
func render(b *testing.B, c templ.Component) {
	b.Helper()
	var cw countWriter
	if err := c.Render(context.Background(), &cw); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := c.Render(context.Background(), io.Discard); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cw.n), "bytes/render")
}

type countWriter struct{ n int }

func (w *countWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }

func BenchmarkResultsPanel(b *testing.B) {
	w := benchWorkshop(b)
	var rats []workshop.Rationale
	for i := range 50 {
		rats = append(rats, workshop.Rationale{ID: int64(i + 1), Round: 1, ScenarioID: int64(i%10 + 1), Text: fmt.Sprintf("Reason number %d: the evidence points the other way.", i)})
	}
	v := views.ResultsView{W: w, Results: benchResults(w, 10000), Rationales: rats, JoinURL: "http://127.0.0.1:8080/j/K7QFM2XD", Lang: "en"}
	render(b, views.ResultsPanel(v))
}

func BenchmarkProjectorPanel(b *testing.B) {
	w := benchWorkshop(b)
	v := views.ProjectorView{W: w, Results: benchResults(w, 10000), JoinURL: "http://127.0.0.1:8080/j/K7QFM2XD", Lang: "en"}
	render(b, views.ProjectorPanel(v))
}

// BenchmarkGroupUpdate is the "group" event every participant's stream
// receives while results are visible live.
func BenchmarkGroupUpdate(b *testing.B) {
	w := benchWorkshop(b)
	render(b, views.GroupUpdate(w, benchResults(w, 10000), "en"))
}

// BenchmarkVotePage is a participant's page with every item rated and the
// group's results shown live.
func BenchmarkVotePage(b *testing.B) {
	w := benchWorkshop(b)
	res := benchResults(w, 10000)
	answers := map[workshop.ItemKey]workshop.Answer{}
	for _, s := range w.Scenarios {
		for _, c := range w.Criteria {
			answers[workshop.ItemKey{ScenarioID: s.ID, CriterionID: c.ID}] = workshop.Answer{Value: c.Min}
		}
	}
	v := views.VoteView{W: w, Answers: answers, Group: &res, Reasons: map[int64]string{}, Lang: "en"}
	render(b, views.Vote(views.Page{Title: w.Title}, v))
}
