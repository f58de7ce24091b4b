package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"iter"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"foresight/internal/i18n"
	"foresight/internal/workshop"
)

// fixture is a small workshop held in memory: two criteria (a 1-5 scale
// with "don't know" and a percentage in steps of 25), three scenarios, two
// rounds, two expert groups (P-AAAAA and P-BBBBB are in one each), and
// titles, reasons and a group name that try to start formulas.
type fixture struct {
	src        *Source
	ratings    []workshop.StoredRating
	rationales []workshop.Rationale
}

var t0 = time.Date(2026, 3, 14, 9, 30, 0, 123456789, time.UTC)

func newFixture(tb testing.TB) *fixture {
	tb.Helper()
	w := &workshop.Workshop{
		ID: 7, Code: "K7QFM2XD", Title: "Żółć & =Risks", DeckSlug: "test-deck", Languages: []string{"en", "pl"},
		State: workshop.StateClosed, Round: 2, Seq: 99, Visibility: workshop.VisibleAfterReveal, Pacing: workshop.PaceSelf,
		CreatedAt: t0, CopiedFrom: "M2XDK7QF",
		Groups: []workshop.Group{{ID: 31, Name: "=military"}, {ID: 32, Name: "diplomatic"}},
		Criteria: []workshop.Criterion{
			{ID: 11, Key: "likelihood", Name: workshop.Text{"en": "Likelihood", "pl": "Prawdopodobieństwo"}, Kind: workshop.KindScale,
				Min: 1, Max: 5, Step: 1, DontKnow: true, Labels: []workshop.Label{{Value: 1, Text: workshop.Text{"en": "Very unlikely"}}}},
			{ID: 12, Key: "share", Name: workshop.Text{"en": "Share, in %"}, Kind: workshop.KindPercent, Min: 0, Max: 100, Step: 25, Yardstick: workshop.YardstickPHIA},
		},
		Scenarios: []workshop.Scenario{
			{ID: 21, Key: "refugees", Title: workshop.Text{"en": "Refugee crisis", "pl": "Kryzys uchodźczy"}, Narrative: workshop.Text{"en": "Many flee."},
				Source: workshop.Text{"en": "Section 2, paragraph 1"}},
			{ID: 22, Key: "formula", Title: workshop.Text{"en": "=HYPERLINK(\"http://evil.example\",\"click\")"}, Narrative: workshop.Text{"en": "-1 is a number"}},
			{ID: 23, Key: "quotes", Title: workshop.Text{"en": "Quotes \"and\", commas\nand lines"}, Narrative: workshop.Text{"en": "@SUM(A1)"}},
		},
	}
	f := &fixture{}
	add := func(round int, p string, s, c int64, v int, dk bool) {
		f.ratings = append(f.ratings, workshop.StoredRating{Round: round, Pseudonym: p, ScenarioID: s, CriterionID: c,
			Answer: workshop.Answer{Value: v, DontKnow: dk}, RatedAt: t0.Add(time.Duration(len(f.ratings)) * time.Second), GroupID: fixtureGroups[p]})
	}
	// Round 1: scenario 21 on likelihood 2, 5, 4 and a "don't know".
	add(1, "P-AAAAA", 21, 11, 2, false)
	add(1, "P-AAAAA", 21, 12, 50, false)
	add(1, "P-BBBBB", 21, 11, 5, false)
	add(1, "P-BBBBB", 22, 11, 0, true)
	add(1, "P-CCCCC", 21, 11, 4, false)
	add(1, "P-DDDDD", 21, 11, 0, true)
	// Round 2: they converge.
	add(2, "P-AAAAA", 21, 11, 4, false)
	add(2, "P-BBBBB", 21, 11, 4, false)
	add(2, "P-CCCCC", 21, 11, 5, false)
	add(2, "P-CCCCC", 23, 12, 100, false)
	f.rationales = []workshop.Rationale{
		{ID: 1, Round: 1, Pseudonym: "P-AAAAA", ScenarioID: 21, Text: "=1+2", UpdatedAt: t0, GroupID: 31},
		{ID: 2, Round: 1, Pseudonym: "P-BBBBB", ScenarioID: 21, Text: "-5 is wrong, \"really\"\nsecond line", Featured: true, UpdatedAt: t0, GroupID: 32},
		{ID: 3, Round: 2, Pseudonym: "P-CCCCC", ScenarioID: 23, Text: "+ plus, @ at, \ttab", Hidden: true, UpdatedAt: t0},
		{ID: 4, Round: 2, Pseudonym: "P-AAAAA", ScenarioID: 22, Text: "Zwykły tekst: ąę", UpdatedAt: t0, GroupID: 31},
	}
	f.src = NewSource(&workshop.Record{
		Workshop:   w,
		Joined:     4,
		Tally:      func() (workshop.Tally, error) { return tallyOf(f.ratings, 4, 99), nil },
		Rounds:     []workshop.RoundTimes{{N: 1, OpenedAt: t0, ClosedAt: t0.Add(time.Hour), RevealedAt: t0.Add(time.Hour)}, {N: 2, OpenedAt: t0.Add(2 * time.Hour), ClosedAt: t0.Add(3 * time.Hour), Prefilled: true}},
		ReadAt:     t0.Add(4 * time.Hour),
		Ratings:    seq(f.ratings),
		Rationales: seq(f.rationales),
	}, "")
	return f
}

