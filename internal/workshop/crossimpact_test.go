package workshop

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// somewhereland is the exercise of the ScenarioWizard 4.1 manual, chapter 2
// (Fig. 2-2): each row lists a variant's impacts on the variants of the
// other descriptors, in the order A1 … F3, leaving out its own descriptor.
var somewherelandDescriptors = []CIBDescriptor{
	{ID: "A", Variants: []string{"A1", "A2", "A3"}},
	{ID: "B", Variants: []string{"B1", "B2", "B3"}},
	{ID: "C", Variants: []string{"C1", "C2", "C3"}},
	{ID: "D", Variants: []string{"D1", "D2"}},
	{ID: "E", Variants: []string{"E1", "E2", "E3"}},
	{ID: "F", Variants: []string{"F1", "F2", "F3"}},
}

const somewherelandRows = `
A1: -2  1  1   0  0  0   0  0  -2  1  1   0  0  0
A2:  2  1 -3  -2 -1  3  -2  2   0  0  0   2 -1 -1
A3:  0  0  0   0  2 -2   3 -3   2 -1 -1  -2  2  0
B1:  0  0  0  -2  1  1   0  0   0  0  0   0  0  0
B2:  0  0  0   0  1 -1   0  0   1  0 -1   0  0  0
B3:  3 -1 -2   3  0 -3   0  0   3 -1 -2  -2  1  1
C1:  2  1 -3   0  0  0  -2  2  -3  1  2   0  0  0
C2: -1  2 -1   0  0  0   0  0   0  0  0   0  0  0
C3:  0  0  0   0  0  0  -2  2   3 -1 -2   0  0  0
D1:  0  0  0   0  0  0   0  0  0   3 -1 -2  -2  1  1
D2:  0 -3  3   0  0  0   0  0  0  -3  1  2   2 -1 -1
E1:  0  0  0   0  0  0  -2 -1  3   0  0   2 -1 -1
E2:  0  0  0  -1  0  1   1  1 -2   0  0  -1  0  1
E3:  2 -1 -1  -3  1  2   3  0 -3   0  0  -2 -1  3
F1:  0  3 -3   0  0  0  -3  0  3  -3  3  -2  1  1
F2:  1 -2  1   0  0  0  -1  2 -1   2 -2   2 -1 -1
F3:  0  0  0   0  0  0  -1  2 -1   1 -1   2 -1 -1
`

// rowsImpacts reads rows in the reference's layout into impacts.
func rowsImpacts(t testing.TB, descs []CIBDescriptor, rows string) []CIBImpact {
	t.Helper()
	ofVariant := map[string]string{}
	var all []string
	for _, d := range descs {
		for _, v := range d.Variants {
			ofVariant[v] = d.ID
			all = append(all, v)
		}
	}
	var out []CIBImpact
	for _, line := range strings.Split(strings.TrimSpace(rows), "\n") {
		from, nums, _ := strings.Cut(line, ":")
		fields := strings.Fields(nums)
		var cols []string
		for _, v := range all {
			if ofVariant[v] != ofVariant[from] {
				cols = append(cols, v)
			}
		}
		if len(fields) != len(cols) {
			t.Fatalf("row %s has %d numbers, want %d", from, len(fields), len(cols))
		}
		for i, f := range fields {
			n, err := strconv.Atoi(f)
			if err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				out = append(out, CIBImpact{From: from, To: cols[i], Score: float64(n)})
			}
		}
	}
	return out
}

func somewhereland(t testing.TB) *CIBMatrix {
	t.Helper()
	cm, err := NewCIBMatrix(somewherelandDescriptors, rowsImpacts(t, somewherelandDescriptors, somewherelandRows))
	if err != nil {
		t.Fatal(err)
	}
	return cm
}

