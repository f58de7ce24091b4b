package views

import (
	"testing"

	"foresight/internal/workshop"
)

// The "?" of "don't know" stands apart from the last value's label on
// every built-in scale, so that "100" and "?" never run together.
func TestDontKnowStandsApart(t *testing.T) {
	decks, err := workshop.BuiltinDecks()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range decks {
		for _, c := range d.Criteria {
			c.DontKnow = true
			h := workshop.NewHistogram(c)
			bars := histogramBars(c, workshop.ItemResult{Histogram: h}, nil)
			last, dk := bars[len(bars)-2], bars[len(bars)-1]
			if !last.ShowLabel {
				t.Errorf("%s: the last value %s has no label", c.Name.In("en"), last.Label)
			}
			if apart := (dk.X + dk.W/2) - (last.X + last.W/2); apart < dontKnowRoom(c) {
				t.Errorf("%s: %q and %q are %.1f units apart, want at least %.1f", c.Name.In("en"), last.Label, dk.Label, apart, dontKnowRoom(c))
			}
			if end := dk.X + dk.W; end > chartW+0.01 {
				t.Errorf("%s: the don't-know bar ends at %.1f, past the chart's %v", c.Name.In("en"), end, chartW)
			}
		}
	}
}