// fixtureGroups are the expert groups of the fixture's participants.
var fixtureGroups = map[string]int64{"P-AAAAA": 31, "P-BBBBB": 32}

func seq[T any](xs []T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for _, x := range xs {
			if !yield(x, nil) {
				return
			}
		}
	}
}

// tallyOf aggregates ratings as the store's GROUP BY queries do.
func tallyOf(rs []workshop.StoredRating, joined int, seq int64) workshop.Tally {
	t := workshop.Tally{Seq: seq, Joined: joined}
	type k struct {
		round int
		s, c  int64
		a     workshop.Answer
	}
	counts := map[k]int64{}
	var order []k
	rated := map[[2]any]int{}
	var raters [][2]any
	for _, r := range rs {
		key := k{r.Round, r.ScenarioID, r.CriterionID, r.Answer}
		if counts[key] == 0 {
			order = append(order, key)
		}
		counts[key]++
		pk := [2]any{r.Round, r.Pseudonym}
		if rated[pk] == 0 {
			raters = append(raters, pk)
		}
		rated[pk]++
	}
	for _, key := range order {
		t.Counts = append(t.Counts, workshop.TallyRow{Round: key.round, ScenarioID: key.s, CriterionID: key.c, Answer: key.a, Count: counts[key]})
	}
	for i, pk := range raters {
		t.Rated = append(t.Rated, workshop.RatedRow{Round: pk[0].(int), ParticipantID: int64(i + 1), Items: rated[pk]})
	}
	return t
}

func results(t *testing.T, src *Source) []workshop.Results {
	t.Helper()
	res, err := src.Results()
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// readCSV checks the byte order mark and reads a CSV file back with
// encoding/csv.
func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	rest, ok := bytes.CutPrefix(b, []byte(bom))
	if !ok {
		t.Fatalf("CSV starts with %q, want the UTF-8 byte order mark", b[:min(len(b), 3)])
	}
	if !bytes.Contains(rest, []byte("\r\n")) {
		t.Fatal("CSV lines do not end in CRLF (RFC 4180)")
	}
	r := csv.NewReader(bytes.NewReader(rest))
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("read CSV back: %v", err)
	}
	return rows
}

func write(t *testing.T, f Format, src *Source) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := f.Write(&buf, src); err != nil {
		t.Fatalf("write %s: %v", f.File, err)
	}
	return buf.Bytes()
}

