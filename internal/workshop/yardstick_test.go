package workshop

import (
	"testing"

	"foresight/internal/i18n"
)

func TestYardstickPlace(t *testing.T) {
	icd, _ := YardstickOf(YardstickICD203)
	phia, _ := YardstickOf(YardstickPHIA)
	for _, tc := range []struct {
		y    Yardstick
		v    float64
		want string // Describe in English
	}{
		{icd, 0, ""}, // below the first band: no term, the number alone
		{icd, 3, "almost no chance (1–5 %)"},
		{icd, 5, "very unlikely (5–20 %)"}, // a shared end: the band nearer 50 %
		{icd, 20, "unlikely (20–45 %)"},
		{icd, 45, "roughly even chance (45–55 %)"},
		{icd, 50, "roughly even chance (45–55 %)"},
		{icd, 55, "roughly even chance (45–55 %)"},
		{icd, 55.5, "likely (55–80 %)"},
		{icd, 80, "likely (55–80 %)"},
		{icd, 95, "very likely (80–95 %)"},
		{icd, 97.5, "almost certain (95–99 %)"},
		{icd, 100, ""}, // above the last band: no term
		{phia, 0, "remote chance (≤5 %)"},
		{phia, 5, "remote chance (≤5 %)"},
		{phia, 7, "between remote chance and highly unlikely (5–10 %)"}, // a gap
		{phia, 10, "highly unlikely (10–20 %)"},
		{phia, 22.5, "between highly unlikely and unlikely (20–25 %)"},
		{phia, 52.5, "between realistic possibility and likely or probable (50–55 %)"},
		{phia, 75, "likely or probable (55–75 %)"},
		{phia, 95, "almost certain (≥95 %)"},
		{phia, 100, "almost certain (≥95 %)"},
	} {
		if got := tc.y.Describe(tc.y.Place(tc.v), i18n.TextsIn("en")); got != tc.want {
			t.Errorf("%s %v: %q, want %q", tc.y.Name, tc.v, got, tc.want)
		}
	}
	// Words in Polish, and mirrored terms: p and 100 - p.
	if got := phia.Describe(phia.Place(7), i18n.TextsIn("pl")); got != "między „znikoma szansa” a „wysoce nieprawdopodobne” (5–10 %)" {
		t.Errorf("Polish gap: %q", got)
	}
	if got := phia.Describe(phia.Place(7), i18n.TextsIn("fr")); got != "entre «\u202fchance infime\u202f» et «\u202fhautement improbable\u202f» (5–10 %)" {
		t.Errorf("French gap: %q", got)
	}
	for _, v := range []float64{5, 20, 45} {
		lo, hi := icd.Place(v), icd.Place(100-v)
		if lo.Band+hi.Band != len(icd.Bands)-1 {
			t.Errorf("ICD 203 %v%% is %q but %v%% is %q: not mirrored", v, icd.Bands[lo.Band].Key, 100-v, icd.Bands[hi.Band].Key)
		}
	}
}

func TestYardstickRepresentative(t *testing.T) {
	icd, _ := YardstickOf(YardstickICD203)
	phia, _ := YardstickOf(YardstickPHIA)
	step5 := Criterion{Kind: KindPercent, Min: 0, Max: 100, Step: 5, Yardstick: YardstickICD203}
	step25 := Criterion{Kind: KindPercent, Min: 0, Max: 100, Step: 25, Yardstick: YardstickPHIA}
	for _, tc := range []struct {
		y    Yardstick
		c    Criterion
		band int
		want int
		ok   bool
	}{
		{icd, step5, 0, 3, true},    // almost no chance (1–5): 1..4 are points (5 is very unlikely), middle 3
		{icd, step5, 1, 15, true},   // very unlikely (5–20): 10 and 15 are as near 12.5; 15 is nearer 50
		{icd, step5, 3, 50, true},   // roughly even chance: 45, 50, 55 → 50
		{icd, step5, 4, 65, true},   // likely: 60..80 (55 is even chance), middle 67.5: 65 and 70 tie, 65 is nearer 50
		{icd, step5, 6, 97, true},   // almost certain (95–99): 96..99 (95 is very likely), middle 97
		{phia, step5, 2, 30, true},  // unlikely 25–35 → 30
		{phia, step25, 1, 0, false}, // highly unlikely 10–20: no point of a 25-step scale
		{phia, step25, 0, 3, true},  // remote chance ≤5: 0..5 are points, middle 2.5, 3 nearer 50
	} {
		v, ok := tc.y.Representative(tc.band, tc.c)
		if v != tc.want || ok != tc.ok {
			t.Errorf("%s band %d, step %d: %d %v, want %d %v", tc.y.Name, tc.band, tc.c.Step, v, ok, tc.want, tc.ok)
		}
	}
}

