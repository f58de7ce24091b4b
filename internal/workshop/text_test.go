package workshop

import "testing"

// The one text policy: what multi-line and one-line fields accept, and how
// line ends are normalised.
func TestTextPolicy(t *testing.T) {
	for _, c := range []struct {
		name string
		in   string
		text string // CheckText's error (its message id), "" for none
		line string // CheckLine's error
	}{
		{"plain", "Refugee flows rise", "", ""},
		{"Polish and French", "Zażółć gęślą jaźń, naïve façade", "", ""},
		{"line feed", "one\ntwo", "", "error.must_one_line"},
		{"tab", "a\tb", "", "error.must_one_line"},
		{"carriage return", "a\rb", "error.contains_control_character", "error.must_one_line"},
		{"NUL", "a\x00b", "error.contains_control_character", "error.contains_control_character"},
		{"escape", "a\x1b[31mb", "error.contains_control_character", "error.contains_control_character"},
		{"DEL", "a\x7fb", "error.contains_control_character", "error.contains_control_character"},
		{"NEL (C1)", "a\u0085b", "error.contains_control_character", "error.must_one_line"},
		{"CSI (C1)", "a\u009bb", "error.contains_control_character", "error.contains_control_character"},
		{"line separator", "a\u2028b", "error.contains_line_paragraph_separator", "error.must_one_line"},
		{"paragraph separator", "a\u2029b", "error.contains_line_paragraph_separator", "error.must_one_line"},
		{"right-to-left override", "a\u202eb", "error.contains_bidirectional_control_character", "error.contains_bidirectional_control_character"},
		{"isolate", "a\u2066b", "error.contains_bidirectional_control_character", "error.contains_bidirectional_control_character"},
		{"tag character", "a\U000E0041b", "error.contains_invisible_character", "error.contains_invisible_character"},
		{"byte order mark", "\ufeffa", "error.contains_invisible_character", "error.contains_invisible_character"},
		{"zero-width joiner (emoji)", "👩\u200d🔬", "", ""},
		{"zero-width space", "a\u200bb", "", ""},
		{"not UTF-8", "a\xffb", "error.not_valid_utf_8", "error.not_valid_utf_8"},
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
	if err := CheckText("abcd", 3); err == nil || err.Error() != "error.characters_long_limit [4 3]" {
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