func TestResultsFromTallies(t *testing.T) {
	f := newFixture(t)
	res := results(t, f.src)
	if len(res) != 2 {
		t.Fatalf("%d rounds of results, want 2", len(res))
	}
	r1, r2 := res[0], res[1]
	if r1.Joined != 4 || r1.Rated != 4 || r2.Rated != 3 || r1.Seq != 99 {
		t.Fatalf("round 1 joined=%d rated=%d seq=%d, round 2 rated=%d; want 4 4 99 3", r1.Joined, r1.Rated, r1.Seq, r2.Rated)
	}
	if got, want := len(r1.Items), 3*2; got != want {
		t.Fatalf("%d items, want every scenario x criterion: %d", got, want)
	}
	// 2, 4, 5: median 4, Q1 3, Q3 4.5 (type 7); one "don't know".
	it, _ := r1.Item(21, 11)
	if it.N != 3 || it.DontKnow != 1 || *it.Median != 4 || *it.Q1 != 3 || *it.Q3 != 4.5 || *it.Mean != 11.0/3 {
		t.Fatalf("round 1 item 21/11: %+v, want n=3 dk=1 median 4 q1 3 q3 4.5 mean 11/3", it.Stats)
	}
	// Round 2: 4, 4, 5: median 4, IQR 0.5; the change since round 1.
	it2, _ := r2.Item(21, 11)
	if *it2.IQR != 0.5 || it2.DeltaMedian == nil || *it2.DeltaMedian != 0 || *it2.DeltaIQR != -1 {
		t.Fatalf("round 2 item 21/11: iqr=%v delta median=%v delta iqr=%v, want 0.5 0 -1", *it2.IQR, it2.DeltaMedian, *it2.DeltaIQR)
	}
	if r2.Summary.DeltaMeanRelativeIQR == nil || r1.Summary.DeltaMeanRelativeIQR != nil {
		t.Fatal("the summary's change appears from round 2 only")
	}
}

func TestRatingsCSV(t *testing.T) {
	f := newFixture(t)
	rows := readCSV(t, write(t, RatingsCSV, f.src))
	want := []string{"workshop_code", "round", "participant", "scenario_id", "scenario_title", "criterion_id", "criterion_name", "value", "dont_know", "rated_at", "band", "group"}
	if !reflect.DeepEqual(rows[0], want) {
		t.Fatalf("header %q, want %q", rows[0], want)
	}
	if len(rows) != 1+len(f.ratings) {
		t.Fatalf("%d rows, want a header and %d ratings", len(rows), len(f.ratings))
	}
	titles := map[int64]string{21: "Refugee crisis", 22: `'=HYPERLINK("http://evil.example","click")`, 23: "Quotes \"and\", commas\nand lines"}
	for i, r := range f.ratings {
		value := strconv.Itoa(r.Answer.Value)
		if r.Answer.DontKnow {
			value = ""
		}
		crit := map[int64]string{11: "Likelihood", 12: "Share, in %"}[r.CriterionID]
		// The percent criterion has the PHIA yardstick: its term and range
		// go with every value.
		band := map[int]string{50: "realistic possibility (40–50 %)", 100: "almost certain (≥95 %)"}[r.Answer.Value]
		if r.CriterionID != 12 {
			band = ""
		}
		want := []string{"K7QFM2XD", strconv.Itoa(r.Round), r.Pseudonym, strconv.FormatInt(r.ScenarioID, 10), titles[r.ScenarioID],
			strconv.FormatInt(r.CriterionID, 10), crit, value, strconv.FormatBool(r.Answer.DontKnow), r.RatedAt.Format(time.RFC3339Nano), band,
			map[string]string{"P-AAAAA": "'=military", "P-BBBBB": "diplomatic"}[r.Pseudonym]}
		if !reflect.DeepEqual(rows[i+1], want) {
			t.Fatalf("row %d:\n got %q\nwant %q", i+1, rows[i+1], want)
		}
	}
	if got := rows[1][9]; got != "2026-03-14T09:30:00.123456789Z" {
		t.Fatalf("rated_at %q, want RFC 3339 in UTC with its nanoseconds", got)
	}
}

