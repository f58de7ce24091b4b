package i18n

// The deck editor: every language of a deck side by side, the deck's
// languages, and the kinds of criteria.
var _ = addPolish(map[string]string{
	// Importing a CSV file in a language.
	"%q is not a language code": "%q nie jest kodem języka",
})
