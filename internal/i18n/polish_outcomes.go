package i18n

// After the event: outcomes, scores and calibration.
var _ = addPolishPlurals(map[string][3]string{
	"%d resolved scenarios": {"%d rozstrzygniętym scenariuszu", "%d rozstrzygniętych scenariuszach", "%d rozstrzygniętych scenariuszach"},
	"%d finished workshops have no known outcome yet: record them on their pages.": {"%d zakończony warsztat nie ma jeszcze znanego rozstrzygnięcia: zapisz je na jego stronie.", "%d zakończone warsztaty nie mają jeszcze znanych rozstrzygnięć: zapisz je na ich stronach.", "%d zakończonych warsztatów nie ma jeszcze znanych rozstrzygnięć: zapisz je na ich stronach."},
	"%d scenarios resolved.":  {"%d scenariusz rozstrzygnięty.", "%d scenariusze rozstrzygnięte.", "%d scenariuszy rozstrzygniętych."},
	"%d participants scored:": {"Oceniono %d uczestnika:", "Oceniono %d uczestników:", "Oceniono %d uczestników:"},
})

var _ = addPolish(map[string]string{
	// The Outcomes card of a finished workshop's page.
	"Outcomes": "Rozstrzygnięcia",
	"Once the future arrives, record what became of each scenario. The report then scores the room's probability estimates (Brier scores, calibration), and participants see their own score on their page.": "Gdy przyszłość nadejdzie, zapisz, co stało się z każdym scenariuszem. Raport oceni wtedy szacunki prawdopodobieństwa sali (wynik Briera, kalibracja), a uczestnicy zobaczą na swojej stronie własny wynik.",
	"What became of it":      "Co się wydarzyło",
	"Happened":               "Wydarzyło się",
	"Did not happen":         "Nie wydarzyło się",
	"Not known yet":          "Jeszcze nie wiadomo",
	"YYYY-MM-DD":             "RRRR-MM-DD",
	"Known since (optional)": "Wiadomo od (opcjonalnie)",
	"Note (optional)":        "Notatka (opcjonalnie)",
	"Recorded %s":            "Zapisano %s",
	"Save outcomes":          "Zapisz rozstrzygnięcia",
	"Scores in the report":   "Wyniki w raporcie",
	"Choose happened, did not happen or not known yet.":             "Wybierz: wydarzyło się, nie wydarzyło się albo jeszcze nie wiadomo.",
	"Outcomes saved. The report scores the estimates against them.": "Rozstrzygnięcia zapisane. Raport ocenia według nich szacunki.",

	// The report's look back.
	"Looking back: outcomes and scores": "Spojrzenie wstecz: rozstrzygnięcia i wyniki",
	"Outcome":                           "Rozstrzygnięcie",
	"Known since":                       "Wiadomo od",
	"Note":                              "Notatka",
	"No criterion of this workshop is a probability in percent, so there is nothing to score.":                                                                                                    "Żadne kryterium tego warsztatu nie jest prawdopodobieństwem w procentach, więc nie ma czego oceniać.",
	"No outcome is known yet: record them on the workshop's page, and the scores appear here.":                                                                                                    "Żadne rozstrzygnięcie nie jest jeszcze znane: zapisz je na stronie warsztatu, a wyniki pojawią się tutaj.",
	"The Brier score of an estimate p for an outcome o (1: it happened, 0: it did not) is (p − o)²: 0 is perfect, 0.25 is what always saying fifty-fifty earns, 1 is the worst. Lower is better.": "Wynik Briera szacunku p dla rozstrzygnięcia o (1: wydarzyło się, 0: nie wydarzyło się) to (p − o)²: 0 to ideał, 0,25 zdobywa ktoś, kto zawsze mówi „pół na pół”, 1 to najgorszy wynik. Im niższy, tym lepszy.",
	"The room's Brier score per round, over the resolved scenarios":                                                                                                                               "Wynik Briera sali w każdej rundzie, po rozstrzygniętych scenariuszach",
	"Median estimate":          "Mediana szacunków",
	"Mean estimate":            "Średnia szacunków",
	"Geometric mean of odds":   "Średnia geometryczna szans",
	"Participants, on average": "Uczestnicy, średnio",
	"Each resolved scenario in the last round with estimates": "Każdy rozstrzygnięty scenariusz w ostatniej rundzie z szacunkami",
	"Brier (median)": "Brier (mediana)",
	"no estimates":   "brak szacunków",
	"Calibration of the last round: %s. Each circle is a tenth of the scale, at its estimates' mean forecast (across) and how often those scenarios happened (up); the number in it, and its size, is how many estimates it holds. A calibrated room lies on the diagonal.": "Kalibracja ostatniej rundy: %s. Każde koło to jedna dziesiąta skali, umieszczona w średniej prognozie jej szacunków (poziomo) i w tym, jak często te scenariusze się wydarzyły (pionowo); liczba w kole, podobnie jak jego wielkość, mówi, ile szacunków obejmuje. Skalibrowana sala leży na przekątnej.",
	"Calibration: forecast against what happened.":        "Kalibracja: prognoza wobec tego, co się wydarzyło.",
	"%d–%d %%: %d estimates, mean %s %%, happened %s %%.": "%d–%d %%: szacunków %d, średnio %s %%, wydarzyło się %s %%.",
	"forecast, %":                            "prognoza, %",
	"happened, %":                            "wydarzyło się, %",
	"Forecast":                               "Prognoza",
	"Estimates":                              "Szacunki",
	"Mean forecast, %":                       "Średnia prognoza, %",
	"Happened, %":                            "Wydarzyło się, %",
	"best %s, median %s, worst %s.":          "najlepszy %s, mediana %s, najgorszy %s.",
	"Each participant's score, by pseudonym": "Wynik każdego uczestnika, według pseudonimu",
	"Pseudonym":                              "Pseudonim",
	"Brier score":                            "Wynik Briera",

	// A returning participant's own score.
	"Your estimates, looking back":                                  "Twoje szacunki z perspektywy czasu",
	"You gave no estimate of the scenarios whose outcome is known.": "Nie ma Twoich szacunków dla scenariuszy, których rozstrzygnięcie jest znane.",
	"Your Brier score: %s, over %s.":                                "Twój wynik Briera: %s, w %s.",
	"0 is perfect; always saying fifty-fifty earns 0.25.":           "0 to ideał; kto zawsze mówi „pół na pół”, dostaje 0,25.",
	"you said %s %%": "twój szacunek: %s %%",
	"score %s":       "wynik %s",

	// The organisation's overview.
	"Scores":                       "Wyniki",
	"Scores of finished workshops": "Wyniki zakończonych warsztatów",
	"Each row is a percent criterion of a finished workshop with at least one known outcome: the room's Brier score (0 is perfect, lower is better) of its median, its mean and the geometric mean of odds. With several rounds, “0.081 → 0.052” reads: 0.081 in round 1, 0.052 in the last round; a smaller number after the arrow means the rounds improved the estimate. Participants: the mean of their own scores in the last round.": "Każdy wiersz to kryterium procentowe zakończonych warsztatów z co najmniej jednym znanym rozstrzygnięciem: wynik Briera sali (0 to ideał, im niższy, tym lepszy) dla mediany, średniej i średniej geometrycznej szans. Przy kilku rundach „0,081 → 0,052” czyta się: 0,081 w rundzie 1, 0,052 w ostatniej rundzie; mniejsza liczba za strzałką oznacza, że rundy poprawiły szacunek. Uczestnicy: średnia ich własnych wyników w ostatniej rundzie.",
	"No finished workshop has a known outcome yet.": "Żaden zakończony warsztat nie ma jeszcze znanego rozstrzygnięcia.",
	"Workshop": "Warsztat",
	"Resolved": "Rozstrzygnięte",
	"The scores of every workshop are for organisers.": "Wyniki wszystkich warsztatów są dla organizatorów.",

	// The workshop's log.
	"recorded the outcome of scenario %d: %s": "zapisanie rozstrzygnięcia scenariusza %d: %s",
	"happened":       "wydarzyło się",
	"did not happen": "nie wydarzyło się",
	"not known yet":  "jeszcze nie wiadomo",

	// The API's fields.
	"is required: the id of a percent criterion":              "jest wymagane: identyfikator kryterium procentowego",
	"is required: true, false, or null while it is not known": "jest wymagane: true, false albo null, dopóki nie wiadomo",
	"must be true, false or null":                             "musi mieć wartość true, false albo null",

	// Rules the domain and the store state.
	"The note %s": "Notatka: %s",
	"Give the date as YYYY-MM-DD, for example 2027-03-31.":                  "Podaj datę w postaci RRRR-MM-DD, na przykład 2027-03-31.",
	"The date lies in the future: an outcome is recorded once it is known.": "Ta data leży w przyszłości: rozstrzygnięcie zapisuje się, gdy jest już znane.",
	"Outcomes are recorded once the workshop has finished.":                 "Rozstrzygnięcia zapisuje się po zakończeniu warsztatu.",
	"Only a percent criterion is a probability that can be scored.":         "Ocenić można tylko kryterium procentowe: tylko ono jest prawdopodobieństwem.",
	"Scores are kept once the workshop has finished.":                       "Wyniki liczy się po zakończeniu warsztatu.",
})
