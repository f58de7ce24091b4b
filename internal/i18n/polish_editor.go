package i18n

// The deck editor: every language of a deck side by side, the deck's
// languages, and the kinds of criteria.
var _ = addPolish(map[string]string{
	// Importing a CSV file in a language.
	"Language of a CSV file's texts": "Język tekstów w pliku CSV",
	"%q is not a language code":      "%q nie jest kodem języka",

	// Languages by name, in labels such as "Title — Polish".
	"English": "angielski",
	"Polish":  "polski",

	// A deck's languages: the new deck's first page and the editor.
	"Which languages will you write the deck in? You can add or remove one later, in the editor.": "W jakich językach napiszesz zestaw? Później, w edytorze, możesz dodać lub usunąć język.",
	"The deck's languages":    "Języki zestawu",
	"The deck's own language": "Język główny zestawu",
	"Texts are required in the deck's own language, which is always one of its languages; in the others they may be left empty.": "W języku głównym zestawu teksty są wymagane (zawsze jest on jednym z języków zestawu); w pozostałych można je pominąć.",
	"Languages: %s":    "Języki: %s",
	"Change languages": "Zmień języki",
	"%s is unticked, but the deck has texts in it (%d).":                                  "Język %s jest odznaczony, ale zestaw ma w nim teksty (%d).",
	"Removing the language deletes them; to keep them, tick it again.":                    "Usunięcie języka usunie te teksty; aby je zachować, zaznacz go ponownie.",
	"Remove %s and its texts":                                                             "Usuń język %s i jego teksty",
	"Remove the unticked language and its texts with the button below, or tick it again.": "Usuń odznaczony język i jego teksty przyciskiem poniżej albo zaznacz go ponownie.",

	// A text's slot in each language.
	"%s — %s":                      "%s — %s",
	"%s — %s (optional)":           "%s — %s (opcjonalnie)",
	"Description for facilitators": "Opis dla moderatorów",
	"Source of the scenarios":      "Źródło scenariuszy",
	"Source citation":              "Przypis źródłowy",
	"Signposts":                    "Sygnały",
	"Signposts are what would tell us it is happening: one per line, on the same line in each language.": "Sygnały to oznaki, że scenariusz się spełnia: po jednym w wierszu, w tym samym wierszu w każdym języku.",
	"Question": "Pytanie",
	"Line %d: this signpost is written in another language but not in this one.": "Wiersz %d: ten sygnał jest zapisany w innym języku, ale nie w tym.",

	// Criteria: their kinds, labels, levels and yardsticks.
	"Confidence: low, moderate or high": "Pewność: niska, umiarkowana lub wysoka",
	"Yardstick of terms":                "Skala określeń",
	"None: numbers only":                "Brak: same liczby",
	"The percentages run from 0 to 100 in the step. A yardstick puts every rating and result into words with its range; its terms:": "Procenty biegną od 0 do 100 z podanym krokiem. Skala określeń opisuje każdą ocenę i każdy wynik słowami wraz z przedziałem; jej określenia:",
	"Three levels, rated 1 to 3: low, moderate and high. Their labels:":                                                             "Trzy poziomy, oceniane od 1 do 3: niska, umiarkowana i wysoka. Ich etykiety:",
	"Level %d": "Poziom %d",
	"One label per line as “value = text”, e.g. “1 = Very unlikely”: on every point or on the end points only.": "Etykiety po jednej w wierszu, w postaci „wartość = tekst”, np. „1 = Bardzo mało prawdopodobne”: dla każdego punktu albo tylko dla skrajnych.",
	"Line %d: %d has a label already.":                        "Wiersz %d: wartość %d ma już etykietę.",
	"%d has a label in another language but not in this one.": "Wartość %d ma etykietę w innym języku, ale nie w tym.",
})
