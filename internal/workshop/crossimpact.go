package workshop

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// Cross-impact balance analysis (CIB, Weimer-Jehle; the desktop tool
// ScenarioWizard). A matrix says how strongly each variant of one
// descriptor promotes (+) or hinders (−) each variant of every other
// descriptor. A scenario picks one variant per descriptor; it is consistent
// when every descriptor's chosen variant has the highest impact balance of
// its descriptor. docs/statistics.md defines every figure.

// Limits of a cross-impact matrix.
const (
	CIBMinDescriptors = 2
	CIBMaxDescriptors = 12
	CIBMinVariants    = 2
	CIBMaxVariants    = 5
	CIBMaxImpacts     = 10000
	CIBMaxScore       = 3
	CIBMaxIDRunes     = 63
	// CIBEnumerationLimit is the largest number of combinations evaluated
	// one by one (docs/benchmarks.md: about 0.1 s per million). Beyond it,
	// Solve searches (cibSearch) and says the result is incomplete.
	CIBEnumerationLimit = 4_000_000
	// CIBMaxListed is how many consistent (and near) scenarios a result
	// lists, the highest total impact scores first; the counts say how
	// many there are.
	CIBMaxListed = 500
)

// cibScale turns a score into whole millionths, so that every sum is exact
// however many combinations the enumeration adds and subtracts.
const cibScale = 1_000_000

// CIBDescriptor is one descriptor of a matrix: its id and its variants' ids.
type CIBDescriptor struct {
	ID       string   `json:"id"`
	Variants []string `json:"variants"`
}

// CIBImpact is one cell: how variant From acts on variant To, −3 to +3.
type CIBImpact struct {
	From  string  `json:"from"`
	To    string  `json:"to"`
	Score float64 `json:"score"`
}

// CIBMatrix is a checked cross-impact matrix. Cells left out are 0; a
// descriptor never acts on itself.
type CIBMatrix struct {
	descriptors []CIBDescriptor
	first       []int // first[d] is the index of descriptor d's first variant; first[len] = number of variants
	of          []int // of[v] is the descriptor of variant v
	ids         []string
	index       map[string]int
	m           []int64 // m[from*nv+to], in millionths
}

// NewCIBMatrix checks a matrix and returns it. A problem is an EInvalid
// error naming the field: descriptors[1].variants[2], impacts[7].score.
func NewCIBMatrix(descriptors []CIBDescriptor, impacts []CIBImpact) (*CIBMatrix, error) {
	if n := len(descriptors); n < CIBMinDescriptors || n > CIBMaxDescriptors {
		return nil, FieldError("descriptors", "error.cib_descriptors_count", CIBMinDescriptors, CIBMaxDescriptors)
	}
	if len(impacts) > CIBMaxImpacts {
		return nil, FieldError("impacts", "error.cib_impacts_limit", CIBMaxImpacts)
	}
	cm := &CIBMatrix{index: map[string]int{}}
	descIDs := map[string]bool{}
	for i, d := range descriptors {
		p := fmt.Sprintf("descriptors[%d]", i)
		if err := checkCIBID(p+".id", d.ID); err != nil {
			return nil, err
		}
		if descIDs[d.ID] {
			return nil, FieldError(p+".id", "error.used_twice", d.ID)
		}
		descIDs[d.ID] = true
		if n := len(d.Variants); n < CIBMinVariants || n > CIBMaxVariants {
			return nil, FieldError(p+".variants", "error.cib_variants_count", CIBMinVariants, CIBMaxVariants)
		}
		cm.first = append(cm.first, len(cm.ids))
		for j, v := range d.Variants {
			vp := fmt.Sprintf("%s.variants[%d]", p, j)
			if err := checkCIBID(vp, v); err != nil {
				return nil, err
			}
			if _, dup := cm.index[v]; dup {
				return nil, FieldError(vp, "error.used_twice", v)
			}
			cm.index[v] = len(cm.ids)
			cm.ids = append(cm.ids, v)
			cm.of = append(cm.of, i)
		}
		cm.descriptors = append(cm.descriptors, CIBDescriptor{ID: d.ID, Variants: slices.Clone(d.Variants)})
	}
	nv := len(cm.ids)
	cm.first = append(cm.first, nv)
	cm.m = make([]int64, nv*nv)
	given := make([]bool, nv*nv)
	for k, im := range impacts {
		p := fmt.Sprintf("impacts[%d]", k)
		from, ok := cm.index[im.From]
		if !ok {
			return nil, FieldError(p+".from", "error.cib_no_such_variant", im.From)
		}
		to, ok := cm.index[im.To]
		if !ok {
			return nil, FieldError(p+".to", "error.cib_no_such_variant", im.To)
		}
		if cm.of[from] == cm.of[to] {
			return nil, FieldError(p, "error.cib_same_descriptor", im.From, im.To)
		}
		if math.IsNaN(im.Score) || im.Score < -CIBMaxScore || im.Score > CIBMaxScore {
			return nil, FieldError(p+".score", "error.cib_score_range")
		}
		if given[from*nv+to] {
			return nil, FieldError(p, "error.cib_cell_twice", im.From, im.To)
		}
		given[from*nv+to] = true
		cm.m[from*nv+to] = int64(math.Round(im.Score * cibScale))
	}
	return cm, nil
}

