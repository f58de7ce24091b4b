package export

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"
)

// bom starts every CSV file: without it, spreadsheet programs guess a
// legacy encoding and garble every letter outside ASCII.
const bom = "\uFEFF"

// WriteRatingsCSV writes ratings.csv: one row per rating (long format).
func WriteRatingsCSV(w io.Writer, src *Source) error {
	if err := check(src); err != nil {
		return err
	}
	return writeCSV(w, ratingsTable(src))
}

// WriteSummaryCSV writes summary.csv: one row per round x scenario x
// criterion with every statistic of the results API.
func WriteSummaryCSV(w io.Writer, src *Source) error {
	if err := check(src); err != nil {
		return err
	}
	return writeCSV(w, summaryTable(src))
}

// WriteRationalesCSV writes rationales.csv: one row per rationale.
func WriteRationalesCSV(w io.Writer, src *Source) error {
	if err := check(src); err != nil {
		return err
	}
	return writeCSV(w, rationalesTable(src))
}

// WriteIdeasCSV writes ideas.csv: one row per idea of the room.
func WriteIdeasCSV(w io.Writer, src *Source) error {
	if err := check(src); err != nil {
		return err
	}
	return writeCSV(w, ideasTable(src))
}

// WriteScoresCSV writes scores.csv: the scores of every percent criterion
// against the outcomes, one row per criterion × scenario × round; only a
// header before the workshop has finished.
func WriteScoresCSV(w io.Writer, src *Source) error {
	if err := check(src); err != nil {
		return err
	}
	return writeCSV(w, scoresTable(src))
}

// writeCSV writes a table as RFC 4180 CSV in UTF-8 with a byte order mark:
// text neutralised against formulas, numbers as numbers, empty cells for
// undefined values.
func writeCSV(w io.Writer, t table) error {
	ew := &errWriter{w: w}
	bw := bufio.NewWriterSize(ew, 64<<10)
	bw.WriteString(bom)
	cw := csv.NewWriter(bw) // uses bw as it is: no second buffer
	cw.UseCRLF = true       // RFC 4180
	if err := cw.Write(t.header); err != nil {
		return err
	}
	record := make([]string, len(t.header))
	for row, err := range t.rows {
		if err != nil {
			return err
		}
		for i, v := range row {
			record[i] = csvCell(v)
		}
		if err := cw.Write(record[:len(row)]); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return ew.err
}

// csvCell formats one typed cell.
func csvCell(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return Text(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return number(&v)
	case bool:
		return boolText(v)
	case time.Time:
		return timeText(v)
	}
	panic(fmt.Sprintf("export: a cell of type %T", v))
}
