package workshop

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// CIBInput is a matrix as an analyst gives it: the body of
// POST /api/v1/crossimpact/evaluate, or a file pasted or uploaded on the
// cross-impact page (JSON of the same shape, or ScenarioWizard's CSV).
type CIBInput struct {
	Descriptors []CIBDescriptor `json:"descriptors"`
	Impacts     []CIBImpact     `json:"impacts"`
	// Scenario, optional, names one variant per descriptor, in order: its
	// balances are computed too.
	Scenario []string `json:"scenario,omitempty"`
	// Titles are the long names of descriptors and variants by id, when
	// the input has them (a ScenarioWizard CSV file); never in JSON.
	Titles map[string]string `json:"-"`
}

// CIBEvaluation is what an evaluation finds: the matrix, its consistent and
// near scenarios, and the assessment of the scenario asked about (nil when
// none was).
type CIBEvaluation struct {
	Matrix   *CIBMatrix
	Solution CIBSolution
	Scenario *CIBAssessment
}

// EvaluateCIB checks the input and finds its consistent scenarios.
func EvaluateCIB(in CIBInput) (CIBEvaluation, error) {
	cm, err := NewCIBMatrix(in.Descriptors, in.Impacts)
	if err != nil {
		return CIBEvaluation{}, err
	}
	ev := CIBEvaluation{Matrix: cm}
	if in.Scenario != nil {
		a, err := cm.Assess(in.Scenario)
		if err != nil {
			return CIBEvaluation{}, err
		}
		ev.Scenario = &a
	}
	ev.Solution = cm.Solve()
	return ev, nil
}

// MaxCIBInputBytes is the largest matrix file read (JSON or CSV).
const MaxCIBInputBytes = 1 << 20

// ParseCIBInput reads a matrix pasted or uploaded: JSON when it begins with
// "{", ScenarioWizard's CSV otherwise. The scenario is not read from it.
func ParseCIBInput(data []byte) (CIBInput, error) {
	if len(data) > MaxCIBInputBytes {
		return CIBInput{}, Errorf(ETooLarge, "error.cib_matrix_too_large", MaxCIBInputBytes)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return CIBInput{}, Errorf(EInvalid, "error.cib_matrix_not_utf8")
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return CIBInput{}, FieldError("matrix", "error.cib_paste_matrix")
	}
	if trimmed[0] == '{' {
		return parseCIBJSON(trimmed)
	}
	return ParseScenarioWizardCSV(trimmed)
}

// parseCIBJSON reads the evaluate API's body shape strictly.
func parseCIBJSON(data []byte) (CIBInput, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var in CIBInput
	if err := dec.Decode(&in); err != nil {
		return CIBInput{}, describeJSONError(data, err)
	}
	if dec.More() {
		return CIBInput{}, Errorf(EInvalid, "error.cib_json_trailing")
	}
	in.Scenario = nil
	return in, nil
}

