package i18n

import "fmt"

// The Polish catalog: translations keyed by the English text as the code
// writes it (formats keep their verbs). It is spread over the files
// polish_*.go, one per part of the interface; each adds its map with
// addPolish. TestEveryStringTranslated fails when a string in the code has
// no entry here.
var (
	polish  = map[string]string{}
	plurals = map[string]map[string][3]string{Polish: {}}
	// conflicts lists English strings given two different translations.
	conflicts []string
)

// addPolish adds translations; it returns true so that a file can call it in
// a package-level declaration.
func addPolish(m map[string]string) bool {
	for en, pl := range m {
		if old, ok := polish[en]; ok && old != pl {
			conflicts = append(conflicts, fmt.Sprintf("%q: %q or %q", en, old, pl))
		}
		polish[en] = pl
	}
	return true
}

// addPolishPlurals adds the Polish forms (one, few, many) of phrases counted
// with N, keyed by their English plural ("other") form.
func addPolishPlurals(m map[string][3]string) bool {
	for en, forms := range m {
		if old, ok := plurals[Polish][en]; ok && old != forms {
			conflicts = append(conflicts, fmt.Sprintf("%q: %q or %q", en, old, forms))
		}
		plurals[Polish][en] = forms
	}
	return true
}
