package views

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"foresight/internal/i18n"
	"foresight/internal/workshop"
)

// The matrix is drawn in a square of matrixSize units with room for the
// axis labels on the left and at the bottom.
const (
	matrixSize = 640.0
	matrixPad  = 64.0 // left
	matrixTop  = 16.0
)

type matrixZone struct {
	X, Y, W, H float64
	Class      string
}

type matrixTick struct {
	X, Y   float64
	Label  string
	Anchor string
}

type matrixPoint struct {
	Number         int
	X, Y           float64 // medians
	X1, X2, Y1, Y2 float64 // quartiles
	PrevX, PrevY   float64
	ArrowX, ArrowY float64 // where the arrow from the previous round stops: at the circle's edge
	HasPrev        bool
	Polarised      bool
	// Hollow: the room's median confidence in its estimates of the
	// scenario is low (workshop.LowConfidence).
	Hollow bool
	// Outcome is what became of the scenario, once recorded: a tick or a
	// cross beside the point.
	Outcome workshop.Outcome
}

// matrixMarker is what marks one scenario on the matrix, or several whose
// numbers would cover each other: a cluster, drawn as one pill at the
// middle of its members and labelled with all their numbers ("1 · 6").
// Whiskers and arrows stay at each scenario's true medians.
type matrixMarker struct {
	X, Y    float64
	W       float64 // the marker's width; its height is markerH
	Members []int   // indexes into matrix.Points
	Label   string
}

// Cluster reports whether the marker stands for more than one scenario.
func (m matrixMarker) Cluster() bool { return len(m.Members) > 1 }

const (
	markerH   = 32.0 // a point's diameter, a cluster's height
	markerGap = 4.0  // the least space between two markers
)

// groupMark is one expert group's medians of a scenario on whose two
// axes' items the groups disagree, drawn as a small diamond with the
// group's letter and a dashed line to the scenario's point.
type groupMark struct {
	X, Y, FromX, FromY float64
	Letter             string
}

// groupLetter is the letter of the i-th group of a workshop: A, B, C…
func groupLetter(i int) string { return string(rune('A' + i)) }

type matrix struct {
	ArrowID      string // the arrowhead marker's ID: one per round, so a page may hold several matrices
	Plot         float64
	XName, YName string
	Zones        []matrixZone
	Ticks        []matrixTick
	Points       []matrixPoint
	Markers      []matrixMarker
	Groups       []groupMark
	GroupKey     string // "A military · B diplomatic …" when Groups is not empty
	Summary      string
	// Confidence names the workshop's confidence criterion, when it has
	// one: its low medians draw hollow points, and the key says so.
	Confidence string
	Polarised  bool // a point is ringed: the key says what the ring means
	Outcomes   bool // a point has an outcome: the key explains tick and cross
}

