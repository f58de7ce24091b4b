package views

import (
	"context"
	"math"
	"testing"

	"foresight/internal/workshop"
)

// Two scenarios at the same medians are gathered into one mark that names
// both, not drawn one over the other; each round's matrix names its own
// arrowhead, so a page may hold several.
func TestMatrixLayout(t *testing.T) {
	c := workshop.Criterion{Kind: workshop.KindScale, Min: 1, Max: 5, Step: 1}
	cx, cy := c, c
	cx.ID, cy.ID = 1, 2
	w := &workshop.Workshop{Criteria: []workshop.Criterion{cx, cy}, Scenarios: []workshop.Scenario{{ID: 10}, {ID: 11}, {ID: 12}}}
	res := workshop.Results{Round: 2}
	for _, s := range []int64{10, 11} {
		for _, crit := range w.Criteria {
			h := workshop.NewHistogram(crit)
			h.Add(workshop.Answer{Value: 3}, 2)
			res.Items = append(res.Items, workshop.NewItemResult(s, crit, h))
		}
	}
	m := newMatrix(context.Background(), w, res, nil, "en")
	if len(m.Points) != 2 {
		t.Fatalf("%d points, want 2 (scenario 12 is not rated)", len(m.Points))
	}
	if len(m.Markers) != 1 || m.Markers[0].Label != "1 · 2" || !m.Clusters() {
		t.Fatalf("markers %+v, want one cluster labelled \"1 · 2\"", m.Markers)
	}
	if m.ArrowID != "arrowhead-r2" {
		t.Fatalf("arrow ID %q", m.ArrowID)
	}
}

// Markers never overlap: however the points lie, declutter gathers those
// that would into clusters until no two marks come closer than markerGap.
func TestDeclutterLeavesNoOverlap(t *testing.T) {
	var points []matrixPoint
	for i := range 12 {
		// A crowd along a diagonal, a few points apart, and some alone.
		points = append(points, matrixPoint{Number: i + 1, X: 100 + float64(i%6)*18, Y: 300 - float64(i%6)*9 + float64(i/6)*200})
	}
	yes := true
	points[3].Outcome.Occurred = &yes
	markers := declutter(points)
	seen := 0
	for i, a := range markers {
		seen += len(a.Members)
		for _, b := range markers[i+1:] {
			if markersOverlap(a, b) {
				t.Fatalf("%q and %q overlap", a.Label, b.Label)
			}
		}
	}
	if seen != len(points) {
		t.Fatalf("the markers hold %d points, want %d", seen, len(points))
	}
}

// A group's mark whose median falls on another scenario's point, or on
// another group's mark, moves aside: no letter hides under a number.
func TestGroupMarksStayClear(t *testing.T) {
	points := []matrixPoint{{Number: 1, X: 200, Y: 300}, {Number: 2, X: 400, Y: 300}}
	markers := declutter(points)
	groups := []groupMark{
		{X: 400, Y: 300, FromX: 200, FromY: 300, Letter: "A"}, // on scenario 2
		{X: 400, Y: 300, FromX: 200, FromY: 300, Letter: "B"}, // and on A
		{X: 300, Y: 200, FromX: 200, FromY: 300, Letter: "C"}, // free
	}
	placeGroups(groups, markers, matrixPad, matrixTop, 536)
	for i, g := range groups {
		for _, mk := range markers {
			if groupOverlaps(g, mk) {
				t.Errorf("group %s at (%v, %v) covers marker %q", g.Letter, g.X, g.Y, mk.Label)
			}
		}
		for _, o := range groups[i+1:] {
			if groupsOverlap(g, o) {
				t.Errorf("groups %s and %s cover each other", g.Letter, o.Letter)
			}
		}
		if g.FromX != 200 || g.FromY != 300 {
			t.Errorf("group %s lost its line to its scenario", g.Letter)
		}
	}
	if groups[2].X != 300 || groups[2].Y != 200 {
		t.Errorf("a free mark moved: %+v", groups[2])
	}
	if d := math.Hypot(groups[0].X-400, groups[0].Y-300); d > 60 {
		t.Errorf("group A moved %v units from its median: it should stay near", d)
	}
}