// TestCIBSomewherelandBalances reproduces the manual's Fig. 2-3: the impact
// balances of the scenario [A2 B1 C3 D1 E1 F1], figure by figure.
func TestCIBSomewherelandBalances(t *testing.T) {
	cm := somewhereland(t)
	a, err := cm.Assess([]string{"A2", "B1", "C3", "D1", "E1", "F1"})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0, 3, -3, 2, 1, -3, -9, -1, 10, -7, 7, 4, -1, -3, 2, -1, -1}
	for i, v := range cm.Variants() {
		if got := a.Balances[v]; got != want[i] {
			t.Errorf("balance of %s = %v, want %v", v, got, want[i])
		}
	}
	// D1 (−7) is chosen where D2 has 7: the largest gap, 14.
	if a.Inconsistency != 14 {
		t.Errorf("inconsistency = %v, want 14", a.Inconsistency)
	}
	// The chosen variants' balances: 3 + 2 + 10 − 7 + 4 + 2.
	if a.TotalImpactScore != 14 {
		t.Errorf("total impact score = %v, want 14", a.TotalImpactScore)
	}
}

// TestCIBSomewherelandSolve checks the enumeration's answer for the exercise
// against the brute force, and that every scenario it lists is what it says.
func TestCIBSomewherelandSolve(t *testing.T) {
	cm := somewhereland(t)
	sol := cm.Solve()
	if !sol.Complete || sol.Combinations != 3*3*3*2*3*3 {
		t.Fatalf("complete=%v combinations=%d", sol.Complete, sol.Combinations)
	}
	if len(sol.Consistent) == 0 {
		t.Fatal("Somewhereland has consistent scenarios")
	}
	compareWithBruteForce(t, cm, sol)
	for _, s := range sol.Consistent {
		a, err := cm.Assess(s.Variants)
		if err != nil || a.Inconsistency != 0 || a.TotalImpactScore != s.TotalImpactScore {
			t.Errorf("%v listed as consistent with score %v: %+v %v", s.Variants, s.TotalImpactScore, a, err)
		}
	}
}

// bruteForce assesses every scenario from scratch, with Assess.
func bruteForce(cm *CIBMatrix) (cons, near []CIBScenario) {
	descs := cm.Descriptors()
	pick := make([]string, len(descs))
	var walk func(d int)
	walk = func(d int) {
		if d == len(descs) {
			a, err := cm.Assess(pick)
			if err != nil {
				panic(err)
			}
			s := CIBScenario{Variants: slices.Clone(pick), Inconsistency: a.Inconsistency, TotalImpactScore: a.TotalImpactScore}
			switch {
			case a.Inconsistency == 0:
				cons = append(cons, s)
			case a.Inconsistency <= 1:
				near = append(near, s)
			}
			return
		}
		for _, v := range descs[d].Variants {
			pick[d] = v
			walk(d + 1)
		}
	}
	walk(0)
	return cons, near
}

func scenarioSet(list []CIBScenario) map[string]CIBScenario {
	m := map[string]CIBScenario{}
	for _, s := range list {
		m[strings.Join(s.Variants, " ")] = s
	}
	return m
}

func compareWithBruteForce(t *testing.T, cm *CIBMatrix, sol CIBSolution) {
	t.Helper()
	cons, near := bruteForce(cm)
	for _, c := range []struct {
		name  string
		got   []CIBScenario
		count int64
		want  []CIBScenario
	}{{"consistent", sol.Consistent, sol.ConsistentCount, cons}, {"near", sol.Near, sol.NearCount, near}} {
		if c.count != int64(len(c.want)) {
			t.Errorf("%s: counted %d, brute force finds %d", c.name, c.count, len(c.want))
		}
		if len(c.want) <= CIBMaxListed && len(c.got) != len(c.want) {
			t.Errorf("%s: listed %d, brute force finds %d", c.name, len(c.got), len(c.want))
		}
		want := scenarioSet(c.want)
		for i, s := range c.got {
			w, ok := want[strings.Join(s.Variants, " ")]
			if !ok || w.Inconsistency != s.Inconsistency || w.TotalImpactScore != s.TotalImpactScore {
				t.Errorf("%s: %+v is not what the brute force finds (%+v, %v)", c.name, s, w, ok)
			}
			if i > 0 && s.TotalImpactScore > c.got[i-1].TotalImpactScore {
				t.Errorf("%s: not sorted by total impact score at %d", c.name, i)
			}
		}
	}
}