// newMatrix lays the matrix out: the first criterion across, the second up.
// Zones shade each cell of the grid by its position: the further right and
// up, the higher the risk.
func newMatrix(ctx context.Context, w *workshop.Workshop, res workshop.Results, prev *workshop.Results, lang string) matrix {
	cx, cy := w.Criteria[0], w.Criteria[1]
	m := matrix{ArrowID: fmt.Sprintf("arrowhead-r%d", res.Round), Plot: matrixSize - matrixPad - 40, XName: cx.Name.In(lang), YName: cy.Name.In(lang)}
	// Value v of criterion c maps to the centre of its cell.
	pos := func(c workshop.Criterion, v float64) float64 {
		n := float64(len(c.Grid()))
		return (v-float64(c.Min))/float64(c.Step)*m.Plot/n + m.Plot/(2*n)
	}
	xAt := func(v float64) float64 { return matrixPad + pos(cx, v) }
	yAt := func(v float64) float64 { return matrixTop + m.Plot - pos(cy, v) }

	px, py := cx.Grid(), cy.Grid()
	cw, ch := m.Plot/float64(len(px)), m.Plot/float64(len(py))
	for i := range px {
		for j := range py {
			score := (float64(i)/float64(max(1, len(px)-1)) + float64(j)/float64(max(1, len(py)-1))) / 2
			class := "low"
			switch {
			case score >= 0.7:
				class = "high"
			case score >= 0.4:
				class = "medium"
			}
			m.Zones = append(m.Zones, matrixZone{X: matrixPad + float64(i)*cw, Y: matrixTop + m.Plot - float64(j+1)*ch, W: cw, H: ch, Class: class})
		}
	}
	for i, v := range px {
		if i%tickEvery(len(px)) == 0 {
			m.Ticks = append(m.Ticks, matrixTick{X: xAt(float64(v)), Y: matrixTop + m.Plot + 22, Label: fmt.Sprint(v), Anchor: "middle"})
		}
	}
	for i, v := range py {
		if i%tickEvery(len(py)) == 0 {
			m.Ticks = append(m.Ticks, matrixTick{X: matrixPad - 10, Y: yAt(float64(v)) + 6, Label: fmt.Sprint(v), Anchor: "end"})
		}
	}
	cc, hasConfidence := confidenceCriterion(w)
	if hasConfidence {
		m.Confidence = cc.Name.In(lang)
	}

	var parts []string
	for i, s := range w.ScenariosIn(res.Round) {
		ix, _ := res.Item(s.ID, cx.ID)
		iy, _ := res.Item(s.ID, cy.ID)
		if ix.N == 0 || iy.N == 0 {
			parts = append(parts, i18n.Tf(ctx, "matrix.not_rated", i+1))
			continue
		}
		p := matrixPoint{
			Number: i + 1,
			X:      xAt(*ix.Median), Y: yAt(*iy.Median),
			X1: xAt(*ix.Q1), X2: xAt(*ix.Q3),
			Y1: yAt(*iy.Q1), Y2: yAt(*iy.Q3),
			Polarised: ix.Polarised || iy.Polarised,
		}
		if hasConfidence {
			ic, _ := res.Item(s.ID, cc.ID)
			p.Hollow = ic.LowConfidence()
		}
		p.Outcome = w.OutcomeOf(s.ID)
		m.Outcomes = m.Outcomes || p.Outcome.Occurred != nil
		m.Polarised = m.Polarised || p.Polarised
		if prev != nil {
			px, _ := prev.Item(s.ID, cx.ID)
			py, _ := prev.Item(s.ID, cy.ID)
			if px.N > 0 && py.N > 0 && (*px.Median != *ix.Median || *py.Median != *iy.Median) {
				p.HasPrev, p.PrevX, p.PrevY = true, xAt(*px.Median), yAt(*py.Median)
				p.ArrowX, p.ArrowY = towards(p.X, p.Y, p.PrevX, p.PrevY, 20)
			}
		}
		if ix.GroupsDisagree || iy.GroupsDisagree {
			for k := range min(len(ix.Groups), len(iy.Groups)) {
				gx, gy := ix.Groups[k], iy.Groups[k]
				if gx.N < workshop.GroupsDisagreeMinN || gy.N < workshop.GroupsDisagreeMinN || gx.Median == nil || gy.Median == nil {
					continue
				}
				m.Groups = append(m.Groups, groupMark{X: xAt(*gx.Median), Y: yAt(*gy.Median), FromX: p.X, FromY: p.Y, Letter: groupLetter(k)})
			}
		}
		m.Points = append(m.Points, p)
		part := fmt.Sprintf("%d: %s %s, %s %s", i+1, m.XName, num(ctx, ix.Median), m.YName, num(ctx, iy.Median))
		if p.Polarised {
			part += ", " + i18n.T(ctx, "common.polarised")
		}
		if p.Hollow {
			part += ", " + i18n.T(ctx, "matrix.low_confidence")
		}
		if o := p.Outcome.Occurred; o != nil && *o {
			part += ", " + i18n.T(ctx, "common.happened_lower")
		} else if o != nil {
			part += ", " + i18n.T(ctx, "common.did_not_happen_lower")
		}
		parts = append(parts, part)
	}
	m.Summary = i18n.Tf(ctx, "matrix.risk_matrix", strings.Join(parts, "; "))
	m.Markers = declutter(m.Points)
	placeGroups(m.Groups, m.Markers, matrixPad, matrixTop, m.Plot)
	if len(m.Groups) > 0 {
		var names []string
		for i, g := range w.Groups {
			names = append(names, groupLetter(i)+" "+g.Name)
		}
		m.GroupKey = strings.Join(names, " · ")
	}
	return m
}

// declutter gives every point a marker and gathers markers that would
// overlap (their numbers, or a tick or cross beside them, covering one
// another) into clusters, until no two markers overlap.
func declutter(points []matrixPoint) []matrixMarker {
	markers := make([]matrixMarker, len(points))
	for i := range points {
		markers[i] = markerOf(points, []int{i})
	}
	for {
		merged := false
		for i := 0; i < len(markers) && !merged; i++ {
			for j := i + 1; j < len(markers); j++ {
				if markersOverlap(markers[i], markers[j]) {
					markers[i] = markerOf(points, append(markers[i].Members, markers[j].Members...))
					markers = append(markers[:j], markers[j+1:]...)
					merged = true
					break
				}
			}
		}
		if !merged {
			return markers
		}
	}
}

