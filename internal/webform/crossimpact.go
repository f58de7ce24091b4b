package webform

import (
	"errors"
	"io"
	"net/http"
	"strconv"
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

// Judgements is the phone's cross-impact form: the judgements of one
// source variant (from) on its targets, fields "j-TO" = -3…3 or "dk";
// source is the source's place (from 0) and next the button pressed
// ("next", "prev" or "" to stay).
type Judgements struct {
	From    string
	Source  int
	Next    string
	Scores  map[string]string // by target variant id, as posted
	Reasons map[string]string // "reason-TO": why, by target variant id, as typed
}

// ReasonField is the form field of the reason for the judgement of a target.
func ReasonField(to string) string { return "reason-" + to }

// JudgementField is the form field of the judgement of a target.
func JudgementField(to string) string { return "j-" + to }

// DontKnowValue is the value of the "don't know" choice.
const DontKnowValue = "dk"

// ParseJudgements reads the form.
func ParseJudgements(r *http.Request) (Judgements, error) {
	get, err := parsed(r)
	if err != nil {
		return Judgements{}, err
	}
	f := Judgements{From: get("from"), Next: get("go"), Scores: map[string]string{}, Reasons: map[string]string{}}
	f.Source, _ = strconv.Atoi(get("source"))
	for name, vs := range r.PostForm {
		if to, ok := strings.CutPrefix(name, "j-"); ok && len(vs) > 0 && vs[0] != "" {
			f.Scores[to] = vs[0]
		}
		if to, ok := strings.CutPrefix(name, "reason-"); ok && len(vs) > 0 {
			f.Reasons[to] = vs[0]
		}
	}
	return f, nil
}

// Judgements returns the judgements given, in the order of targets; a
// value that is neither a score from −3 to 3 nor "dk" is a problem named
// by its field.
func (f Judgements) Judgements(targets []string) ([]workshop.Judgement, error) {
	var out []workshop.Judgement
	for _, to := range targets {
		v, ok := f.Scores[to]
		if !ok {
			if strings.TrimSpace(f.Reasons[to]) != "" {
				return nil, workshop.FieldError(JudgementField(to), "error.choose_one_points_scale")
			}
			continue
		}
		j := workshop.Judgement{From: f.From, To: to, Reason: f.Reasons[to]}
		if v != DontKnowValue {
			n, err := strconv.Atoi(v)
			if err != nil || n < -workshop.CIBMaxScore || n > workshop.CIBMaxScore {
				return nil, workshop.FieldError(JudgementField(to), "error.choose_one_points_scale")
			}
			j.Score = &n
		}
		out = append(out, j)
	}
	return out, nil
}

// SourceGroups is the facilitator's split of the cross-impact sources among
// expert groups: field src-DESCRIPTOR = a group's ID, or "" for everyone.
type SourceGroups struct {
	ByDescriptor map[string]string // as posted
}

// SourceField is the form field of a descriptor's group.
func SourceField(descriptor string) string { return "src-" + descriptor }

// ParseSourceGroups reads the form for the descriptors given.
func ParseSourceGroups(r *http.Request, descriptors []workshop.CIBDescriptor) (SourceGroups, error) {
	get, err := parsed(r)
	if err != nil {
		return SourceGroups{}, err
	}
	f := SourceGroups{ByDescriptor: map[string]string{}}
	for _, d := range descriptors {
		f.ByDescriptor[d.ID] = get(SourceField(d.ID))
	}
	return f, nil
}

// Groups returns the split: descriptor id to group ID, 0 (everyone) for
// "" or anything that is not a number; the store refuses a group the
// workshop does not have.
func (f SourceGroups) Groups() map[string]int64 {
	out := map[string]int64{}
	for id, v := range f.ByDescriptor {
		g, _ := strconv.ParseInt(v, 10, 64)
		out[id] = g
	}
	return out
}