// TestSummaryCSV reads every statistic back and compares it, as a float64,
// with the results: equal, not merely close.
func TestSummaryCSV(t *testing.T) {
	f := newFixture(t)
	rows := readCSV(t, write(t, SummaryCSV, f.src))
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, h := range []string{"mean", "median", "q1", "q3", "iqr", "sd", "cv", "agreement", "consensus", "polarised", "bimodality",
		"delta_median", "delta_iqr", "count_0", "count_1", "count_5", "count_25", "count_100", "round_consensus_share", "round_delta_mean_relative_iqr"} {
		if _, ok := col[h]; !ok {
			t.Fatalf("summary lacks column %q; header %q", h, rows[0])
		}
	}
	var want [][]any
	all := results(t, f.src)
	for _, res := range all {
		for _, it := range res.Items {
			want = append(want, []any{res.Round, it})
		}
	}
	if len(rows)-1 != len(want) {
		t.Fatalf("%d rows, want %d (rounds x scenarios x criteria)", len(rows)-1, len(want))
	}
	for i, w := range want {
		row, round, it := rows[i+1], w[0].(int), w[1].(workshop.ItemResult)
		res := all[round-1]
		if row[col["round"]] != strconv.Itoa(round) || row[col["scenario_id"]] != strconv.FormatInt(it.ScenarioID, 10) ||
			row[col["criterion_id"]] != strconv.FormatInt(it.CriterionID, 10) || row[col["n"]] != strconv.FormatInt(it.N, 10) ||
			row[col["dont_know"]] != strconv.FormatInt(it.DontKnow, 10) {
			t.Fatalf("row %d: %q, want round %d item %d/%d n=%d", i+1, row, round, it.ScenarioID, it.CriterionID, it.N)
		}
		for name, v := range map[string]*float64{"mean": it.Mean, "median": it.Median, "q1": it.Q1, "q3": it.Q3, "iqr": it.IQR, "sd": it.SD,
			"cv": it.CV, "agreement": it.Share, "bimodality": it.Bimodality, "delta_median": it.DeltaMedian, "delta_iqr": it.DeltaIQR,
			"round_consensus_share": res.Summary.ConsensusShare, "round_mean_relative_iqr": res.Summary.MeanRelativeIQR,
			"round_delta_consensus_share": res.Summary.DeltaConsensusShare, "round_delta_mean_relative_iqr": res.Summary.DeltaMeanRelativeIQR} {
			wantFloat(t, "row "+strconv.Itoa(i+1)+" "+name, row[col[name]], v)
		}
		if row[col["consensus"]] != strconv.FormatBool(it.Consensus) || row[col["polarised"]] != strconv.FormatBool(it.Polarised) {
			t.Fatalf("row %d: consensus=%s polarised=%s, want %v %v", i+1, row[col["consensus"]], row[col["polarised"]], it.Consensus, it.Polarised)
		}
		c, _ := f.src.Workshop.Criterion(it.CriterionID)
		if want := c.Words(it.Median, i18n.TextsIn("en")); row[col["band"]] != want || (c.ID == 12 && it.N > 0 && want == "") {
			t.Fatalf("row %d: band %q, want %q", i+1, row[col["band"]], want)
		}
		if row[col["round_thin"]] != strconv.Itoa(res.Summary.Thin) {
			t.Fatalf("row %d: round_thin %q, want %d", i+1, row[col["round_thin"]], res.Summary.Thin)
		}
		for _, p := range []int{0, 1, 2, 5, 25, 50, 100} {
			got := row[col["count_"+strconv.Itoa(p)]]
			onScale := c.IsPoint(p)
			if !onScale {
				if got != "" {
					t.Fatalf("row %d: count_%d=%q for a point not on the scale, want empty", i+1, p, got)
				}
				continue
			}
			if want := strconv.FormatInt(it.Histogram.Counts[it.Histogram.Index(p)], 10); got != want {
				t.Fatalf("row %d: count_%d=%q, want %s", i+1, p, got, want)
			}
		}
	}
}

// wantFloat checks a CSV cell against a statistic: empty for undefined,
// and otherwise exactly the same float64.
func wantFloat(t *testing.T, what, cell string, want *float64) {
	t.Helper()
	if want == nil {
		if cell != "" {
			t.Fatalf("%s=%q, want empty (undefined)", what, cell)
		}
		return
	}
	got, err := strconv.ParseFloat(cell, 64)
	if err != nil || got != *want || math.IsNaN(got) {
		t.Fatalf("%s=%q, want exactly %v", what, cell, *want)
	}
}