// markerOf is the marker of the given points: a point's own circle, or a
// cluster at their middle labelled with their numbers in order (and a
// tick or cross after each number that has an outcome).
func markerOf(points []matrixPoint, members []int) matrixMarker {
	slices.SortFunc(members, func(a, b int) int { return points[a].Number - points[b].Number })
	mk := matrixMarker{Members: members}
	var labels []string
	for _, i := range members {
		p := points[i]
		mk.X += p.X / float64(len(members))
		mk.Y += p.Y / float64(len(members))
		l := fmt.Sprint(p.Number)
		if o := p.Outcome.Occurred; o != nil && len(members) > 1 {
			l += outcomeGlyph(*o)
		}
		labels = append(labels, l)
	}
	mk.Label = strings.Join(labels, " · ")
	mk.W = markerH
	if len(members) > 1 {
		mk.W = 12*float64(utf8.RuneCountInString(mk.Label)) + 20
	} else if points[members[0]].Outcome.Occurred != nil {
		mk.W += 2 * 22 // the tick or cross beside the point, kept clear on both sides
	}
	return mk
}

// markersOverlap reports whether two markers come closer than markerGap.
func markersOverlap(a, b matrixMarker) bool {
	return math.Abs(a.X-b.X) < (a.W+b.W)/2+markerGap && math.Abs(a.Y-b.Y) < markerH+markerGap
}

// A group's mark is its diamond (12 units, turned 45°) with its letter
// above to the right: this box, around the mark's point, holds both.
const (
	groupLeft, groupRight = 9.0, 20.0
	groupUp, groupDown    = 20.0, 9.0
)

// groupOverlaps reports whether group mark g's box covers marker mk, with
// the markers' gap between them.
func groupOverlaps(g groupMark, mk matrixMarker) bool {
	return g.X+groupRight+markerGap > mk.X-mk.W/2 && g.X-groupLeft-markerGap < mk.X+mk.W/2 &&
		g.Y+groupDown+markerGap > mk.Y-markerH/2 && g.Y-groupUp-markerGap < mk.Y+markerH/2
}

// groupsOverlap reports whether two group marks' boxes cover each other.
func groupsOverlap(a, b groupMark) bool {
	return math.Abs(a.X-b.X) < groupLeft+groupRight && math.Abs(a.Y-b.Y) < groupUp+groupDown
}

// placeGroups moves a group's mark that would hide under a scenario's
// marker or another group's mark (a group's median often falls on another
// scenario's point of the grid) to the nearest free place around it,
// inside the plot; its dashed line still leads to its scenario. A mark
// with no free place within three steps stays where it is.
func placeGroups(groups []groupMark, markers []matrixMarker, left, top, plot float64) {
	free := func(g groupMark, placed []groupMark) bool {
		if g.X-groupLeft < left || g.X+groupRight > left+plot || g.Y-groupUp < top || g.Y+groupDown > top+plot {
			return false
		}
		for _, mk := range markers {
			if groupOverlaps(g, mk) {
				return false
			}
		}
		for _, o := range placed {
			if groupsOverlap(g, o) {
				return false
			}
		}
		return true
	}
	for i := range groups {
		placed := groups[:i]
		if free(groups[i], placed) {
			continue
		}
	search:
		for _, d := range []float64{1, 2, 3} {
			for k := range 8 {
				a := float64(k) * math.Pi / 4
				g := groups[i]
				g.X += math.Cos(a) * d * (groupLeft + groupRight) * 0.8
				g.Y -= math.Sin(a) * d * (groupUp + groupDown) * 0.8
				if free(g, placed) {
					groups[i] = g
					break search
				}
			}
		}
	}
}

// tickEvery is how many points of an axis with n points share one label:
// every point up to 11, so that 0–100 % in steps of 5 is labelled by tens.
func tickEvery(n int) int {
	if n <= 11 {
		return 1
	}
	return (n + 10) / 11
}

// confidenceCriterion is the workshop's first criterion of kind
// confidence, if it has one.
func confidenceCriterion(w *workshop.Workshop) (workshop.Criterion, bool) {
	for _, c := range w.Criteria {
		if c.Kind == workshop.KindConfidence {
			return c, true
		}
	}
	return workshop.Criterion{}, false
}

// ratedCounts is how many people rated each scenario in a round, by
// scenario ID: the most answers any of its criteria has.
func ratedCounts(res workshop.Results) map[int64]int64 {
	most := map[int64]int64{}
	for _, it := range res.Items {
		most[it.ScenarioID] = max(most[it.ScenarioID], it.N+it.DontKnow)
	}
	return most
}

// percentOf is part/whole in percent, 0 when whole is 0.
func percentOf(part int64, whole int) float64 {
	if whole == 0 {
		return 0
	}
	return min(100, float64(part)*100/float64(whole))
}

// towards returns the point d units from (x, y) in the direction of (tx, ty).
func towards(x, y, tx, ty, d float64) (float64, float64) {
	dx, dy := tx-x, ty-y
	l := math.Hypot(dx, dy)
	if l <= d {
		return x, y
	}
	return x + dx/l*d, y + dy/l*d
}

// Clusters reports whether any marker gathers several scenarios: the key
// then says what such a mark means.
func (m matrix) Clusters() bool {
	for _, mk := range m.Markers {
		if mk.Cluster() {
			return true
		}
	}
	return false
}
