package workshop

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// The manual's appendix 2 example shape: two descriptors of three variants.
const swCSV = `;A;;;;B;;
;A1;A2;A3;;B1;B2;B3
A. Government
A1 Patriots;;;;;-2;1;1
A2 Prosperity;0;0;0;;2;1;-3
A3 Social;;;;;0;0;0
B. Foreign policy
B1 Cooperation;0;0;0;;;;
B2 Rivalry;1,5;0;-1;;;;
B3 Conflict;3;-1;-2;;0;0;0
`

func TestParseScenarioWizardCSV(t *testing.T) {
	in, err := ParseCIBInput([]byte(swCSV))
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Descriptors) != 2 || in.Descriptors[0].ID != "A" || strings.Join(in.Descriptors[1].Variants, " ") != "B1 B2 B3" {
		t.Fatalf("descriptors %+v", in.Descriptors)
	}
	if in.Titles["A"] != "A. Government" || in.Titles["B2"] != "B2 Rivalry" {
		t.Errorf("titles %v", in.Titles)
	}
	ev, err := EvaluateCIB(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		from, to string
		want     float64
	}{{"A1", "B1", -2}, {"A2", "B3", -3}, {"B2", "A1", 1.5}, {"B3", "A1", 3}, {"A1", "A2", 0}, {"B1", "A1", 0}} {
		if got := ev.Matrix.Score(c.from, c.to); got != c.want {
			t.Errorf("%s → %s = %v, want %v", c.from, c.to, got, c.want)
		}
	}
}

// TestScenarioWizardCSVRoundTrip writes Somewhereland and reads it back.
func TestScenarioWizardCSVRoundTrip(t *testing.T) {
	cm := somewhereland(t)
	titles := map[string]string{"A": "Government", "A1": "=Patriots party", "F3": "Family; values"}
	var buf bytes.Buffer
	if err := WriteScenarioWizardCSV(&buf, cm, titles, func(s string) string {
		if strings.HasPrefix(s, "=") {
			return "'" + s
		}
		return s
	}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(buf.String(), "\r\n")
	if lines[0] != ";A;;;;B;;;;C;;;;D;;;E;;;;F;;" || lines[1] != ";A1;A2;A3;;B1;B2;B3;;C1;C2;C3;;D1;D2;;E1;E2;E3;;F1;F2;F3" {
		t.Errorf("heading lines:\n%s\n%s", lines[0], lines[1])
	}
	if lines[3] != "'=Patriots party;0;0;0;;-2;1;1;;0;0;0;;0;0;;-2;1;1;;0;0;0" {
		t.Errorf("A1's line: %s", lines[3])
	}
	in, err := ParseCIBInput(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if in.Titles["F3"] != "Family; values" || in.Titles["B"] != "B" {
		t.Errorf("titles %v", in.Titles)
	}
	back, err := NewCIBMatrix(in.Descriptors, in.Impacts)
	if err != nil {
		t.Fatal(err)
	}
	for _, from := range cm.Variants() {
		for _, to := range cm.Variants() {
			if back.Score(from, to) != cm.Score(from, to) {
				t.Errorf("%s → %s: %v, want %v", from, to, back.Score(from, to), cm.Score(from, to))
			}
		}
	}
}

func TestParseCIBInputErrors(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"", "Paste a matrix"},
		{";A;;\n", "two heading lines"},
		{strings.Replace(swCSV, "B2 Rivalry;1,5", "B2 Rivalry;4", 1), "line 9, column 2: \"4\" is not a number from −3 to 3"},
		{strings.Replace(swCSV, "A2 Prosperity;0", "A2 Prosperity;1", 1), "line 5, column 2: a descriptor does not act on itself"},
		{strings.Replace(swCSV, "A3 Social;;;;;0;0;0", "A3 Social;;;;;0;0;0;;2", 1), "line 6, column 10: no variant"},
		{strings.Replace(swCSV, "B. Foreign policy", "B. Foreign policy;1", 1), "line 7: expected the long name of descriptor \"B\""},
		{strings.Split(swCSV, "B3 Conflict")[0], "the file ends before the line of variant \"B3\""},
		{swCSV + "extra;1\n", "line 11: more lines"},
		{`{"descriptors": [], "extra": 1}`, "unknown field"},
		{`{"descriptors": [{"id": "a", "variants": ["x", "y"]}]`, "ends too early"},
	} {
		_, err := ParseCIBInput([]byte(c.src))
		if err == nil || !strings.Contains(english(err), c.want) {
			t.Errorf("%q: got %v, want %q", c.src, err, c.want)
		}
		var de *Error
		if err != nil && !errors.As(err, &de) {
			t.Errorf("untyped error %v", err)
		}
	}
	in, err := ParseCIBInput([]byte(`{"descriptors": [{"id": "a", "variants": ["x", "y"]}, {"id": "b", "variants": ["z", "w"]}], "impacts": [{"from": "x", "to": "z", "score": 2}], "scenario": ["x", "z"]}`))
	if err != nil || in.Scenario != nil || len(in.Impacts) != 1 {
		t.Errorf("JSON: %+v %v (the page asks for the scenario apart)", in, err)
	}
}

func FuzzParseCIBInput(f *testing.F) {
	f.Add([]byte(swCSV))
	f.Add([]byte(`{"descriptors": [{"id": "a", "variants": ["x", "y"]}, {"id": "b", "variants": ["z", "w"]}], "impacts": [{"from": "x", "to": "z", "score": 2}]}`))
	f.Add([]byte("a,b\n,c,,d\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := ParseCIBInput(data)
		if err != nil {
			var de *Error
			if !errors.As(err, &de) {
				t.Fatalf("an untyped error: %v", err)
			}
			return
		}
		ev, err := EvaluateCIB(in)
		if err != nil {
			var de *Error
			if !errors.As(err, &de) || de.Code != EInvalid {
				t.Fatalf("evaluating: %v", err)
			}
			return
		}
		// A matrix that evaluates survives ScenarioWizard's CSV.
		var buf bytes.Buffer
		if err := WriteScenarioWizardCSV(&buf, ev.Matrix, in.Titles, func(s string) string { return s }); err != nil {
			t.Fatal(err)
		}
		if _, err := ParseCIBInput(buf.Bytes()); err != nil {
			t.Logf("written:\n%s", buf.String())
			t.Fatalf("the written CSV does not read back: %v", err)
		}
	})
}
