package webform

import (
	"bytes"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"foresight/internal/workshop"
)

// post is a request posting fields as a browser does.
func post(fields url.Values) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(fields.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

// malformed is a request whose body does not parse.
func malformed() *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("a=%zz"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

// wantField checks that err is an invalid-input error naming field.
func wantField(t *testing.T, err error, field string) {
	t.Helper()
	var de *workshop.Error
	if !errors.As(err, &de) || de.Code != workshop.EInvalid || de.Field != field {
		t.Fatalf("error %#v, want one naming %q", err, field)
	}
}

func TestParseRefusesMalformedBodies(t *testing.T) {
	parsers := map[string]func(*http.Request) error{
		"Credentials":    func(r *http.Request) error { _, err := ParseCredentials(r); return err },
		"SetPassword":    func(r *http.Request) error { _, err := ParseSetPassword(r); return err },
		"ChangePassword": func(r *http.Request) error { _, err := ParseChangePassword(r); return err },
		"Invite":         func(r *http.Request) error { _, err := ParseInvite(r); return err },
		"NewWorkshop":    func(r *http.Request) error { _, err := ParseNewWorkshop(r); return err },
		"Step":           func(r *http.Request) error { _, err := ParseStep(r); return err },
		"Settings":       func(r *http.Request) error { _, err := ParseSettings(r); return err },
		"Focus":          func(r *http.Request) error { _, err := ParseFocus(r); return err },
		"Delete":         func(r *http.Request) error { _, err := ParseDelete(r); return err },
		"Outcomes":       func(r *http.Request) error { _, err := ParseOutcomes(r, nil); return err },
		"Join":           func(r *http.Request) error { _, err := ParseJoin(r); return err },
		"Ratings":        func(r *http.Request) error { _, err := ParseRatings(r); return err },
	}
	for name, parse := range parsers {
		if err := parse(malformed()); err == nil {
			t.Errorf("%s: a body that does not parse was read", name)
		}
	}
}

func TestCredentials(t *testing.T) {
	f, err := ParseCredentials(post(url.Values{"email": {" ada@example.org "}, "password": {" secret "}}))
	if err != nil || f != (Credentials{Email: " ada@example.org ", Password: " secret "}) {
		t.Fatalf("%+v, %v: want the fields as typed", f, err)
	}
}

func TestSetPassword(t *testing.T) {
	good := "correct horse battery"
	for _, c := range []struct {
		password, confirm, field string
	}{
		{good, good, ""},
		{"short", "short", "password"},
		{good, good + "!", "confirm"},
	} {
		f, err := ParseSetPassword(post(url.Values{"password": {c.password}, "confirm": {c.confirm}}))
		if err != nil || f != (SetPassword{Password: c.password, Confirm: c.confirm}) {
			t.Fatalf("%+v, %v: want the fields as typed", f, err)
		}
		if err := f.Check(); c.field == "" && err != nil {
			t.Errorf("%+v: %v", c, err)
		} else if c.field != "" {
			wantField(t, err, c.field)
		}
	}
}

func TestChangePassword(t *testing.T) {
	f, err := ParseChangePassword(post(url.Values{"current": {"old one"}, "password": {"a new long password"}, "confirm": {"another"}}))
	want := ChangePassword{Current: "old one", SetPassword: SetPassword{Password: "a new long password", Confirm: "another"}}
	if err != nil || f != want {
		t.Fatalf("%+v, %v; want %+v", f, err, want)
	}
	wantField(t, f.Check(), "confirm")
}

func TestInvite(t *testing.T) {
	f, err := ParseInvite(post(url.Values{"email": {"bo@example.org"}, "role": {"organiser"}}))
	if err != nil || f != (Invite{Email: "bo@example.org", Role: workshop.RoleOrganiser}) {
		t.Fatalf("%+v, %v", f, err)
	}
}

func TestNewWorkshop(t *testing.T) {
	f, err := ParseNewWorkshop(post(url.Values{"deck": {"horizon"}, "title": {"  "}, "open": {"1"}}))
	if err != nil || f != (NewWorkshop{Deck: "horizon", Title: "  ", Open: true}) {
		t.Fatalf("%+v, %v", f, err)
	}
	if got := f.TitleOr("The deck"); got != "The deck" {
		t.Errorf("blank title: %q, want the deck's", got)
	}
	f, _ = ParseNewWorkshop(post(url.Values{"deck": {"horizon"}, "title": {"Tuesday"}}))
	if f.Open || f.TitleOr("The deck") != "Tuesday" {
		t.Errorf("%+v: want the title typed, voting not open", f)
	}
}

func TestStep(t *testing.T) {
	for fields, want := range map[string]bool{"prefill=1": true, "": false} {
		q, _ := url.ParseQuery(fields)
		if f, err := ParseStep(post(q)); err != nil || f.Prefill != want {
			t.Errorf("%q: %+v, %v; want prefill %v", fields, f, err, want)
		}
	}
}

func TestSettings(t *testing.T) {
	fields := url.Values{"title": {"Tuesday"}, "description": {"About\nit"}, "anonymity": {"pseudonymous"},
		"visibility": {"live"}, "pacing": {"focus"}, "participant_limit": {" 12 "}, "groups": {"military, diplomatic\nhumanitarian"}}
	f, err := ParseSettings(post(fields))
	if err != nil || f.Check() != nil {
		t.Fatalf("%+v: %v, %v", f, err, f.Check())
	}
	want := workshop.Settings{Title: "Tuesday", Description: "About\nit", Anonymity: workshop.Pseudonymous, ParticipantLimit: 12,
		Visibility: workshop.VisibleLive, Pacing: workshop.PaceFocus}
	if got := f.Settings(); got != want {
		t.Errorf("settings %+v, want %+v", got, want)
	}
	if got := f.GroupNames(); got == nil || !reflect.DeepEqual(*got, []string{"military", "diplomatic", "humanitarian"}) {
		t.Errorf("groups %v", got)
	}

	// A limit that is not a number is refused, and comes back as typed,
	// with the groups as typed.
	fields.Set("participant_limit", "twelve")
	f, _ = ParseSettings(post(fields))
	wantField(t, f.Check(), "participant_limit")
	if f.Limit != "twelve" || f.Groups == nil || *f.Groups != "military, diplomatic\nhumanitarian" || f.Title != "Tuesday" {
		t.Errorf("%+v: want what was typed", f)
	}

	// Blank is no limit; without the groups' box the groups stay.
	fields.Set("participant_limit", "")
	fields.Del("groups")
	f, _ = ParseSettings(post(fields))
	if f.Check() != nil || f.Settings().ParticipantLimit != 0 || f.Groups != nil || f.GroupNames() != nil {
		t.Errorf("%+v: want no limit, groups unchanged", f)
	}

	// An empty box removes the groups.
	fields.Set("groups", "")
	f, _ = ParseSettings(post(fields))
	if got := f.GroupNames(); got == nil || len(*got) != 0 {
		t.Errorf("empty groups box: %v, want no groups", got)
	}
}

func TestFocus(t *testing.T) {
	f, err := ParseFocus(post(url.Values{"scenario_id": {"42"}}))
	if err != nil || f.Check() != nil || f.Scenario() != 42 {
		t.Fatalf("%+v, %v, %v", f, err, f.Check())
	}
	f, _ = ParseFocus(post(url.Values{"scenario_id": {"x"}}))
	wantField(t, f.Check(), "scenario_id")
	if f.ScenarioID != "x" {
		t.Errorf("%+v: want what was typed", f)
	}
}

func TestDelete(t *testing.T) {
	const code = "K7QFM2XD"
	f, err := ParseDelete(post(url.Values{"confirm": {" k7qf-m2xd "}}))
	if err != nil || f.Check(code) != nil {
		t.Fatalf("the code as people type it: %v, %v", err, f.Check(code))
	}
	f, _ = ParseDelete(post(url.Values{"confirm": {"K7QF-M2XE"}}))
	wantField(t, f.Check(code), "confirm")
	f, _ = ParseDelete(post(url.Values{}))
	wantField(t, f.Check(code), "confirm")
}

func TestOutcomes(t *testing.T) {
	scenarios := []workshop.Scenario{{ID: 3}, {ID: 1}, {ID: 2}}
	fields := url.Values{"occurred-3": {"yes"}, "known-3": {"2031-05-01"}, "note-3": {"As foreseen"},
		"occurred-1": {"no"}, "occurred-2": {"unknown"}, "note-2": {"not yet"}}
	f, err := ParseOutcomes(post(fields), scenarios)
	if err != nil || f.Check() != nil {
		t.Fatalf("%+v: %v, %v", f, err, f.Check())
	}
	yes, no := true, false
	want := []workshop.Outcome{{ScenarioID: 3, Occurred: &yes, KnownOn: "2031-05-01", Note: "As foreseen"},
		{ScenarioID: 1, Occurred: &no}, {ScenarioID: 2, Note: "not yet"}}
	if got := f.Outcomes(); !reflect.DeepEqual(got, want) {
		t.Errorf("outcomes %+v, want %+v", got, want)
	}

	// An answer that is none of the choices is refused on its scenario's
	// field; every scenario keeps what was typed.
	fields.Set("occurred-1", "maybe")
	f, _ = ParseOutcomes(post(fields), scenarios)
	wantField(t, f.Check(), OutcomeField("occurred", 1))
	typed := Outcomes{{ScenarioID: 3, Occurred: "yes", KnownOn: "2031-05-01", Note: "As foreseen"},
		{ScenarioID: 1, Occurred: "maybe"}, {ScenarioID: 2, Occurred: "unknown", Note: "not yet"}}
	if !reflect.DeepEqual(f, typed) {
		t.Errorf("typed %+v, want %+v", f, typed)
	}
	if f.Outcomes()[1].Occurred != nil {
		t.Errorf("an answer that is none of the choices reads as %v, want not known", *f.Outcomes()[1].Occurred)
	}
}

func TestJoin(t *testing.T) {
	f, err := ParseJoin(post(url.Values{"display_name": {"  Ada "}, "group": {"7"}}))
	if err != nil || f != (Join{DisplayName: "  Ada ", Group: 7}) {
		t.Fatalf("%+v, %v: want the fields as typed", f, err)
	}
	if name, err := f.Name(workshop.Pseudonymous); err != nil || name != "Ada" {
		t.Errorf("pseudonymous: %q, %v; want the name cleaned", name, err)
	}
	if name, err := f.Name(workshop.Anonymous); err != nil || name != "" {
		t.Errorf("anonymous: %q, %v; want no name", name, err)
	}
	f, _ = ParseJoin(post(url.Values{"display_name": {"   "}, "group": {"seven"}}))
	if f.Group != 0 {
		t.Errorf("group %d: a group that is not a number reads as none", f.Group)
	}
	_, err = f.Name(workshop.Pseudonymous)
	wantField(t, err, "display_name")
}

func TestRatings(t *testing.T) {
	f, err := ParseRatings(post(url.Values{"r-2-1": {"3"}, "r-1-5": {"dk"}, "r-1-2": {"-1"},
		"reason-2": {"Because"}, "reason-1": {""}, "clear": {"4-5"}, "other": {"x"}}))
	if err != nil || f.Check() != nil {
		t.Fatalf("%+v: %v, %v", f, err, f.Check())
	}
	three, minus := 3, -1
	want := Ratings{
		Ratings: []Rating{{workshop.ItemKey{ScenarioID: 1, CriterionID: 2}, &minus}, {workshop.ItemKey{ScenarioID: 1, CriterionID: 5}, nil},
			{workshop.ItemKey{ScenarioID: 2, CriterionID: 1}, &three}},
		Reasons: []Reason{{1, ""}, {2, "Because"}},
		Clear:   &workshop.ItemKey{ScenarioID: 4, CriterionID: 5},
	}
	if !reflect.DeepEqual(f, want) {
		t.Errorf("%+v, want %+v", f, want)
	}
	for fields, field := range map[string]string{
		"r-1-2=high":        "r-1-2",
		"r-1-2=1&r-1-2=2":   "r-1-2",
		"r-0-2=1":           "r-0-2",
		"reason-x=because":  "reason-x",
		"clear=4":           "clear",
		"clear=1-2&clear=3": "clear",
	} {
		q, _ := url.ParseQuery(fields)
		f, err := ParseRatings(post(q))
		if err != nil {
			t.Fatal(err)
		}
		wantField(t, f.Check(), field)
	}
}

func TestLanguage(t *testing.T) {
	f := ParseLanguage(post(url.Values{"lang": {"pl"}, "next": {"/decks"}}))
	if f != (Language{Lang: "pl", Next: "/decks"}) || f.Check() != nil {
		t.Fatalf("%+v, %v", f, f.Check())
	}
	wantField(t, ParseLanguage(post(url.Values{"lang": {"xx"}})).Check(), "lang")
	wantField(t, ParseLanguage(malformed()).Check(), "lang")
}

func TestDeckImport(t *testing.T) {
	upload := func(withFile bool) *http.Request {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		if withFile {
			fw, _ := mw.CreateFormFile("file", "scenarios.csv")
			fw.Write([]byte("title\nA\n"))
		}
		mw.WriteField("csv-lang", "pl")
		mw.Close()
		r := httptest.NewRequest(http.MethodPost, "/decks/import", &body)
		r.Header.Set("Content-Type", mw.FormDataContentType())
		return r
	}
	f, err := ParseDeckImport(upload(true))
	if err != nil {
		t.Fatal(err)
	}
	defer f.File.Close()
	if f.Filename != "scenarios.csv" || f.CSVLanguage != "pl" {
		t.Errorf("%+v", f)
	}
	if _, err := ParseDeckImport(upload(false)); !errors.Is(err, http.ErrMissingFile) {
		t.Errorf("no file: %v, want http.ErrMissingFile", err)
	}
}

// FuzzReadRatings reads any participant's form: a field that does not
// read is an invalid field named, and everything read is well formed.
func FuzzReadRatings(f *testing.F) {
	f.Add("r-1-2=3&r-1-3=dk&reason-1=Because")
	f.Add("clear=4-5")
	f.Add("r-1-2=3&r-1-2=4")
	f.Add("r-0-2=3&reason-x=y&clear=")
	f.Add("r-9223372036854775807-1=-2147483649&reason-00012=%E2%80%AE")
	f.Fuzz(func(t *testing.T, query string) {
		form, _ := url.ParseQuery(query) // what a server would parse
		rf := readRatings(form)
		if err := rf.Check(); err != nil {
			var de *workshop.Error
			if !errors.As(err, &de) || de.Code != workshop.EInvalid || de.Field == "" {
				t.Fatalf("error %#v: want an invalid field, named", err)
			}
			return
		}
		ratings := 0
		for name := range form {
			if strings.HasPrefix(name, "r-") {
				ratings++
			}
		}
		if len(rf.Ratings) != ratings {
			t.Fatalf("%d ratings read from %d rating fields", len(rf.Ratings), ratings)
		}
		for i, r := range rf.Ratings {
			if r.Item.ScenarioID <= 0 || r.Item.CriterionID <= 0 {
				t.Fatalf("a rating of item %+v", r.Item)
			}
			// The field may be spelt otherwise ("r-01-2"): only check what
			// can be looked up.
			if field := form.Get(fmt.Sprintf("r-%d-%d", r.Item.ScenarioID, r.Item.CriterionID)); field != "" && (r.Value == nil) != (field == "dk") {
				t.Fatalf("rating %+v read from %q", r, field)
			}
			if i > 0 {
				a, b := rf.Ratings[i-1].Item, r.Item
				if a.ScenarioID > b.ScenarioID || a.ScenarioID == b.ScenarioID && a.CriterionID > b.CriterionID {
					t.Fatalf("ratings out of order: %+v before %+v", a, b)
				}
			}
		}
		for _, r := range rf.Reasons {
			if r.ScenarioID <= 0 {
				t.Fatalf("a reason for scenario %d", r.ScenarioID)
			}
		}
		if rf.Clear != nil && (rf.Clear.ScenarioID <= 0 || rf.Clear.CriterionID <= 0) {
			t.Fatalf("clear %+v", *rf.Clear)
		}
	})
}
