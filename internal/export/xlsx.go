package export

import (
	"archive/zip"
	"errors"
	"fmt"
	"foresight/internal/workshop"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// sheetRows is how many rows a sheet holds, its header included: the
// limit of the XLSX format. Tests lower it.
var sheetRows = excelize.TotalRows

// WriteXLSX writes workshop.xlsx: the sheets Summary, Ratings (continued on
// "Ratings 2" and on where a sheet is full), Rationales and Scenarios, each
// with a frozen header row, columns wide enough for their content, numbers
// in numeric cells and times in date cells (UTC).
//
// Every sheet is written with excelize's stream writer, which keeps rows in
// temporary files rather than in memory, and the workbook is zipped
// straight into w.
func WriteXLSX(w io.Writer, src *Source) error {
	if err := check(src); err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	x, err := newXLSX(f)
	if err != nil {
		return err
	}
	if err := x.sheet(summaryTable(src), true); err != nil {
		return err
	}
	if err := x.sheet(ratingsTable(src), false); err != nil {
		return err
	}
	if err := x.sheet(rationalesTable(src), false); err != nil {
		return err
	}
	if err := x.sheet(scenariosTable(src), false); err != nil {
		return err
	}
	if len(src.Ideas) > 0 {
		if err := x.sheet(ideasTable(src), false); err != nil {
			return err
		}
	}
	if len(src.Workshop.CrossImpactRounds()) > 0 {
		if err := x.sheet(crossImpactTable(src), false); err != nil {
			return err
		}
		if err := x.sheet(judgementsTable(src), false); err != nil {
			return err
		}
	}
	if src.Workshop.State == workshop.StateFinished {
		if err := x.sheet(outcomesTable(src), false); err != nil {
			return err
		}
		if err := x.sheet(scoresTable(src), false); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	f.SetDocProps(&excelize.DocProperties{
		Title:   src.Workshop.Title,
		Creator: "Foresight",
		Created: src.ReadAt.UTC().Format(time.RFC3339),
	})
	// excelize builds the zip in memory unless given a zip writer of its
	// own: this one writes straight to w. What excelize then writes to the
	// writer it is handed is nothing; anything would be a bug.
	ew := &errWriter{w: w}
	var zw *zip.Writer
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter {
		zw = zip.NewWriter(ew)
		return zw
	})
	if err := f.Write(strayWriter{}); err != nil {
		return err
	}
	if zw == nil {
		return errors.New("export: excelize did not use the zip writer")
	}
	return ew.err
}

// strayWriter refuses the bytes excelize would write outside its zip writer.
type strayWriter struct{}

func (strayWriter) Write(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	return 0, errors.New("export: excelize wrote outside the zip writer")
}

type xlsxWriter struct {
	f                *excelize.File
	head, date, wrap int
	sheets           int
}

func newXLSX(f *excelize.File) (*xlsxWriter, error) {
	x := &xlsxWriter{f: f}
	var err error
	styles := []struct {
		id *int
		s  *excelize.Style
	}{
		{&x.head, &excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E3EEFA"}},
			Border: []excelize.Border{{Type: "bottom", Color: "1F5FA8", Style: 1}}}},
		{&x.date, &excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd hh:mm:ss")}},
		{&x.wrap, &excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
	}
	for _, s := range styles {
		if *s.id, err = f.NewStyle(s.s); err != nil {
			return nil, err
		}
	}
	return x, nil
}

func ptr[T any](v T) *T { return &v }

// sheet writes a table on a sheet of its name, continuing on "Name 2",
// "Name 3" ... when it passes the row limit. The first sheet of the
// workbook takes the place of excelize's default "Sheet1". A table with
// fractional numbers is written cell by cell (excelize's stream writer
// cuts floats to 15 significant digits; the cell API takes a precision),
// which is fine for the summary: its size is rounds x items, not ratings.
func (x *xlsxWriter) sheet(t table, first bool) error {
	part := 1
	s, err := x.newSheet(t, t.sheet, first)
	if err != nil {
		return err
	}
	row := 2
	for values, err := range t.rows {
		if err != nil {
			return err
		}
		if row > sheetRows {
			if err := s.flush(); err != nil {
				return err
			}
			part++
			if s, err = x.newSheet(t, fmt.Sprintf("%s %d", t.sheet, part), false); err != nil {
				return err
			}
			row = 2
		}
		if err := s.setRow(row, values); err != nil {
			return err
		}
		row++
	}
	return s.flush()
}

// sheetWriter writes the rows of one sheet, streamed or cell by cell.
type sheetWriter interface {
	setRow(row int, values []any) error
	flush() error
}

func (x *xlsxWriter) newSheet(t table, name string, first bool) (sheetWriter, error) {
	if first {
		if err := x.f.SetSheetName("Sheet1", name); err != nil {
			return nil, err
		}
	} else if _, err := x.f.NewSheet(name); err != nil {
		return nil, err
	}
	panes := &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}
	head := make([]any, len(t.header))
	for i, h := range t.header {
		head[i] = excelize.Cell{StyleID: x.head, Value: h}
	}
	if t.fractions {
		for i, w := range t.widths {
			col, _ := excelize.ColumnNumberToName(i + 1)
			if err := x.f.SetColWidth(name, col, col, w); err != nil {
				return nil, err
			}
			if style := x.colStyle(t, i); style != 0 {
				if err := x.f.SetColStyle(name, col, style); err != nil {
					return nil, err
				}
			}
		}
		if err := x.f.SetPanes(name, panes); err != nil {
			return nil, err
		}
		s := &cellSheet{f: x.f, name: name}
		return s, s.setRow(1, head)
	}
	sw, err := x.f.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	for i, w := range t.widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return nil, err
		}
		if style := x.colStyle(t, i); style != 0 {
			if err := sw.SetColStyle(i+1, i+1, style); err != nil {
				return nil, err
			}
		}
	}
	if err := sw.SetPanes(panes); err != nil {
		return nil, err
	}
	s := &streamSheet{sw: sw, cells: make([]any, len(t.header))}
	return s, s.setRow(1, head)
}

