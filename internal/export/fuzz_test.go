package export

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"foresight/internal/workshop"
)

// FuzzTextCells puts arbitrary text everywhere a person can write it (a
// scenario title, a criterion name, a reason, a pseudonym) and checks that
// no text cell of any export can start a formula, that CSV stays readable,
// and that text otherwise comes back as written.
func FuzzTextCells(f *testing.F) {
	for _, s := range []string{"", "plain", "=1+2", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", " =1", "＝1", "'=1",
		"=HYPERLINK(\"http://evil.example\")", "a,b\"c\nd", "-", "żółć"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fx := newFixture(t)
		w := fx.src.Workshop
		w.Scenarios[0].Title = workshop.Text{"en": s}
		w.Criteria[0].Name = workshop.Text{"en": s}
		for i := range fx.ratings {
			fx.ratings[i].Pseudonym = s
		}
		for i := range fx.rationales {
			fx.rationales[i].Text = s
			fx.rationales[i].Pseudonym = s
		}
		textColumns := map[string]bool{"workshop_code": true, "participant": true, "scenario_title": true, "criterion_name": true, "text": true}
		for _, format := range []Format{RatingsCSV, SummaryCSV, RationalesCSV} {
			rows := readCSV(t, write(t, format, fx.src))
			for _, row := range rows[1:] {
				for i, cell := range row {
					if !textColumns[rows[0][i]] {
						continue
					}
					if formulaLike(cell) {
						t.Fatalf("%s, column %s: cell %q can start a formula", format.File, rows[0][i], cell)
					}
					if cell != "K7QFM2XD" && utf8.ValidString(s) && !strings.ContainsRune(s, '\r') && cell != Text(s) && cell != "Refugee crisis" &&
						cell != "Likelihood" && cell != "Share, in %" && !strings.HasPrefix(rows[0][i], "scenario") {
						t.Fatalf("%s, column %s: %q came back as %q, want %q", format.File, rows[0][i], s, cell, Text(s))
					}
				}
			}
		}
		// The workbook: only text the store accepts (no control characters
		// but tab and newlines) can reach it.
		if workshop.CheckText(s, 10000) != nil {
			return
		}
		var buf bytes.Buffer
		if err := WriteXLSX(&buf, fx.src); err != nil {
			t.Fatalf("write xlsx: %v", err)
		}
		x := openXLSX(t, buf.Bytes())
		for _, sheet := range []string{"Ratings", "Rationales", "Summary", "Scenarios"} {
			rows, err := x.GetRows(sheet, excelizeRaw)
			if err != nil {
				t.Fatal(err)
			}
			for r, row := range rows {
				for c, cell := range row {
					if r == 0 || !textColumns[rows[0][c]] && rows[0][c] != "title" {
						continue
					}
					if formulaLike(cell) {
						t.Fatalf("%s row %d column %s: cell %q can start a formula", sheet, r+1, rows[0][c], cell)
					}
				}
			}
		}
	})
}