func TestRationalesCSV(t *testing.T) {
	f := newFixture(t)
	rows := readCSV(t, write(t, RationalesCSV, f.src))
	want := [][]string{
		{"workshop_code", "round", "participant", "scenario_id", "scenario_title", "text", "hidden", "featured", "updated_at", "group"},
		{"K7QFM2XD", "1", "P-AAAAA", "21", "Refugee crisis", "'=1+2", "false", "false", "2026-03-14T09:30:00.123456789Z", "'=military"},
		{"K7QFM2XD", "1", "P-BBBBB", "21", "Refugee crisis", "'-5 is wrong, \"really\"\nsecond line", "false", "true", "2026-03-14T09:30:00.123456789Z", "diplomatic"},
		{"K7QFM2XD", "2", "P-CCCCC", "23", "Quotes \"and\", commas\nand lines", "'+ plus, @ at, \ttab", "true", "false", "2026-03-14T09:30:00.123456789Z", ""},
		{"K7QFM2XD", "2", "P-AAAAA", "22", `'=HYPERLINK("http://evil.example","click")`, "Zwykły tekst: ąę", "false", "false", "2026-03-14T09:30:00.123456789Z", "'=military"},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Fatalf("rationales.csv:\n got %q\nwant %q", rows, want)
	}
}

// TestJSONRoundTrip streams workshop.json and reads it back into Document:
// it must equal the document built in memory, and carry the statistics at
// full precision.
func TestJSONRoundTrip(t *testing.T) {
	f := newFixture(t)
	b := write(t, JSON, f.src)
	var got Document
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("decode workshop.json: %v\n%s", err, b)
	}
	want, err := header(f.src)
	if err != nil {
		t.Fatal(err)
	}
	groupName := func(id int64) *string {
		name := map[int64]string{31: "=military", 32: "diplomatic"}[id]
		if name == "" {
			return nil
		}
		return &name
	}
	for _, r := range f.ratings {
		dr := DocRating{Round: r.Round, Participant: r.Pseudonym, ScenarioID: r.ScenarioID, CriterionID: r.CriterionID, DontKnow: r.Answer.DontKnow, RatedAt: r.RatedAt,
			Group: groupName(r.GroupID)}
		if !r.Answer.DontKnow {
			dr.Value = &r.Answer.Value
		}
		want.Ratings = append(want.Ratings, dr)
	}
	for _, r := range f.rationales {
		want.Rationales = append(want.Rationales, DocRationale{ID: r.ID, Round: r.Round, Participant: r.Pseudonym, ScenarioID: r.ScenarioID,
			Text: r.Text, Hidden: r.Hidden, Featured: r.Featured, UpdatedAt: r.UpdatedAt, Group: groupName(r.GroupID)})
	}
	if !reflect.DeepEqual(got, want) {
		gb, _ := json.MarshalIndent(got, "", " ")
		wb, _ := json.MarshalIndent(want, "", " ")
		t.Fatalf("round trip differs:\n got %s\nwant %s", gb, wb)
	}
	if got.Format != "foresight-workshop" || got.Version != 2 || got.Workshop.Participants != 4 || got.Deck.Criteria[0].Name["pl"] != "Prawdopodobieństwo" {
		t.Fatalf("format=%q version=%d participants=%d, want the versioned format, 4 participants and every language", got.Format, got.Version, got.Workshop.Participants)
	}
	mean := got.Rounds[0].Results.Items[0].Mean
	if mean == nil || *mean != 11.0/3 {
		t.Fatalf("mean %v, want 11/3 to the last bit", mean)
	}
	// Round 1's item 21/12 has one rating, 50 %: the PHIA term of its
	// median; an item of a criterion without a yardstick has none.
	for _, it := range got.Rounds[0].Results.Items {
		switch {
		case it.ScenarioID == 21 && it.CriterionID == 12:
			if it.Band == nil || *it.Band != "realistic possibility" {
				t.Fatalf("band of 21/12 in round 1: %v, want realistic possibility", it.Band)
			}
		case it.Band != nil:
			t.Fatalf("item %d/%d has band %q, want null", it.ScenarioID, it.CriterionID, *it.Band)
		}
	}
	if got.Rounds[1].RevealedAt != nil || got.Rounds[0].RevealedAt == nil || !got.Rounds[1].Prefilled {
		t.Fatal("round times: want round 1 revealed, round 2 not yet, and round 2 prefilled")
	}
	if !bytes.Contains(b, []byte(`"participants":4,"copied_from":"M2XDK7QF","groups":[{"id":31,"name":"=military"},{"id":32,"name":"diplomatic"}]}`)) {
		t.Fatalf("workshop.json's workshop object lacks \"copied_from\":\"M2XDK7QF\" and its groups:\n%.600s", b)
	}
	if !bytes.Contains(b, []byte(`"rated_at":"2026-03-14T09:30:00.123456789Z","group":"=military"}`)) || !bytes.Contains(b, []byte(`"group":null}`)) {
		t.Fatalf("workshop.json's ratings lack their groups:\n%s", b)
	}
	// An empty workshop still has lists, not nulls.
	empty := NewSource(&workshop.Record{Workshop: &workshop.Workshop{Code: "AAAAAAAA", Round: 1, State: workshop.StateLobby}}, "")
	var raw map[string]any
	if err := json.Unmarshal(write(t, JSON, empty), &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"ratings", "rationales", "rounds"} {
		if _, ok := raw[k].([]any); !ok {
			t.Fatalf("%s of an empty workshop is %v, want a list", k, raw[k])
		}
	}
	if groups, ok := raw["workshop"].(map[string]any)["groups"].([]any); !ok || len(groups) != 0 {
		t.Fatalf("groups of a workshop without them: %v, want []", raw["workshop"].(map[string]any)["groups"])
	}
	// A workshop that is no copy says so with null.
	if from, ok := raw["workshop"].(map[string]any)["copied_from"]; !ok || from != nil {
		t.Fatalf("copied_from of a workshop that copies none: %v (present: %v), want null", from, ok)
	}
}