// randomMatrix draws descriptors, variants and scores; half the cells are 0,
// and some scores are halves, as medians are.
func randomMatrix(rng *rand.Rand) *CIBMatrix {
	nd := 2 + rng.IntN(4)
	var descs []CIBDescriptor
	for d := range nd {
		desc := CIBDescriptor{ID: fmt.Sprintf("D%d", d)}
		for v := range 2 + rng.IntN(3) {
			desc.Variants = append(desc.Variants, fmt.Sprintf("D%dV%d", d, v))
		}
		descs = append(descs, desc)
	}
	var impacts []CIBImpact
	for _, a := range descs {
		for _, b := range descs {
			if a.ID == b.ID {
				continue
			}
			for _, from := range a.Variants {
				for _, to := range b.Variants {
					if rng.IntN(2) == 0 {
						continue
					}
					s := float64(rng.IntN(7) - 3)
					if rng.IntN(4) == 0 && s < 3 {
						s += 0.5
					}
					impacts = append(impacts, CIBImpact{From: from, To: to, Score: s})
				}
			}
		}
	}
	cm, err := NewCIBMatrix(descs, impacts)
	if err != nil {
		panic(err)
	}
	return cm
}

// TestCIBEnumerationMatchesBruteForce is the property: on random matrices,
// the incremental enumeration finds exactly the scenarios that assessing
// each from scratch finds, with the same figures.
func TestCIBEnumerationMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 21))
	for i := range 300 {
		cm := randomMatrix(rng)
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			compareWithBruteForce(t, cm, cm.Solve())
		})
	}
}

// TestCIBSearchFindsOnlyTheTruth runs the search (meant for matrices too
// large to enumerate) on random small ones: everything it reports is what
// the brute force says, and it says it is incomplete.
func TestCIBSearchFindsOnlyTheTruth(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for range 30 {
		cm := randomMatrix(rng)
		cons, near := &cibKeeper{}, &cibKeeper{}
		cm.search(cons, near)
		wantCons, wantNear := bruteForce(cm)
		for _, c := range []struct {
			got  []CIBScenario
			want []CIBScenario
		}{{cm.listed(cons), wantCons}, {cm.listed(near), wantNear}} {
			want := scenarioSet(c.want)
			for _, s := range c.got {
				if w, ok := want[strings.Join(s.Variants, " ")]; !ok || w.Inconsistency != s.Inconsistency || w.TotalImpactScore != s.TotalImpactScore {
					t.Errorf("search reports %+v; brute force: %+v %v", s, w, ok)
				}
			}
		}
		// Small matrices are covered by the search's many starts.
		if int(cons.count) != len(wantCons) {
			t.Errorf("search found %d consistent scenarios of %d", cons.count, len(wantCons))
		}
	}
}

// TestCIBBeyondTheLimitIsIncomplete: a matrix of more combinations than the
// enumeration takes is searched, and says so.
func TestCIBBeyondTheLimitIsIncomplete(t *testing.T) {
	var descs []CIBDescriptor
	var impacts []CIBImpact
	for d := range 12 {
		desc := CIBDescriptor{ID: fmt.Sprintf("D%d", d)}
		for v := range 4 {
			desc.Variants = append(desc.Variants, fmt.Sprintf("D%dV%d", d, v))
		}
		descs = append(descs, desc)
	}
	// Every variant promotes the variant of the same number elsewhere: the
	// four "all the same number" scenarios are consistent.
	for a := range 12 {
		for b := range 12 {
			if a != b {
				for v := range 4 {
					impacts = append(impacts, CIBImpact{From: fmt.Sprintf("D%dV%d", a, v), To: fmt.Sprintf("D%dV%d", b, v), Score: 2})
				}
			}
		}
	}
	cm, err := NewCIBMatrix(descs, impacts)
	if err != nil {
		t.Fatal(err)
	}
	sol := cm.Solve()
	if sol.Complete || sol.Combinations != 1<<24 {
		t.Fatalf("complete=%v combinations=%d", sol.Complete, sol.Combinations)
	}
	if sol.ConsistentCount != 4 || sol.Consistent[0].TotalImpactScore != 12*11*2 {
		t.Errorf("found %d consistent: %+v", sol.ConsistentCount, sol.Consistent)
	}
}

