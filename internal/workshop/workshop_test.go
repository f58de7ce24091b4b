package workshop

import "testing"

func TestTextLanguage(t *testing.T) {
	w := &Workshop{Languages: []string{"pl", "en"}}
	for lang, want := range map[string]string{"en": "en", "pl": "pl", "de": "pl"} {
		if got := w.TextLanguage(lang); got != want {
			t.Errorf("TextLanguage(%q) = %q, want %q", lang, got, want)
		}
	}
	if got := (&Workshop{}).TextLanguage("pl"); got != DefaultLanguage {
		t.Errorf("no languages: %q", got)
	}
}
