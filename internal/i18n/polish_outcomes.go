package i18n

// After the event: outcomes, scores and calibration.
var _ = addPolish(map[string]string{
	// The Outcomes card of a finished workshop's page.
	"Outcomes": "Rozstrzygnięcia",
	"Once the future arrives, record what became of each scenario. The report then scores the room's probability estimates (Brier scores, calibration), and participants see their own score on their page.": "Gdy przyszłość nadejdzie, zapisz, co stało się z każdym scenariuszem. Raport oceni wtedy szacunki prawdopodobieństwa sali (wynik Briera, kalibracja), a uczestnicy zobaczą na swojej stronie własny wynik.",
	"What became of it":      "Co się wydarzyło",
	"Happened":               "Wydarzyło się",
	"Did not happen":         "Nie wydarzyło się",
	"Not known yet":          "Jeszcze nie wiadomo",
	"Known since (optional)": "Wiadomo od (opcjonalnie)",
	"Note (optional)":        "Uwaga (opcjonalnie)",
	"Recorded %s":            "Zapisano %s",
	"Save outcomes":          "Zapisz rozstrzygnięcia",
	"Scores in the report":   "Wyniki w raporcie",
	"Choose happened, did not happen or not known yet.":             "Wybierz: wydarzyło się, nie wydarzyło się albo jeszcze nie wiadomo.",
	"Outcomes saved. The report scores the estimates against them.": "Rozstrzygnięcia zapisane. Raport ocenia według nich szacunki.",

	// The workshop's log.
	"recorded the outcome of scenario %d: %s": "zapisanie rozstrzygnięcia scenariusza %d: %s",
	"happened":       "wydarzył się",
	"did not happen": "nie wydarzył się",
	"not known yet":  "jeszcze nie wiadomo",

	// The API's fields.
	"is required: the id of a percent criterion":              "jest wymagane: identyfikator kryterium procentowego",
	"is required: true, false, or null while it is not known": "jest wymagane: true, false albo null, dopóki nie wiadomo",
	"must be true, false or null":                             "musi mieć wartość true, false albo null",

	// Rules the domain and the store state.
	"The note %s": "Uwaga %s",
	"Give the date as YYYY-MM-DD, for example 2027-03-31.":                  "Podaj datę w postaci RRRR-MM-DD, na przykład 2027-03-31.",
	"The date lies in the future: an outcome is recorded once it is known.": "Ta data leży w przyszłości: rozstrzygnięcie zapisuje się, gdy jest już znane.",
	"Outcomes are recorded once the workshop has finished.":                 "Rozstrzygnięcia zapisuje się po zakończeniu warsztatu.",
	"Only a percent criterion is a probability that can be scored.":         "Ocenić można tylko kryterium procentowe: tylko ono jest prawdopodobieństwem.",
	"Scores are kept once the workshop has finished.":                       "Wyniki liczy się po zakończeniu warsztatu.",
})
