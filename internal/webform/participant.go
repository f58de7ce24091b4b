package webform

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	"foresight/internal/workshop"
)

// Join is the join page's form: display_name in a pseudonymous workshop,
// group (the ID of the participant's expert group) in a workshop with
// groups.
type Join struct {
	DisplayName string // as typed
	Group       int64  // 0 when none or not a number: the store then asks for one
}

func ParseJoin(r *http.Request) (Join, error) {
	get, err := parsed(r)
	if err != nil {
		return Join{}, err
	}
	group, _ := strconv.ParseInt(get("group"), 10, 64)
	return Join{DisplayName: get("display_name"), Group: group}, nil
}

// Name is the participant's display name in a workshop of anonymity a:
// the one typed, cleaned, in a pseudonymous workshop, none in another.
func (f Join) Name(a workshop.Anonymity) (string, error) {
	if a != workshop.Pseudonymous {
		return "", nil
	}
	return workshop.CleanDisplayName(f.DisplayName)
}

// Rating is one rating field of the participant's form: "r-S-C" = value.
type Rating struct {
	Item  workshop.ItemKey
	Value *int // nil: don't know
}

// Reason is one reason field of the participant's form: "reason-S" = text.
type Reason struct {
	ScenarioID int64
	Text       string
}

// Ratings is the participant's form: ratings, reasons, and at most one
// item to clear (the button "clear" = "S-C"). With htmx it carries one
// change, without JavaScript the whole page.
type Ratings struct {
	Ratings []Rating
	Reasons []Reason
	Clear   *workshop.ItemKey
	problem error // the first field that did not read
}

// ParseRatings reads the participant's form in a stable order. Unknown
// fields are ignored; reading stops at a malformed field, which Check
// reports.
func ParseRatings(r *http.Request) (Ratings, error) {
	if err := r.ParseForm(); err != nil {
		return Ratings{}, err
	}
	return readRatings(r.PostForm), nil
}

// Check reports the field that did not read, if one did not.
func (f Ratings) Check() error { return f.problem }

func readRatings(form map[string][]string) Ratings {
	var f Ratings
	f.problem = f.read(form)
	sort.Slice(f.Ratings, func(i, j int) bool {
		a, b := f.Ratings[i].Item, f.Ratings[j].Item
		return a.ScenarioID < b.ScenarioID || a.ScenarioID == b.ScenarioID && a.CriterionID < b.CriterionID
	})
	sort.Slice(f.Reasons, func(i, j int) bool { return f.Reasons[i].ScenarioID < f.Reasons[j].ScenarioID })
	return f
}

func (f *Ratings) read(form map[string][]string) error {
	for name, vals := range form {
		switch {
		case strings.HasPrefix(name, "r-"):
			item, ok := parseItem(name[2:])
			if !ok || len(vals) != 1 {
				return workshop.FieldError(name, "error.rating_could_not_read")
			}
			fr := Rating{Item: item}
			if vals[0] != "dk" {
				v, err := strconv.Atoi(vals[0])
				if err != nil {
					return workshop.FieldError(name, "error.choose_one_points_scale")
				}
				fr.Value = &v
			}
			f.Ratings = append(f.Ratings, fr)
		case strings.HasPrefix(name, "reason-"):
			id, err := strconv.ParseInt(name[len("reason-"):], 10, 64)
			if err != nil || id <= 0 || len(vals) != 1 {
				return workshop.FieldError(name, "error.reason_could_not_read")
			}
			f.Reasons = append(f.Reasons, Reason{ScenarioID: id, Text: vals[0]})
		case name == "clear":
			item, ok := parseItem(vals[0])
			if !ok || len(vals) != 1 {
				return workshop.FieldError("clear", "error.rating_could_not_read")
			}
			f.Clear = &item
		}
	}
	return nil
}

// parseItem reads "S-C" into an item key.
func parseItem(s string) (workshop.ItemKey, bool) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return workshop.ItemKey{}, false
	}
	sid, err1 := strconv.ParseInt(a, 10, 64)
	cid, err2 := strconv.ParseInt(b, 10, 64)
	if err1 != nil || err2 != nil || sid <= 0 || cid <= 0 {
		return workshop.ItemKey{}, false
	}
	return workshop.ItemKey{ScenarioID: sid, CriterionID: cid}, true
}