// checkCIBID refuses an id that is empty, too long or not one clean line.
func checkCIBID(field, id string) error {
	if strings.TrimSpace(id) == "" {
		return FieldError(field, "error.required_lower")
	}
	if err := CheckLine(id, CIBMaxIDRunes); err != nil {
		return FieldError(field, "error.text", err)
	}
	return nil
}

// Descriptors returns the matrix's descriptors, in order.
func (cm *CIBMatrix) Descriptors() []CIBDescriptor { return cm.descriptors }

// Variants returns every variant id, descriptor by descriptor.
func (cm *CIBMatrix) Variants() []string { return cm.ids }

// Score returns the cell from → to (0 when left out or unknown).
func (cm *CIBMatrix) Score(from, to string) float64 {
	f, ok1 := cm.index[from]
	t, ok2 := cm.index[to]
	if !ok1 || !ok2 {
		return 0
	}
	return float64(cm.m[f*len(cm.ids)+t]) / cibScale
}

// Combinations is the number of scenarios: the product of the descriptors'
// numbers of variants.
func (cm *CIBMatrix) Combinations() int64 {
	n := int64(1)
	for d := range cm.descriptors {
		n *= int64(cm.first[d+1] - cm.first[d])
	}
	return n
}

// CIBAssessment is one scenario assessed: every variant's impact balance,
// the scenario's inconsistency and total impact score.
type CIBAssessment struct {
	Balances         map[string]float64
	Inconsistency    float64
	TotalImpactScore float64
}

// Assess computes a scenario's balances given one variant id per
// descriptor, in the descriptors' order. A problem names the field
// "scenario" (or "scenario[i]").
func (cm *CIBMatrix) Assess(scenario []string) (CIBAssessment, error) {
	if len(scenario) != len(cm.descriptors) {
		return CIBAssessment{}, FieldError("scenario", "error.cib_scenario_length", len(cm.descriptors))
	}
	choice := make([]int, len(scenario))
	for d, id := range scenario {
		v, ok := cm.index[id]
		if !ok {
			return CIBAssessment{}, FieldError(fmt.Sprintf("scenario[%d]", d), "error.cib_no_such_variant", id)
		}
		if cm.of[v] != d {
			return CIBAssessment{}, FieldError(fmt.Sprintf("scenario[%d]", d), "error.cib_not_variant_of", id, cm.descriptors[d].ID)
		}
		choice[d] = v
	}
	b := cm.balances(choice)
	a := CIBAssessment{Balances: make(map[string]float64, len(b))}
	for v, x := range b {
		a.Balances[cm.ids[v]] = float64(x) / cibScale
	}
	inc, tis := cm.judge(choice, b, math.MaxInt64)
	a.Inconsistency, a.TotalImpactScore = float64(inc)/cibScale, float64(tis)/cibScale
	return a, nil
}

