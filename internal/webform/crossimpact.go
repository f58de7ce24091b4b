package webform

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"foresight/internal/workshop"
)

// CrossImpact is the cross-impact page's form: a matrix pasted (matrix) or
// uploaded (file), JSON or ScenarioWizard CSV, and optionally a scenario to
// assess (scenario: variant ids separated by spaces or commas).
type CrossImpact struct {
	Matrix   string // as pasted
	Scenario string // as typed
	Filename string // the uploaded file's name, "" for none
	file     []byte
}

// ParseCrossImpact reads the form, multipart (with a file) or not. An
// error is the client's: a body that does not parse or is too large.
func ParseCrossImpact(r *http.Request) (CrossImpact, error) {
	var f CrossImpact
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		if err := r.ParseMultipartForm(workshop.MaxCIBInputBytes); err != nil {
			return f, err
		}
		file, hdr, err := r.FormFile("file")
		switch {
		case err == nil:
			defer file.Close()
			data, err := io.ReadAll(io.LimitReader(file, workshop.MaxCIBInputBytes+1))
			if err != nil {
				return f, err
			}
			if len(data) > 0 {
				f.file, f.Filename = data, hdr.Filename
			}
		case !errors.Is(err, http.ErrMissingFile):
			return f, err
		}
	} else if err := r.ParseForm(); err != nil {
		return f, err
	}
	f.Matrix, f.Scenario = r.PostFormValue("matrix"), r.PostFormValue("scenario")
	return f, nil
}

// Input reads the matrix, from the file when one was chosen, and the
// scenario. Problems name the form's fields: "matrix" (or "file"),
// "scenario".
func (f CrossImpact) Input() (workshop.CIBInput, error) {
	data, field := []byte(f.Matrix), "matrix"
	if f.file != nil {
		data, field = f.file, "file"
	}
	in, err := workshop.ParseCIBInput(data)
	if err != nil {
		return in, renameField(err, field)
	}
	if s := strings.Fields(strings.ReplaceAll(f.Scenario, ",", " ")); len(s) > 0 {
		in.Scenario = s
	}
	return in, nil
}

// renameField names field as the one at fault of a domain error, keeping a
// more precise path ("descriptors[1].id") in its message.
func renameField(err error, field string) error {
	var de *workshop.Error
	if !errors.As(err, &de) {
		return err
	}
	cp := *de
	cp.Field = field
	return &cp
}
