package i18n

// Estimates: yardsticks of estimative language, confidence stated apart
// from likelihood, and thin items. The yardsticks' own terms are in the
// domain (internal/workshop/yardstick.go), in both languages.
var _ = addPolishPlurals(map[string][3]string{
	"%d items too thin to judge (1 or 2 ratings)": {"%d pozycja zbyt skąpa, by ją ocenić (1 lub 2 oceny)", "%d pozycje zbyt skąpe, by je ocenić (1 lub 2 oceny)", "%d pozycji zbyt skąpych, by je ocenić (1 lub 2 oceny)"},
})

var _ = addPolish(map[string]string{
	// The participant's page: a yardstick criterion offers its terms,
	// and every number folded away under its term.
	"%s: pick a term":  "%s: wybierz określenie",
	"Or pick a number": "Albo wybierz liczbę",
	// After a term: the number that picking it records.
	"rated as %d %%": "zapisane jako %d %%",

	// The matrix's key and its description for screen readers.
	"%s moderate or high": "%s: umiarkowana lub wysoka",
	"%s low: the room's median is “low” (1.5 or less)": "%s: niska – mediana sali to „niska” (1,5 lub mniej)",
	"ringed: the ratings split into two camps":         "w obwódce: oceny podzieliły się na dwa obozy",
	"low confidence": "niska pewność",

	// The report's method: consensus needs three ratings.
	": at least 3 ratings, and the IQR is at most a quarter of the scale's range (1 point on a 1–5 scale).": ": co najmniej 3 oceny, a IQR wynosi najwyżej jedną czwartą zakresu skali (1 punkt na skali 1–5).",

	// The report's table of confidence.
	"Where the room is confident, round %d": "Gdzie sala jest pewna, runda %d",
	"%s was rated apart from the estimates, as low, moderate or high. A median of 1.5 or less counts as low, 2.5 or more as high.": "%s oceniano osobno od szacunków: jako niską, umiarkowaną lub wysoką. Mediana 1,5 lub mniej oznacza niską, 2,5 lub więcej – wysoką.",
	"Scenario":              "Scenariusz",
	"Confident: %s high":    "Pewnie: %s wysoka",
	"Not confident: %s low": "Niepewnie: %s niska",
	"%s moderate":           "%s umiarkowana",
	"No rating of %s":       "Bez oceny: %s",

	// Decks and groups: rules the domain states.
	"a confidence criterion has the three levels 1 (low) to 3 (high)": "kryterium pewności ma trzy poziomy: od 1 (niska) do 3 (wysoka)",
	"only a percent criterion has a yardstick":                        "skalę określeń może mieć tylko kryterium procentowe",
	"Name %d to %d groups, or none.":                                  "Podaj od %d do %d grup albo żadnej.",
	"Give each group a name of at most %d characters on one line.":    "Nazwij każdą grupę w jednym wierszu, najwyżej %d znakami.",
	"The group %q is named twice.":                                    "Grupa %q występuje dwukrotnie.",
})
