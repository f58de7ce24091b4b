package i18n

// A workshop's history, put into words from the facts the store keeps.
//
// The log on the workshop page: each line is an account and what it did.
// Like "anonimizacja", the Polish names the action with a noun, so no verb
// needs a gender: "ala@example.org: usunięcie uczestnika P-7K2QF (3 oceny i
// 1 uzasadnienie)".
var _ = addPolish(map[string]string{
	"a deleted account":                  "usunięte konto",
	"removed participant %s (%s and %s)": "usunięcie uczestnika %s (%s i %s)",
	"anonymised the workshop (%s)":       "anonimizacja warsztatu (%s)",

	// Under the title of a copy, made to run a workshop again, on its page
	// and on the dashboard: "Kopia warsztatu K7QF-M2XD".
	"Copy of workshop %s": "Kopia warsztatu %s",
})

var _ = addPolishPlurals(map[string][3]string{
	"%d reasons": {"%d uzasadnienie", "%d uzasadnienia", "%d uzasadnień"},
})