// balances returns the impact balance of every variant for the scenario
// whose chosen variants are choice (one variant index per descriptor):
// the sum of the rows of the chosen variants. A descriptor's own row holds
// only zeros on its own variants, so summing every row is the same as
// summing the other descriptors'.
func (cm *CIBMatrix) balances(choice []int) []int64 {
	nv := len(cm.ids)
	b := make([]int64, nv)
	for _, v := range choice {
		row := cm.m[v*nv : (v+1)*nv]
		for t, x := range row {
			b[t] += x
		}
	}
	return b
}

// judge returns a scenario's inconsistency and total impact score from its
// balances. It stops early, with an inconsistency above limit, as soon as
// one descriptor exceeds limit.
func (cm *CIBMatrix) judge(choice []int, b []int64, limit int64) (inc, tis int64) {
	for d, v := range choice {
		best := b[cm.first[d]]
		for _, x := range b[cm.first[d]+1 : cm.first[d+1]] {
			best = max(best, x)
		}
		gap := best - b[v]
		if gap > limit {
			return gap, 0
		}
		inc = max(inc, gap)
		tis += b[v]
	}
	return inc, tis
}

// CIBScenario is a scenario found: its variants in descriptor order, its
// inconsistency and total impact score.
type CIBScenario struct {
	Variants         []string `json:"variants"`
	Inconsistency    float64  `json:"inconsistency"`
	TotalImpactScore float64  `json:"total_impact_score"`
}

// CIBSolution is what Solve finds: the consistent scenarios (inconsistency
// 0) and the near ones (more than 0, at most 1), each sorted by total impact
// score, highest first, at most CIBMaxListed of each; how many there are;
// and whether every combination was evaluated.
type CIBSolution struct {
	Consistent      []CIBScenario
	Near            []CIBScenario
	ConsistentCount int64
	NearCount       int64
	Complete        bool
	Combinations    int64
}

// Solve finds the consistent and near scenarios: by complete enumeration
// when there are at most CIBEnumerationLimit combinations, by a search
// otherwise (Complete false).
func (cm *CIBMatrix) Solve() CIBSolution {
	sol := CIBSolution{Combinations: cm.Combinations()}
	cons, near := &cibKeeper{}, &cibKeeper{}
	if sol.Combinations <= CIBEnumerationLimit {
		cm.enumerate(cons, near)
		sol.Complete = true
	} else {
		cm.search(cons, near)
	}
	sol.Consistent, sol.ConsistentCount = cm.listed(cons), cons.count
	sol.Near, sol.NearCount = cm.listed(near), near.count
	return sol
}

// enumerate evaluates every combination, in lexicographic order of the
// variants, like an odometer whose last descriptor turns fastest. Turning a
// descriptor from variant a to b changes the balances by row b − row a, so
// each step costs about one row, not a whole sum.
func (cm *CIBMatrix) enumerate(cons, near *cibKeeper) {
	nd, nv := len(cm.descriptors), len(cm.ids)
	choice := make([]int, nd)
	for d := range choice {
		choice[d] = cm.first[d]
	}
	b := cm.balances(choice)
	turn := func(from, to int) {
		rf, rt := cm.m[from*nv:(from+1)*nv], cm.m[to*nv:(to+1)*nv]
		for t := range b {
			b[t] += rt[t] - rf[t]
		}
	}
	for {
		cm.consider(choice, b, cons, near)
		d := nd - 1
		for ; d >= 0; d-- {
			old := choice[d]
			if old+1 < cm.first[d+1] {
				choice[d] = old + 1
				turn(old, old+1)
				break
			}
			choice[d] = cm.first[d]
			turn(old, cm.first[d])
		}
		if d < 0 {
			return
		}
	}
}

// consider judges one scenario and keeps it if it is consistent or near.
func (cm *CIBMatrix) consider(choice []int, b []int64, cons, near *cibKeeper) {
	inc, tis := cm.judge(choice, b, cibScale)
	switch {
	case inc == 0:
		cons.add(cibItem{choice: choice, tis: tis})
	case inc <= cibScale:
		near.add(cibItem{choice: choice, tis: tis, inc: inc})
	}
}

// CIBSearchStarts is how many starting scenarios the search beyond
// CIBEnumerationLimit follows.
const CIBSearchStarts = 20000