func TestCriterionWords(t *testing.T) {
	c := Criterion{Kind: KindPercent, Min: 0, Max: 100, Step: 5, Yardstick: YardstickICD203}
	v := 62.5
	if got := c.Words(&v, i18n.TextsIn("pl")); got != "prawdopodobne (55–80 %)" {
		t.Errorf("Words: %q", got)
	}
	if got := c.Words(&v, i18n.TextsIn("fr")); got != "probable (55–80 %)" {
		t.Errorf("Words in French: %q", got)
	}
	if got := c.Words(nil, i18n.TextsIn("en")); got != "" {
		t.Errorf("no value: %q", got)
	}
	c.Yardstick = ""
	if got := c.Words(&v, i18n.TextsIn("en")); got != "" {
		t.Errorf("no yardstick: %q", got)
	}
}

// Every term's pick lies inside the term, on both yardsticks and every
// step a percent criterion may have; the scale offers every whole percent
// of the outermost terms; 0 and 100 lie outside ICD 203's terms.
func TestBandPicksLieInsideTheirBands(t *testing.T) {
	for _, key := range YardstickKeys {
		y, _ := YardstickOf(key)
		for _, step := range []int{1, 2, 4, 5, 10, 20, 25, 50, 100} {
			c := Criterion{Kind: KindPercent, Min: 0, Max: 100, Step: step, Yardstick: key}
			for i, b := range y.Bands {
				v, ok := y.Representative(i, c)
				if !ok {
					continue
				}
				if v < b.Min || v > b.Max {
					t.Errorf("%s, step %d: %q is picked as %d %%, outside %s", y.Name, step, b.Key, v, b.Range())
				}
				if err := c.CheckValue(&v); err != nil {
					t.Errorf("%s, step %d: the pick %d of %q is refused: %v", y.Name, step, v, b.Key, err)
				}
			}
			first, last := y.Bands[0], y.Bands[len(y.Bands)-1]
			for _, b := range []Band{first, last} {
				for v := b.Min; v <= b.Max; v++ {
					if !c.IsPoint(v) {
						t.Errorf("%s, step %d: %d %% of %s is not on the scale", y.Name, step, v, b.Range())
					}
				}
			}
		}
	}
	c := Criterion{Kind: KindPercent, Min: 0, Max: 100, Step: 5, Yardstick: YardstickICD203}
	for _, v := range []int{7, 93, 101, -1} {
		if err := c.CheckValue(&v); err == nil {
			t.Errorf("%d accepted on a 5-step ICD 203 scale", v)
		}
	}
	pts := c.Points()
	if pts[0] != 0 || pts[1] != 1 || pts[5] != 5 || pts[6] != 10 || pts[len(pts)-1] != 100 || pts[len(pts)-2] != 99 {
		t.Errorf("points %v", pts)
	}
	for _, v := range []float64{0, 100} {
		if c.Words(&v, i18n.TextsIn("en")) != "" {
			t.Errorf("%v %% has words %q: it lies outside every term", v, c.Words(&v, i18n.TextsIn("en")))
		}
	}
	plain := Criterion{Kind: KindScale, Min: 1, Max: 5, Step: 1}
	if got := plain.Points(); len(got) != 5 {
		t.Errorf("a 1–5 scale has points %v", got)
	}
}