func TestCIBMatrixErrorsNameTheField(t *testing.T) {
	two := func() []CIBDescriptor {
		return []CIBDescriptor{{ID: "a", Variants: []string{"a1", "a2"}}, {ID: "b", Variants: []string{"b1", "b2"}}}
	}
	many := func(nd, nv int) []CIBDescriptor {
		var out []CIBDescriptor
		for d := range nd {
			desc := CIBDescriptor{ID: fmt.Sprint("d", d)}
			for v := range nv {
				desc.Variants = append(desc.Variants, fmt.Sprint("d", d, "v", v))
			}
			out = append(out, desc)
		}
		return out
	}
	dupDesc := two()
	dupDesc[1].ID = "a"
	dupVar := two()
	dupVar[1].Variants[0] = "a1"
	tooMany := make([]CIBImpact, CIBMaxImpacts+1)
	for _, c := range []struct {
		descs   []CIBDescriptor
		impacts []CIBImpact
		field   string
	}{
		{many(1, 2), nil, "descriptors"},
		{many(13, 2), nil, "descriptors"},
		{many(2, 6), nil, "descriptors[0].variants"},
		{many(2, 1), nil, "descriptors[0].variants"},
		{dupDesc, nil, "descriptors[1].id"},
		{dupVar, nil, "descriptors[1].variants[0]"},
		{[]CIBDescriptor{{ID: "", Variants: []string{"x", "y"}}, two()[1]}, nil, "descriptors[0].id"},
		{two(), []CIBImpact{{From: "a1", To: "a2", Score: 1}}, "impacts[0]"},
		{two(), []CIBImpact{{From: "a1", To: "b1", Score: 1}, {From: "zz", To: "b1", Score: 1}}, "impacts[1].from"},
		{two(), []CIBImpact{{From: "a1", To: "zz", Score: 1}}, "impacts[0].to"},
		{two(), []CIBImpact{{From: "a1", To: "b1", Score: 3.5}}, "impacts[0].score"},
		{two(), []CIBImpact{{From: "a1", To: "b1", Score: -4}}, "impacts[0].score"},
		{two(), []CIBImpact{{From: "a1", To: "b1", Score: 1}, {From: "a1", To: "b1", Score: 2}}, "impacts[1]"},
		{two(), tooMany, "impacts"},
	} {
		_, err := NewCIBMatrix(c.descs, c.impacts)
		e, ok := err.(*Error)
		if !ok || e.Code != EInvalid || e.Field != c.field {
			t.Errorf("want an invalid %s, got %v", c.field, err)
		}
	}
	cm, err := NewCIBMatrix(two(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		scenario []string
		field    string
	}{{[]string{"a1"}, "scenario"}, {[]string{"b1", "b2"}, "scenario[0]"}, {[]string{"a1", "zz"}, "scenario[1]"}} {
		_, err := cm.Assess(c.scenario)
		if e, ok := err.(*Error); !ok || e.Field != c.field {
			t.Errorf("Assess(%v): want a problem with %s, got %v", c.scenario, c.field, err)
		}
	}
}

// BenchmarkCIBEnumerate measures Solve on full random matrices: complete
// enumeration of a million combinations (10 descriptors of 4 variants,
// 1,048,576), of the most the limit takes (nine of 5 and one of 2,
// 3,906,250), of smaller matrices, and the search beyond the limit (11 of
// 4, and the largest matrix allowed, 12 of 5).
func BenchmarkCIBEnumerate(b *testing.B) {
	for _, c := range []struct{ nd, nv, last int }{{10, 4, 4}, {10, 5, 2}, {6, 5, 5}, {12, 2, 2}, {11, 4, 4}, {12, 5, 5}} {
		rng := rand.New(rand.NewPCG(1, 2))
		var descs []CIBDescriptor
		var impacts []CIBImpact
		for d := range c.nd {
			desc := CIBDescriptor{ID: fmt.Sprint("d", d)}
			nv := c.nv
			if d == c.nd-1 {
				nv = c.last
			}
			for v := range nv {
				desc.Variants = append(desc.Variants, fmt.Sprint("d", d, "v", v))
			}
			descs = append(descs, desc)
		}
		for _, x := range descs {
			for _, y := range descs {
				if x.ID != y.ID {
					for _, from := range x.Variants {
						for _, to := range y.Variants {
							impacts = append(impacts, CIBImpact{From: from, To: to, Score: float64(rng.IntN(7) - 3)})
						}
					}
				}
			}
		}
		cm, err := NewCIBMatrix(descs, impacts)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("%dx%d_%d", c.nd, c.nv, cm.Combinations()), func(b *testing.B) {
			for b.Loop() {
				cm.Solve()
			}
		})
	}
}
