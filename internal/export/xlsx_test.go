package export

import (
	"bytes"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func openXLSX(t *testing.T, b []byte) *excelize.File {
	t.Helper()
	x, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("open the workbook with excelize: %v", err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

// cellOf reads one cell's type and raw value.
func cellOf(t *testing.T, x *excelize.File, sheet string, col, row int) (excelize.CellType, string) {
	t.Helper()
	name, _ := excelize.CoordinatesToCellName(col, row)
	typ, err := x.GetCellType(sheet, name)
	if err != nil {
		t.Fatalf("%s!%s: %v", sheet, name, err)
	}
	v, err := x.GetCellValue(sheet, name, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("%s!%s: %v", sheet, name, err)
	}
	return typ, v
}

// wantCell compares one cell with the value a table row holds: text
// neutralised in a string cell, numbers in number cells with every digit,
// booleans as booleans, times as dates, nil as an empty cell.
func wantCell(t *testing.T, x *excelize.File, sheet string, col, row int, want any) {
	t.Helper()
	typ, got := cellOf(t, x, sheet, col, row)
	where := fmt.Sprintf("%s!%d:%d", sheet, col, row)
	switch w := want.(type) {
	case nil:
		if got != "" {
			t.Fatalf("%s = %q, want empty", where, got)
		}
	case string:
		if w == "" {
			if got != "" {
				t.Fatalf("%s = %q, want empty", where, got)
			}
			return
		}
		if typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString || got != Text(w) {
			t.Fatalf("%s = %q (type %v), want the text %q", where, got, typ, Text(w))
		}
	case int64:
		if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber || got != strconv.FormatInt(w, 10) {
			t.Fatalf("%s = %q (type %v), want the number %d", where, got, typ, w)
		}
	case float64:
		f, err := strconv.ParseFloat(got, 64)
		if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber || err != nil || f != w {
			t.Fatalf("%s = %q (type %v), want exactly %v", where, got, typ, w)
		}
	case bool:
		if typ != excelize.CellTypeBool || got != map[bool]string{true: "1", false: "0"}[w] {
			t.Fatalf("%s = %q (type %v), want the boolean %v", where, got, typ, w)
		}
	case time.Time:
		f, err := strconv.ParseFloat(got, 64)
		if err != nil {
			t.Fatalf("%s = %q, want a date serial", where, got)
		}
		tm := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).Add(time.Duration(f * float64(24*time.Hour)))
		if tm.Sub(w).Abs() > 20*time.Microsecond {
			t.Fatalf("%s = %v, want %v", where, tm, w)
		}
		style, _ := x.GetCellStyle(sheet, mustName(col, row))
		st, _ := x.GetStyle(style)
		if st == nil || st.CustomNumFmt == nil || *st.CustomNumFmt != "yyyy-mm-dd hh:mm:ss" {
			t.Fatalf("%s has no date format", where)
		}
	default:
		t.Fatalf("unexpected %T", want)
	}
}

func mustName(col, row int) string {
	n, _ := excelize.CoordinatesToCellName(col, row)
	return n
}

// wantSheet compares a whole sheet with its table, cell by cell, and
// checks the frozen header and the column widths.
func wantSheet(t *testing.T, x *excelize.File, sheet string, tb table, rows [][]any) {
	t.Helper()
	for i, h := range tb.header {
		wantCell(t, x, sheet, i+1, 1, h)
	}
	for r, row := range rows {
		for c, v := range row {
			wantCell(t, x, sheet, c+1, r+2, v)
		}
	}
	all, err := x.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(rows)+1 {
		t.Fatalf("%s has %d rows, want a header and %d", sheet, len(all), len(rows))
	}
	panes, err := x.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Fatalf("%s panes %+v, %v; want the header row frozen", sheet, panes, err)
	}
	for i, w := range tb.widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		got, err := x.GetColWidth(sheet, col)
		if err != nil || got != w || got < float64(len(tb.header[i]))-1 && got < maxWidth {
			t.Fatalf("%s column %s width %v, want %v (fits %q)", sheet, col, got, w, tb.header[i])
		}
	}
}

// tableRows collects a table's rows, copying the reused slice.
func tableRows(t *testing.T, tb table) [][]any {
	t.Helper()
	var out [][]any
	for row, err := range tb.rows {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, append([]any(nil), row...))
	}
	return out
}

func TestXLSXRoundTrip(t *testing.T) {
	f := newFixture(t)
	x := openXLSX(t, write(t, XLSX, f.src))
	if got, want := x.GetSheetList(), []string{"Summary", "Ratings", "Rationales", "Scenarios"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	for _, tb := range []table{summaryTable(f.src), ratingsTable(f.src), rationalesTable(f.src), scenariosTable(f.src)} {
		wantSheet(t, x, tb.sheet, tb, tableRows(t, tb))
	}
	// Spot checks against hand-computed values and the neutraliser.
	if _, v := cellOf(t, x, "Ratings", 5, 4); v != "Refugee crisis" {
		t.Fatalf("Ratings!E4 = %q", v)
	}
	if _, v := cellOf(t, x, "Ratings", 5, 5); v != `'=HYPERLINK("http://evil.example","click")` {
		t.Fatalf("Ratings!E5 = %q, want the formula neutralised", v)
	}
	if typ, v := cellOf(t, x, "Ratings", 8, 5); v != "" || typ != excelize.CellTypeUnset {
		t.Fatalf("a don't-know value is %q (type %v), want an empty cell", v, typ)
	}
	if _, v := cellOf(t, x, "Summary", 9, 2); v != strconv.FormatFloat(11.0/3, 'f', -1, 64) {
		t.Fatalf("Summary!I2 (mean) = %q, want 11/3 with every digit", v)
	}
	props, err := x.GetDocProps()
	if err != nil || props.Title != f.src.Workshop.Title {
		t.Fatalf("document title %q, %v", props.Title, err)
	}
}

// TestXLSXContinuesSheets: a Ratings sheet that would pass the row limit
// goes on on "Ratings 2" and so on, each with its header.
func TestXLSXContinuesSheets(t *testing.T) {
	defer func(n int) { sheetRows = n }(sheetRows)
	sheetRows = 4      // a header and three ratings
	f := newFixture(t) // ten ratings: 3 + 3 + 3 + 1
	x := openXLSX(t, write(t, XLSX, f.src))
	want := []string{"Summary", "Summary 2", "Summary 3", "Summary 4", "Ratings", "Ratings 2", "Ratings 3", "Ratings 4", "Rationales", "Rationales 2", "Scenarios"}
	if got := x.GetSheetList(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	tb := ratingsTable(f.src)
	rows := tableRows(t, tb)
	for i, sheet := range []string{"Ratings", "Ratings 2", "Ratings 3", "Ratings 4"} {
		wantSheet(t, x, sheet, tb, rows[i*3:min(len(rows), i*3+3)])
	}
}

func TestXLSXEmptyWorkshop(t *testing.T) {
	f := newFixture(t)
	f.src.Ratings, f.src.Rationales, f.src.Tally = nil, nil, nil
	x := openXLSX(t, write(t, XLSX, f.src))
	rows, err := x.GetRows("Ratings")
	if err != nil || len(rows) != 1 {
		t.Fatalf("Ratings of a workshop without ratings: %d rows, %v; want the header alone", len(rows), err)
	}
}

var excelizeRaw = excelize.Options{RawCellValue: true}
