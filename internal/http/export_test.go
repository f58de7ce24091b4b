package http_test

// Tests of the exports: who may download them, that every format carries
// the same numbers as the results API (exactly), the file names, and the
// report with its PDF.

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"foresight/internal/export"
	fhttp "foresight/internal/http"
	"foresight/internal/workshop"
)

// exportFiles are the data downloads of a workshop.
var exportFiles = []string{"ratings.csv", "summary.csv", "rationales.csv", "workshop.json", "workshop.xlsx"}

func exportPath(code, file string) string { return "/workshops/" + code + "/export/" + file }

// exportedWorkshop runs two rounds through the API: five participants rate
// (one "don't know", two camps on one item), give reasons (one that tries
// to start a formula, featured), and round 2 moves.
func exportedWorkshop(t *testing.T, ts *testServer, owner workshop.User) (*workshop.Workshop, *client, []*client) {
	t.Helper()
	w := ts.workshop(t, owner, true)
	fac := ts.login(t, owner.Email)
	var ps []*client
	for range 5 {
		ps = append(ps, ts.join(t, w.Code))
	}
	s0, s1, c0, c1 := w.Scenarios[0].ID, w.Scenarios[1].ID, w.Criteria[0].ID, w.Criteria[1].ID
	for i, v := range []string{"1", "1", "1", "5", "5"} {
		ps[i].rate(t, w.Code, s0, c0, v)
	}
	for i, v := range []string{"2", "3", "4", "4", "null"} {
		ps[i].rate(t, w.Code, s0, c1, v)
	}
	ps[0].rate(t, w.Code, s1, c0, "3")
	ps[0].reason(t, w.Code, s0, "=HYPERLINK(\"http://evil.example\",\"x\") is how I see it")
	featured := ps[1].reason(t, w.Code, s0, "The camps are real.")
	fac.postJSON(t, apiPath(w.Code, fmt.Sprintf("/rationales/%d/feature", featured.ID)), "").want(t, http.StatusNoContent)
	fac.steps(t, w.Code, actClose, actReveal, actNext)
	for i, v := range []string{"2", "2", "3", "3", "4"} {
		ps[i].rate(t, w.Code, s0, c0, v)
	}
	ps[2].rate(t, w.Code, s1, c1, "5")
	return w, fac, ps
}

func TestExportAccess(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	ts.user(t, "organiser@example.org", workshop.RoleOrganiser)
	ts.user(t, "other@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, owner, true)
	p := ts.join(t, w.Code)
	p.rate(t, w.Code, w.Scenarios[0].ID, w.Criteria[0].ID, "3")
	before := ts.tallies(t, w)
	paths := []string{exportPath(w.Code, "report")}
	for _, f := range exportFiles {
		paths = append(paths, exportPath(w.Code, f))
	}
	for _, tt := range []struct {
		name   string
		c      *client
		status int
	}{
		{"owner", ts.login(t, owner.Email), 200},
		{"organiser", ts.login(t, "organiser@example.org"), 200},
		{"other facilitator", ts.login(t, "other@example.org"), 403},
		{"participant", p, 403},
		{"anonymous", ts.client(), 303},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, path := range paths {
				r := tt.c.get(t, path)
				switch tt.status {
				case 303:
					r.wantRedirect(t, "/login?next="+url.QueryEscape(path))
				case 200:
					r.want(t, 200)
					if !strings.HasSuffix(path, "/report") && !strings.HasPrefix(r.header.Get("Content-Disposition"), "attachment; ") {
						t.Fatalf("%s: Content-Disposition %q, want a download", path, r.header.Get("Content-Disposition"))
					}
				default:
					r.want(t, tt.status).wantLacks(t, "P-")
				}
			}
		})
	}
	fac := ts.login(t, owner.Email)
	fac.get(t, exportPath(w.Code, "secrets.csv")).want(t, 404)
	fac.get(t, exportPath(w.Code, "report.pdf")).want(t, 404) // the server has no Chromium
	fac.get(t, exportPath("ZZZZZZZZ", "ratings.csv")).want(t, 404)
	ts.wantUnchanged(t, before, w)
}

