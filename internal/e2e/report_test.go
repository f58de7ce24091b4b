package e2e

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"foresight/internal/store"
	"foresight/internal/workshop"
)

// reportWorkshop runs a workshop of two rounds straight in the store:
// twelve people rate every scenario with a spread (one item split into two
// camps), some say "don't know", a reason is featured, and round 2 moves
// towards consensus.
func reportWorkshop(t *testing.T, db *store.DB, owner workshop.User) *workshop.Workshop {
	t.Helper()
	ctx := context.Background()
	decks, err := workshop.BuiltinDecks()
	if err != nil {
		t.Fatal(err)
	}
	w, err := db.CreateWorkshop(ctx, owner, decks[0], "Report test: NATO after Kabul", true)
	if err != nil {
		t.Fatal(err)
	}
	var ps []workshop.Participant
	for range 12 {
		p, _, err := db.Join(ctx, w.Code, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	rate := func(round int) {
		for i, p := range ps {
			for j, s := range w.Scenarios {
				for k, c := range w.Criteria {
					v := 1 + (i+j*2+k+round)%5
					if round == 2 {
						v = 1 + (j+k)%5 // everyone agrees in round 2
						if i%4 == 0 {
							v = min(5, v+1)
						}
					}
					if j == 1 && round == 1 { // two camps
						v = 1 + 4*(i%2)
					}
					var value *int
					if (i+j+k)%11 != 0 {
						value = &v
					}
					if _, err := db.SaveRating(ctx, p, s.ID, c.ID, value); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	}
	rate(1)
	ch, err := db.SaveRationale(ctx, ps[0], w.Scenarios[0].ID, "The region has seen this before; the numbers will come, and Europe is not ready.")
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	if _, err := db.FlagRationale(ctx, w.Code, ch.Rationale.ID, nil, &yes); err != nil {
		t.Fatal(err)
	}
	for _, a := range []workshop.Action{workshop.ActClose, workshop.ActReveal, workshop.ActNextRound} {
		if _, err := db.Step(ctx, w.Code, a, 0, false); err != nil {
			t.Fatal(err)
		}
	}
	rate(2)
	for _, a := range []workshop.Action{workshop.ActClose, workshop.ActReveal} {
		if _, err := db.Step(ctx, w.Code, a, 0, false); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

// TestReportPrintsToA4: the organiser opens the report and prints it as a
// browser's print dialogue would (the page's own @page rules: A4, margins,
// page numbers); the PDF has a sensible number of pages and carries both
// risk matrices. The server-rendered report.pdf does the same.
func TestReportPrintsToA4(t *testing.T) {
	ctx := context.Background()
	a := startApp(t)
	b := browser(t)
	owner, err := a.DB.CreateUser(ctx, "organiser@example.org", "a long password", workshop.RoleOrganiser)
	if err != nil {
		t.Fatal(err)
	}
	w := reportWorkshop(t, a.DB, owner)

	fac := person(t, b, 1280, 900, true)
	run(t, fac, "sign in",
		chromedp.Navigate(a.URL+"/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), owner.Email),
		chromedp.SendKeys(chromedp.CSS("#password"), "a long password"),
		chromedp.Click(chromedp.CSS("main button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(`main a.btn[href="/workshops/new"]`)),
	)
	run(t, fac, "find the exports on the workshop page",
		chromedp.Navigate(a.URL+"/workshops/"+w.Code),
		chromedp.Click(chromedp.CSS("#export summary")),
		chromedp.ScrollIntoView(chromedp.CSS("#export")),
	)
	screenshot(t, fac, "workshop-export-card-1280")
	run(t, fac, "follow the report link",
		chromedp.Click(chromedp.CSS(`#export a[href$="/export/report"]`)),
		chromedp.WaitVisible(chromedp.CSS("main.report svg.matrix")),
	)
	screenshot(t, fac, "report-1280")
	run(t, fac, "scroll to the first matrix", chromedp.ScrollIntoView(chromedp.CSS("section.round-matrix")))
	screenshot(t, fac, "report-matrix-1280")
	n, err := get(fac, chromedp.Evaluate[int](`document.querySelectorAll("main.report svg.matrix").length`))
	if err != nil || n != 2 {
		t.Fatalf("%d risk matrices on the page, %v; want one per round", n, err)
	}

	pdf, err := get(fac, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize(), chromedp.PDFOutlineAndTagged()))
	if err != nil {
		t.Fatalf("print the report: %v", err)
	}
	savePDF(t, "report-browser", pdf)
	wantReportPDF(t, pdf)

	html, err := get(fac, chromedp.OuterHTML(chromedp.CSS("html")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(html, "Featured reasons") || !strings.Contains(html, "Europe is not ready") {
		t.Fatal("the report lacks the featured reason")
	}
}

func savePDF(t *testing.T, name string, pdf []byte) {
	t.Helper()
	if dir := os.Getenv("FORESIGHT_SCREENSHOTS"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name+".pdf"), pdf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// wantReportPDF checks a printed report of two rounds: A4 pages, as many
// as such a report needs, and a risk matrix on a page of its own for each
// round, right under its heading (the PDF's outline points at the heading's
// page, and the tagged PDF names each matrix by its text alternative).
func wantReportPDF(t *testing.T, pdf []byte) {
	t.Helper()
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %.20q", pdf)
	}
	pages := pdfPages(t, pdf)
	if len(pages) < 6 || len(pages) > 20 {
		t.Fatalf("%d pages, want 6 to 20 for two rounds of ten scenarios", len(pages))
	}
	for obj, n := range pages {
		box := regexp.MustCompile(`(?s)\b` + obj + ` 0 obj\s*<<.*?/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]`).FindSubmatch(pdf)
		if box == nil || !strings.HasPrefix(string(box[1]), "59") || !strings.HasPrefix(string(box[2]), "84") {
			t.Fatalf("page %d is not A4 (595 x 842 points): %q", n, box)
		}
	}
	if got := bytes.Count(pdf, []byte("/Alt (Risk matrix.")); got != 2 {
		t.Fatalf("%d risk matrices in the PDF, want 2", got)
	}
	seen := map[int]bool{}
	for _, round := range []string{"1", "2"} {
		m := regexp.MustCompile(`/Title \(Round ` + round + `: risk matrix\)\s*/Dest \[(\d+) 0 R`).FindSubmatch(pdf)
		if m == nil {
			t.Fatalf("the PDF's outline has no heading \"Round %s: risk matrix\"", round)
		}
		n, ok := pages[string(m[1])]
		if !ok || n < 2 || seen[n] {
			t.Fatalf("round %s's matrix is on page %d (known %v): want a page of its own after the first", round, n, ok)
		}
		seen[n] = true
	}
}

// pdfPages maps the object number of every page to its page number, by
// walking the page tree from the catalogue.
func pdfPages(t *testing.T, pdf []byte) map[string]int {
	t.Helper()
	object := func(num string) []byte {
		m := regexp.MustCompile(`(?s)\b` + num + ` 0 obj(.*?)endobj`).FindSubmatch(pdf)
		if m == nil {
			t.Fatalf("PDF object %s is missing", num)
		}
		return m[1]
	}
	root := regexp.MustCompile(`/Type /Catalog[^>]*?/Pages (\d+) 0 R`).FindSubmatch(pdf)
	if root == nil {
		root = regexp.MustCompile(`/Pages (\d+) 0 R[^>]*?/Type /Catalog`).FindSubmatch(pdf)
	}
	if root == nil {
		t.Fatal("the PDF has no catalogue")
	}
	pages := map[string]int{}
	var walk func(num string)
	walk = func(num string) {
		body := object(num)
		if !bytes.Contains(body, []byte("/Type /Pages")) {
			pages[num] = len(pages) + 1
			return
		}
		kids := regexp.MustCompile(`/Kids \[([^\]]*)\]`).FindSubmatch(body)
		if kids == nil {
			t.Fatalf("PDF page tree node %s has no kids", num)
		}
		for _, k := range regexp.MustCompile(`(\d+) 0 R`).FindAllSubmatch(kids[1], -1) {
			walk(string(k[1]))
		}
	}
	walk(string(root[1]))
	return pages
}