// search follows CIBSearchStarts random starting scenarios (a fixed seed,
// so the same matrix always gives the same answer) by adaptive succession:
// while the scenario is inconsistent, the descriptor with the largest gap
// (the first on a tie) switches to its variant of the highest balance (the
// first on a tie). A consistent scenario is where succession stops; every
// scenario met on the way, and every neighbour of a consistent one (one
// descriptor changed), is judged too, so near scenarios are found as well.
// What it finds is consistent, but it may miss some: the result says it is
// incomplete.
func (cm *CIBMatrix) search(cons, near *cibKeeper) {
	nd, nv := len(cm.descriptors), len(cm.ids)
	rng := rand.New(rand.NewPCG(0x466f7265, 0x7369676874)) // "Foresight"
	seen := map[string]bool{}
	// visit keeps a scenario the first time it is met, if it is
	// consistent or near (only those are remembered, to stay small).
	visit := func(choice []int, b []int64) {
		inc, _ := cm.judge(choice, b, cibScale)
		if inc > cibScale {
			return
		}
		k := make([]byte, nd)
		for d, v := range choice {
			k[d] = byte(v - cm.first[d])
		}
		if seen[string(k)] {
			return
		}
		seen[string(k)] = true
		cm.consider(choice, b, cons, near)
	}
	choice := make([]int, nd)
	turn := func(b []int64, d, to int) {
		from := choice[d]
		rf, rt := cm.m[from*nv:(from+1)*nv], cm.m[to*nv:(to+1)*nv]
		for t := range b {
			b[t] += rt[t] - rf[t]
		}
		choice[d] = to
	}
	for range CIBSearchStarts {
		for d := range choice {
			choice[d] = cm.first[d] + rng.IntN(cm.first[d+1]-cm.first[d])
		}
		b := cm.balances(choice)
		for range 4 * nd * CIBMaxVariants {
			visit(choice, b)
			worst, gap, to := -1, int64(0), 0
			for d, v := range choice {
				best := cm.first[d]
				for u := cm.first[d] + 1; u < cm.first[d+1]; u++ {
					if b[u] > b[best] {
						best = u
					}
				}
				if g := b[best] - b[v]; g > gap {
					worst, gap, to = d, g, best
				}
			}
			if worst < 0 {
				// Consistent: look at its neighbours too.
				for d := range choice {
					keep := choice[d]
					for u := cm.first[d]; u < cm.first[d+1]; u++ {
						if u != keep {
							turn(b, d, u)
							visit(choice, b)
							turn(b, d, keep)
						}
					}
				}
				break
			}
			turn(b, worst, to)
		}
	}
}

// listed turns a keeper's scenarios into the result's, best first.
func (cm *CIBMatrix) listed(k *cibKeeper) []CIBScenario {
	out := make([]CIBScenario, 0, len(k.items))
	for _, it := range k.items {
		s := CIBScenario{Inconsistency: float64(it.inc) / cibScale, TotalImpactScore: float64(it.tis) / cibScale}
		for _, v := range it.choice {
			s.Variants = append(s.Variants, cm.ids[v])
		}
		out = append(out, s)
	}
	return out
}

// cibKeeper keeps the CIBMaxListed best scenarios given to it, in order:
// the highest total impact score first, then the earliest in the
// descriptors' order of variants. It counts every one.
type cibKeeper struct {
	items []cibItem
	count int64
}

type cibItem struct {
	choice []int
	tis    int64
	inc    int64
}

// before reports whether a comes before b in the keeper's order.
func (a cibItem) before(b cibItem) bool {
	if a.tis != b.tis {
		return a.tis > b.tis
	}
	return slices.Compare(a.choice, b.choice) < 0
}

// add counts a scenario and keeps a copy of it if it is among the best.
func (k *cibKeeper) add(it cibItem) {
	k.count++
	if len(k.items) == CIBMaxListed && !it.before(k.items[len(k.items)-1]) {
		return
	}
	it.choice = slices.Clone(it.choice)
	i, _ := slices.BinarySearchFunc(k.items, it, func(a, b cibItem) int {
		if a.before(b) {
			return -1
		}
		return 1
	})
	k.items = slices.Insert(k.items, i, it)
	if len(k.items) > CIBMaxListed {
		k.items = k.items[:CIBMaxListed]
	}
}