// ParseScenarioWizardCSV reads a cross-impact matrix in the CSV import
// format of the ScenarioWizard manual (appendix 2), which is also what
// WriteScenarioWizardCSV writes (docs/export-format.md):
//
//	line 1: the descriptors' short names, each above its first column
//	line 2: the variants' short names; an empty column between descriptors
//	then, per descriptor, a line with its long name, and one line per
//	variant: its long name, then its impacts on every column of line 2
//
// Cells are separated by semicolons (commas when line 1 has none); an
// empty cell is 0, and a descriptor's own block must be empty or 0. The
// short names become the ids, the long names the titles.
func ParseScenarioWizardCSV(data []byte) (CIBInput, error) {
	comma := ';'
	first, _, _ := bytes.Cut(data, []byte("\n"))
	if !bytes.ContainsRune(first, ';') {
		comma = ','
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	type row struct {
		line  int
		cells []string
	}
	var rows []row
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return CIBInput{}, FieldError("matrix", "error.line_n", pe.Line, pe.Err)
			}
			return CIBInput{}, FieldError("matrix", "error.csv_file_cannot_read", err)
		}
		line, _ := cr.FieldPos(0)
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		if strings.Join(rec, "") == "" {
			continue // a blank line
		}
		rows = append(rows, row{line, rec})
	}
	if len(rows) < 2 {
		return CIBInput{}, FieldError("matrix", "error.cib_csv_headings")
	}
	// The columns: line 2's non-empty cells, in blocks separated by empty ones.
	heads, names := rows[1].cells, rows[0].cells
	type column struct {
		desc    int
		variant string
	}
	columns := map[int]column{}
	var in CIBInput
	in.Titles = map[string]string{}
	for c := 1; c < len(heads); c++ {
		if heads[c] == "" {
			continue
		}
		if c == 1 || heads[c-1] == "" {
			id := ""
			if c < len(names) {
				id = names[c]
			}
			if id == "" {
				id = fmt.Sprintf("D%d", len(in.Descriptors)+1)
			}
			in.Descriptors = append(in.Descriptors, CIBDescriptor{ID: id})
		}
		d := len(in.Descriptors) - 1
		in.Descriptors[d].Variants = append(in.Descriptors[d].Variants, heads[c])
		columns[c] = column{d, heads[c]}
	}
	if len(in.Descriptors) == 0 {
		return CIBInput{}, FieldError("matrix", "error.cib_csv_no_variants", rows[1].line)
	}
	next := 2
	for d, desc := range in.Descriptors {
		if next >= len(rows) {
			return CIBInput{}, FieldError("matrix", "error.cib_csv_ends_before_descriptor", desc.ID)
		}
		head := rows[next]
		if strings.Join(head.cells[1:], "") != "" {
			return CIBInput{}, FieldError("matrix", "error.cib_csv_descriptor_alone", head.line, desc.ID)
		}
		in.Titles[desc.ID] = head.cells[0]
		next++
		for _, v := range desc.Variants {
			if next >= len(rows) {
				return CIBInput{}, FieldError("matrix", "error.cib_csv_ends_before_variant", v)
			}
			r := rows[next]
			next++
			in.Titles[v] = r.cells[0]
			for c := 1; c < len(r.cells); c++ {
				cell := r.cells[c]
				if cell == "" {
					continue
				}
				col, ok := columns[c]
				if !ok {
					return CIBInput{}, FieldError("matrix", "error.cib_csv_no_column", r.line, c+1)
				}
				score, err := strconv.ParseFloat(strings.Replace(cell, ",", ".", 1), 64)
				if err != nil || math.IsNaN(score) || score < -CIBMaxScore || score > CIBMaxScore {
					return CIBInput{}, FieldError("matrix", "error.cib_csv_not_number", r.line, c+1, cell)
				}
				if col.desc == d {
					if score != 0 {
						return CIBInput{}, FieldError("matrix", "error.cib_csv_own_block", r.line, c+1)
					}
					continue
				}
				if score != 0 {
					in.Impacts = append(in.Impacts, CIBImpact{From: v, To: col.variant, Score: score})
				}
			}
		}
	}
	if next < len(rows) {
		return CIBInput{}, FieldError("matrix", "error.cib_csv_extra_lines", rows[next].line)
	}
	return in, nil
}

// WriteScenarioWizardCSV writes a matrix in the format ParseScenarioWizardCSV
// reads (ScenarioWizard's CSV import): ids as short names, titles (by id;
// the id where there is none) as long names, a descriptor's own block 0.
// Lines end in CRLF, for the Windows program. Titles are text a person
// wrote: text cells that a spreadsheet could read as a formula are made
// safe by safe.
func WriteScenarioWizardCSV(w io.Writer, cm *CIBMatrix, titles map[string]string, safe func(string) string) error {
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	descs := cm.Descriptors()
	title := func(id string) string {
		if t := titles[id]; t != "" {
			return safe(t)
		}
		return safe(id)
	}
	line1, line2 := []string{""}, []string{""}
	for d, desc := range descs {
		if d > 0 {
			line1, line2 = append(line1, ""), append(line2, "")
		}
		for j, v := range desc.Variants {
			if j == 0 {
				line1 = append(line1, safe(desc.ID))
			} else {
				line1 = append(line1, "")
			}
			line2 = append(line2, safe(v))
		}
	}
	if err := cw.Write(line1); err != nil {
		return err
	}
	if err := cw.Write(line2); err != nil {
		return err
	}
	for _, desc := range descs {
		if err := cw.Write([]string{title(desc.ID)}); err != nil {
			return err
		}
		for _, from := range desc.Variants {
			rec := []string{title(from)}
			for d2, other := range descs {
				if d2 > 0 {
					rec = append(rec, "")
				}
				for _, to := range other.Variants {
					rec = append(rec, strconv.FormatFloat(cm.Score(from, to), 'f', -1, 64))
				}
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
