package views

import (
	"context"
	"testing"

	"foresight/internal/workshop"
)

// Two scenarios at the same medians stay visible apart; each round's matrix
// names its own arrowhead, so a page may hold several.
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
	if a, b := m.Points[0], m.Points[1]; a.X == b.X && a.Y == b.Y {
		t.Fatalf("two scenarios drawn on the same spot (%v, %v)", a.X, a.Y)
	}
	if m.ArrowID != "arrowhead-r2" {
		t.Fatalf("arrow ID %q", m.ArrowID)
	}
}