// TestExportAgreesWithResultsAPI: every statistic of summary.csv,
// workshop.json and the workbook's Summary sheet is the results API's
// number, to the last bit, in every round.
func TestExportAgreesWithResultsAPI(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	w, fac, _ := exportedWorkshop(t, ts, owner)
	api := map[int]apiResults{}
	for n := 1; n <= 2; n++ {
		res, _ := fac.resultsOf(t, w.Code, n)
		api[n] = res
	}

	// summary.csv
	rows := exportCSV(t, fac.get(t, exportPath(w.Code, "summary.csv")).want(t, 200))
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	if got, want := len(rows)-1, 2*len(w.Scenarios)*len(w.Criteria); got != want {
		t.Fatalf("summary.csv has %d rows, want %d (rounds x items)", got, want)
	}
	for _, row := range rows[1:] {
		n, _ := strconv.Atoi(row[col["round"]])
		sid, _ := strconv.ParseInt(row[col["scenario_id"]], 10, 64)
		cid, _ := strconv.ParseInt(row[col["criterion_id"]], 10, 64)
		it := api[n].item(t, sid, cid)
		what := fmt.Sprintf("summary.csv round %d item %d/%d", n, sid, cid)
		cell := func(name string) string { return row[col[name]] }
		if cell("n") != strconv.FormatInt(it.N, 10) || cell("dont_know") != strconv.FormatInt(it.DontKnow, 10) ||
			cell("consensus") != strconv.FormatBool(it.Consensus) || cell("polarised") != strconv.FormatBool(it.Polarised) {
			t.Fatalf("%s: %q, want n=%d dont_know=%d consensus=%v polarised=%v", what, row, it.N, it.DontKnow, it.Consensus, it.Polarised)
		}
		for name, v := range map[string]*float64{"mean": it.Mean, "median": it.Median, "q1": it.Q1, "q3": it.Q3, "iqr": it.IQR, "sd": it.SD,
			"cv": it.CV, "agreement": it.Agreement, "delta_median": it.DeltaMedian, "delta_iqr": it.DeltaIQR,
			"round_consensus_share": api[n].Summary.ConsensusShare, "round_mean_relative_iqr": api[n].Summary.MeanRelativeIQR,
			"round_delta_consensus_share": api[n].Summary.DeltaConsensusShare, "round_delta_mean_relative_iqr": api[n].Summary.DeltaMeanRelativeIQR} {
			wantExact(t, what+" "+name, cell(name), v)
		}
		for v, count := range it.Histogram {
			if cell("count_"+v) != strconv.FormatInt(count, 10) {
				t.Fatalf("%s: count_%s=%q, want %d", what, v, cell("count_"+v), count)
			}
		}
		if cell("round_joined") != strconv.Itoa(api[n].Joined) || cell("round_rated") != strconv.Itoa(api[n].Rated) {
			t.Fatalf("%s: joined %s rated %s, want %d %d", what, cell("round_joined"), cell("round_rated"), api[n].Joined, api[n].Rated)
		}
	}

	// workshop.json
	var doc export.Document
	if err := json.Unmarshal([]byte(fac.get(t, exportPath(w.Code, "workshop.json")).want(t, 200).wantContentType(t, "application/json").body), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Rounds) != 2 || doc.Workshop.Code != w.Code || doc.Workshop.Participants != 5 {
		t.Fatalf("workshop.json: %d rounds, code %s, %d participants; want 2, %s, 5", len(doc.Rounds), doc.Workshop.Code, doc.Workshop.Participants, w.Code)
	}
	for _, r := range doc.Rounds {
		if r.Results.Joined != api[r.N].Joined || r.Results.Rated != api[r.N].Rated || r.Results.Summary.Items != api[r.N].Summary.Items {
			t.Fatalf("workshop.json round %d: joined %d rated %d, want %d %d", r.N, r.Results.Joined, r.Results.Rated, api[r.N].Joined, api[r.N].Rated)
		}
		for _, it := range r.Results.Items {
			a := api[r.N].item(t, it.ScenarioID, it.CriterionID)
			wantFloats(t, fmt.Sprintf("workshop.json round %d item %d/%d", r.N, it.ScenarioID, it.CriterionID),
				floatCheck{"mean", it.Mean, a.Mean}, floatCheck{"median", it.Median, a.Median}, floatCheck{"q1", it.Q1, a.Q1},
				floatCheck{"q3", it.Q3, a.Q3}, floatCheck{"iqr", it.IQR, a.IQR}, floatCheck{"sd", it.SD, a.SD}, floatCheck{"cv", it.CV, a.CV},
				floatCheck{"agreement", it.Agreement, a.Agreement}, floatCheck{"delta_median", it.DeltaMedian, a.DeltaMedian})
			if jsonOf(it.Histogram) != jsonOf(a.Histogram) || it.Consensus != a.Consensus || it.Polarised != a.Polarised ||
				!sameFloat(it.Mean, a.Mean) || !sameFloat(it.SD, a.SD) || !sameFloat(it.CV, a.CV) {
				t.Fatalf("workshop.json round %d item %d/%d: %s, want %s", r.N, it.ScenarioID, it.CriterionID, jsonOf(it), jsonOf(a))
			}
		}
	}

	// One JSON shape: each round of workshop.json is the results API's
	// answer, key for key and value for value.
	var rawDoc struct {
		Rounds []struct {
			Results map[string]any `json:"results"`
		} `json:"rounds"`
	}
	if err := json.Unmarshal([]byte(fac.get(t, exportPath(w.Code, "workshop.json")).want(t, 200).body), &rawDoc); err != nil {
		t.Fatal(err)
	}
	for i, r := range rawDoc.Rounds {
		var fromAPI map[string]any
		fac.get(t, apiPath(w.Code, fmt.Sprintf("/results?round=%d", i+1))).want(t, 200).decode(t, &fromAPI)
		if !reflect.DeepEqual(r.Results, fromAPI) {
			t.Fatalf("round %d: workshop.json has\n%s\nthe results API\n%s", i+1, jsonOf(r.Results), jsonOf(fromAPI))
		}
	}

	// The workbook's Summary sheet, against summary.csv cell by cell
	// (which equals the API, above): numbers in number cells, every digit.
	x, err := excelize.OpenReader(strings.NewReader(fac.get(t, exportPath(w.Code, "workshop.xlsx")).want(t, 200).body))
	if err != nil {
		t.Fatalf("open workshop.xlsx: %v", err)
	}
	defer x.Close()
	sheet, err := x.GetRows("Summary", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(sheet) != len(rows) {
		t.Fatalf("Summary sheet has %d rows, summary.csv %d", len(sheet), len(rows))
	}
	for r := range rows {
		for c, want := range rows[r] {
			got := ""
			if c < len(sheet[r]) {
				got = sheet[r][c]
			}
			if want == "true" || want == "false" { // booleans are TRUE/FALSE cells
				want = map[string]string{"true": "1", "false": "0"}[want]
			}
			if got != want {
				if g, err1 := strconv.ParseFloat(got, 64); err1 == nil {
					if w, err2 := strconv.ParseFloat(want, 64); err2 == nil && g == w {
						continue
					}
				}
				t.Fatalf("Summary!R%dC%d = %q, summary.csv has %q", r+1, c+1, got, want)
			}
		}
	}
}

func sameFloat(a, b *float64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

// wantExact compares a CSV cell with an API number: empty for null, else
// the same float64.
func wantExact(t *testing.T, what, cell string, want *float64) {
	t.Helper()
	if want == nil {
		if cell != "" {
			t.Fatalf("%s = %q, want empty for null", what, cell)
		}
		return
	}
	got, err := strconv.ParseFloat(cell, 64)
	if err != nil || got != *want {
		t.Fatalf("%s = %q, want exactly %v", what, cell, *want)
	}
}

// exportCSV checks a CSV download's headers and reads it with encoding/csv.
func exportCSV(t *testing.T, r *response) [][]string {
	t.Helper()
	r.wantContentType(t, "text/csv; charset=utf-8")
	body, ok := strings.CutPrefix(r.body, "\uFEFF")
	if !ok {
		t.Fatalf("%s: no UTF-8 byte order mark", r.req)
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("%s: read CSV: %v", r.req, err)
	}
	return rows
}

var pseudonymPattern = regexp.MustCompile(`^P-[23456789ABCDEFGHJKMNPQRSTWXYZ]{5}$`)

func TestExportDownloads(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	w, fac, _ := exportedWorkshop(t, ts, owner)
	date := w.CreatedAt.UTC().Format("2006-01-02")
	slug := export.Slug(w.Title)

	r := fac.get(t, exportPath(w.Code, "ratings.csv")).want(t, 200)
	want := fmt.Sprintf(`attachment; filename="foresight-%s-%s-ratings.csv"; filename*=UTF-8''foresight-%s-%s-ratings.csv`, slug, date, slug, date)
	if got := r.header.Get("Content-Disposition"); got != want {
		t.Fatalf("Content-Disposition\n got %s\nwant %s", got, want)
	}
	if r.header.Get("Cache-Control") != "no-store" {
		t.Fatal("a download may be cached")
	}
	rows := exportCSV(t, r)
	stored := ts.tally(t, w)
	var total int64
	for _, c := range stored.Counts {
		total += c.Count
	}
	if int64(len(rows)-1) != total {
		t.Fatalf("ratings.csv has %d rows, the store %d ratings", len(rows)-1, total)
	}
	// Each participant has one pseudonym, random and stable: five of them.
	seen := map[string]bool{}
	for _, row := range rows[1:] {
		if row[0] != w.Code || !pseudonymPattern.MatchString(row[2]) {
			t.Fatalf("row %q: want the workshop code and a pseudonym", row)
		}
		seen[row[2]] = true
		if row[8] == "true" && row[7] != "" || row[8] == "false" && row[7] == "" {
			t.Fatalf("row %q: value and dont_know disagree", row)
		}
	}
	if len(seen) != 5 {
		t.Fatalf("%d pseudonyms, want one per participant: 5", len(seen))
	}

	rats := exportCSV(t, fac.get(t, exportPath(w.Code, "rationales.csv")).want(t, 200))
	if len(rats) != 3 || rats[1][5] != `'=HYPERLINK("http://evil.example","x") is how I see it` || rats[2][7] != "true" {
		t.Fatalf("rationales.csv %q: want two reasons, the formula neutralised and the second featured", rats)
	}

	for file, ctype := range map[string]string{"workshop.json": "application/json", "workshop.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"} {
		r := fac.get(t, exportPath(w.Code, file)).want(t, 200).wantContentType(t, ctype)
		ext := filepath.Ext(file)
		if !strings.Contains(r.header.Get("Content-Disposition"), fmt.Sprintf(`filename="foresight-%s-%s%s"`, slug, date, ext)) {
			t.Fatalf("%s: Content-Disposition %q", file, r.header.Get("Content-Disposition"))
		}
	}
}

func TestReportPage(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	w, fac, _ := exportedWorkshop(t, ts, owner)
	r := fac.get(t, exportPath(w.Code, "report")).want(t, 200).wantContentType(t, "text/html")
	r.wantContains(t, "<html lang=\"en\" class=\"report\">", "Method", "Round 1: risk matrix", `<svg class="matrix"`,
		"Consensus and polarisation, round 1", "Consensus and polarisation, round 2", "Scenarios across rounds",
		"The camps are real.", "The scenarios and their sources", html.EscapeString(w.Scenarios[0].Source.In("en")), "/assets/css/print.",
		"Voting in this round is still open")
	r.wantLacks(t, "report.pdf", "HYPERLINK") // no PDF without Chromium; the unfeatured reason stays out
	// A separator never sticks to the word before it ("n 6· consensus").
	text := regexp.MustCompile(`<[^>]*>`).ReplaceAllString(r.body, "")
	if m := regexp.MustCompile(`\S{0,20}[^\s(]·`).FindString(text); m != "" {
		t.Errorf("a separator sticks to the word before it: %q", m)
	}
	// Round 2 is open: its matrix is there, marked provisional.
	if got := strings.Count(r.body, `<svg class="matrix"`); got != 2 {
		t.Fatalf("%d risk matrices, want one per round with ratings: 2", got)
	}
	// The workshop page links every export.
	page := fac.get(t, "/workshops/"+w.Code).want(t, 200)
	for _, f := range append([]string{"report"}, exportFiles...) {
		page.wantContains(t, `href="`+exportPath(w.Code, f)+`"`)
	}
	// A workshop in the lobby has a report without results.
	lobby := ts.workshop(t, owner, false)
	fac.get(t, exportPath(lobby.Code, "report")).want(t, 200).wantContains(t, "No ratings yet").wantLacks(t, `<svg class="matrix"`)
}

// newPDFServer is the test server with a Chromium for report.pdf; it skips
// the test without one, unless FORESIGHT_E2E=required.
func newPDFServer(t *testing.T) *testServer {
	t.Helper()
	const chromium = "/usr/bin/chromium"
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("FORESIGHT_E2E") == "required" {
			t.Fatalf("FORESIGHT_E2E=required but %s is missing", chromium)
		}
		t.Skipf("report.pdf needs %s (apt-get install -y chromium)", chromium)
	}
	return newTestServerWith(t, fhttp.Config{ChromiumPath: chromium}, false)
}

func TestReportPDF(t *testing.T) {
	t.Parallel()
	ts := newPDFServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	ts.user(t, "other@example.org", workshop.RoleFacilitator)
	w, fac, ps := exportedWorkshop(t, ts, owner)
	path := exportPath(w.Code, "report.pdf")
	fac.get(t, exportPath(w.Code, "report")).want(t, 200).wantContains(t, `href="`+path+`"`)
	ts.client().get(t, path).wantRedirect(t, "/login?next="+url.QueryEscape(path))
	ts.login(t, "other@example.org").get(t, path).want(t, 403)
	ps[0].get(t, path).want(t, 403)

	r := fac.get(t, path).want(t, 200).wantContentType(t, "application/pdf")
	if !strings.HasPrefix(r.header.Get("Content-Disposition"), `attachment; filename="foresight-`) || !strings.Contains(r.header.Get("Content-Disposition"), `-report.pdf"`) {
		t.Fatalf("Content-Disposition %q", r.header.Get("Content-Disposition"))
	}
	pdf := []byte(r.body)
	if dir := os.Getenv("FORESIGHT_SCREENSHOTS"); dir != "" { // for a person to look at
		if err := os.WriteFile(filepath.Join(dir, "report-server.pdf"), pdf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %.20q", pdf)
	}
	pages := len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1))
	if pages < 4 || pages > 30 {
		t.Fatalf("%d pages, want a report of 4 to 30", pages)
	}
	if !regexp.MustCompile(`/MediaBox \[0 0 59[45](\.\d+)? 84[12](\.\d+)?\]`).Match(pdf) {
		t.Fatal("the pages are not A4")
	}
	if got := bytes.Count(pdf, []byte("/Alt (Risk matrix.")); got != 2 {
		t.Fatalf("%d risk matrices in the PDF, want 2", got)
	}
}
