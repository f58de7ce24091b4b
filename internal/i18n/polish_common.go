package i18n

// Strings shared by every page: the layout, navigation, errors in general.
var _ = addPolish(map[string]string{
	"Skip to content": "Przejdź do treści",
	"Language":        "Język",
	"Foresight · scenario assessment workshops":           "Foresight · warsztaty oceny scenariuszy",
	"Something went wrong on our side. Please try again.": "Coś poszło nie tak po naszej stronie. Spróbuj ponownie.",
})

var _ = addPolishPlurals(map[string][3]string{
	"%d participants": {"%d osoba", "%d osoby", "%d osób"},
})