// streamSheet writes rows through excelize's stream writer, which keeps
// them in a temporary file rather than in memory.
type streamSheet struct {
	sw    *excelize.StreamWriter
	cells []any
}

func (s *streamSheet) setRow(row int, values []any) error {
	cells := s.cells[:len(values)]
	for i, v := range values {
		cells[i] = cell(v)
	}
	return s.sw.SetRow("A"+strconv.Itoa(row), cells)
}

func (s *streamSheet) flush() error { return s.sw.Flush() }

// cellSheet writes rows cell by cell, floats with every digit.
type cellSheet struct {
	f    *excelize.File
	name string
}

func (s *cellSheet) setRow(row int, values []any) error {
	for i, v := range values {
		ref, err := excelize.CoordinatesToCellName(i+1, row)
		if err != nil {
			return err
		}
		switch c := cell(v).(type) {
		case nil:
		case float64:
			err = s.f.SetCellFloat(s.name, ref, c, decimals(c), 64)
		case excelize.Cell: // the header
			if err = s.f.SetCellValue(s.name, ref, c.Value); err == nil {
				err = s.f.SetCellStyle(s.name, ref, ref, c.StyleID)
			}
		default:
			err = s.f.SetCellValue(s.name, ref, c)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (s *cellSheet) flush() error { return nil }

// decimals is how many decimals the shortest exact form of f has: written
// with that many, it reads back as the same float64.
func decimals(f float64) int {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return len(s) - i - 1
	}
	return 0
}

// excelEpoch is day 0 of spreadsheet dates (the 1900 date system, as
// spreadsheets count it since they copied Lotus 1-2-3's leap-year bug).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// colStyle is the style of column i of a table: dates, wrapped text, or
// none (0).
func (x *xlsxWriter) colStyle(t table, i int) int {
	switch {
	case i < len(t.dates) && t.dates[i]:
		return x.date
	case i < len(t.wrap) && t.wrap[i]:
		return x.wrap
	}
	return 0
}

// cell turns a typed cell into what excelize stores: text neutralised,
// numbers and booleans typed, times as date serials (UTC; their column has
// a date format), kept to the microsecond rather than excelize's whole
// seconds.
func cell(v any) any {
	switch v := v.(type) {
	case nil:
		return nil
	case string:
		if v == "" {
			return nil
		}
		return Text(v)
	case time.Time:
		return float64(v.Sub(excelEpoch)) / float64(24*time.Hour)
	case int64, float64, bool, excelize.Cell:
		return v
	}
	panic(fmt.Sprintf("export: a cell of type %T", v))
}
