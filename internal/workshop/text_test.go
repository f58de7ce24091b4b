package workshop

import "testing"

// The one text policy: what multi-line and one-line fields accept, and how
// line ends are normalised.
func TestTextPolicy(t *testing.T) {
	for _, c := range []struct {
		name string
		in   string
		text string // CheckText's error, "" for none
		line string // CheckLine's error
	}{
		{"plain", "Refugee flows rise", "", ""},
		{"Polish and French", "Zażółć gęślą jaźń, naïve façade", "", ""},
		{"line feed", "one\ntwo", "", "must be one line"},
		{"tab", "a\tb", "", "must be one line"},
		{"carriage return", "a\rb", "contains a control character", "must be one line"},
		{"NUL", "a\x00b", "contains a control character", "contains a control character"},
		{"escape", "a\x1b[31mb", "contains a control character", "contains a control character"},
		{"DEL", "a\x7fb", "contains a control character", "contains a control character"},
		{"NEL (C1)", "a\u0085b", "contains a control character", "must be one line"},
		{"CSI (C1)", "a\u009bb", "contains a control character", "contains a control character"},
		{"line separator", "a\u2028b", "contains a line or paragraph separator: use a line break", "must be one line"},
		{"paragraph separator", "a\u2029b", "contains a line or paragraph separator: use a line break", "must be one line"},
		{"right-to-left override", "a\u202eb", "contains a bidirectional control character", "contains a bidirectional control character"},
		{"isolate", "a\u2066b", "contains a bidirectional control character", "contains a bidirectional control character"},
		{"tag character", "a\U000E0041b", "contains an invisible character", "contains an invisible character"},
		{"byte order mark", "\ufeffa", "contains an invisible character", "contains an invisible character"},
		{"zero-width joiner (emoji)", "👩\u200d🔬", "", ""},
		{"zero-width space", "a\u200bb", "", ""},
		{"not UTF-8", "a\xffb", "is not valid UTF-8", "is not valid UTF-8"},
	} {
		check := func(what string, err error, want string) {
			t.Helper()
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != want {
				t.Errorf("%s %s (%q): %q, want %q", what, c.name, c.in, got, want)
			}
		}
		check("CheckText", CheckText(c.in, 100), c.text)
		check("CheckLine", CheckLine(c.in, 100), c.line)
	}
	if err := CheckText("abcd", 3); err == nil || err.Error() != "is 4 characters long; the limit is 3" {
		t.Errorf("over the limit: %v", err)
	}
}

func TestCleanText(t *testing.T) {
	for in, want := range map[string]string{
		"a\r\nb\rc\nd":         "a\nb\nc\nd",
		"a\u2028b\u2029c":      "a\nb\nc",
		"\r\r\n":               "\n\n",
		"unchanged\ttext\n":    "unchanged\ttext\n",
		"AAA\revent: INJECTED": "AAA\nevent: INJECTED",
	} {
		if got := CleanText(in); got != want {
			t.Errorf("CleanText(%q) = %q, want %q", in, got, want)
		}
		if err := CheckText(CleanText(in), 100); err != nil {
			t.Errorf("CheckText(CleanText(%q)): %v", in, err)
		}
	}
}