func TestFileNames(t *testing.T) {
	w := &workshop.Workshop{Title: "Żółć & =Risks: 2030!", CreatedAt: time.Date(2026, 5, 1, 23, 30, 0, 0, time.FixedZone("X", -3*3600))}
	for file, want := range map[string]string{
		"ratings.csv":   "foresight-zolc-risks-2030-2026-05-02-ratings.csv",
		"summary.csv":   "foresight-zolc-risks-2030-2026-05-02-summary.csv",
		"workshop.json": "foresight-zolc-risks-2030-2026-05-02.json",
		"workshop.xlsx": "foresight-zolc-risks-2030-2026-05-02.xlsx",
		"report.pdf":    "foresight-zolc-risks-2030-2026-05-02-report.pdf",
	} {
		if got := FileName(w, file); got != want {
			t.Errorf("FileName(%s)=%q, want %q", file, got, want)
		}
	}
	cd := ContentDisposition(w, "ratings.csv")
	want := `attachment; filename="foresight-zolc-risks-2030-2026-05-02-ratings.csv"; filename*=UTF-8''foresight-%C5%BC%C3%B3%C5%82%C4%87-risks-2030-2026-05-02-ratings.csv`
	if cd != want {
		t.Fatalf("Content-Disposition\n got %s\nwant %s", cd, want)
	}
	if got := Slug("«»!"); got != "workshop" {
		t.Fatalf("Slug of punctuation = %q, want workshop", got)
	}
	if got := Slug(strings.Repeat("abc ", 40)); len(got) > 60 || strings.HasSuffix(got, "-") {
		t.Fatalf("long slug %q: want at most 60 characters, no trailing hyphen", got)
	}
}

func TestFormats(t *testing.T) {
	for _, name := range []string{"csv", "summary", "rationales", "json", "xlsx"} {
		f, ok := FormatNamed(name)
		if !ok {
			t.Fatalf("no format %q", name)
		}
		if g, ok := FormatOfFile(f.File); !ok || g.Name != name {
			t.Fatalf("FormatOfFile(%s) = %v, %v", f.File, g.Name, ok)
		}
	}
	if _, ok := FormatOfFile("report"); ok {
		t.Fatal("the report is not a data format")
	}
}

func TestText(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "plain": "plain", "=1+2": "'=1+2", "+1": "'+1", "-1": "'-1", "@SUM(A1)": "'@SUM(A1)",
		"\tx": "'\tx", "\rx": "'\rx", "  =1": "'  =1", "\n=1": "'\n=1", "＝1": "'＝1", "P-7KQ2M": "P-7KQ2M", "a=b": "a=b", "'=1": "'=1",
	} {
		if got := Text(in); got != want {
			t.Errorf("Text(%q)=%q, want %q", in, got, want)
		}
	}
}
