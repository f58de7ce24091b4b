package i18n

// What facilitators see while they run a workshop: the dashboard, the
// workshop page (joining, voting controls, settings, managing, the live
// results and reasons), the projector, the charts' text alternatives, the
// exports card and the printable report.
//
// Style: the report is a printed document, so its labels are nouns
// ("Otwarcie", "Zamknięcie") and its sentences impersonal; the workshop
// page speaks to the facilitator ("Otwórz głosowanie"). Counts of people
// use "osoba/osoby/osób", so that no phrase needs a gender.
var _ = addPolish(map[string]string{
	// The states of a workshop, on badges and the projector.
	"Waiting to start": "Oczekiwanie na start",
	"Voting open":      "Głosowanie otwarte",
	"Voting closed":    "Głosowanie zamknięte",
	"Results revealed": "Wyniki odsłonięte",
	"Finished":         "Zakończony",

	// Numbers: a change of a share in percentage points ("+5 p.p.").
	"%s pt": "%s p.p.",

	// The dashboard and a new workshop.
	"Your workshops": "Twoje warsztaty",
	"No workshops yet. Create one from the built-in deck to try it: it takes a minute.": "Nie masz jeszcze żadnych warsztatów. Na próbę utwórz pierwszy z wbudowanego zestawu – zajmie to minutę.",
	"Archived (%d)":                          "Zarchiwizowane (%d)",
	"Archived workshops":                     "Zarchiwizowane warsztaty",
	"Code":                                   "Kod",
	"Created":                                "Utworzono",
	"round %d":                               "runda %d",
	"Deck of scenarios":                      "Zestaw scenariuszy",
	"(optional: the deck's title otherwise)": "(opcjonalnie; bez niego tytuł zestawu)",
	"Open voting at once (otherwise people wait in the lobby until you open it)": "Od razu otwórz głosowanie (inaczej uczestnicy czekają w poczekalni, aż je otworzysz)",
	"Create workshop":                      "Utwórz warsztat",
	"Choose one of the decks in the list.": "Wybierz jeden z zestawów z listy.",
	"The workshop is archived: it admits nobody, and its results stay.": "Warsztat został zarchiwizowany: nikt już do niego nie dołączy, a wyniki zostają.",
	"The workshop and all its data are deleted.":                        "Warsztat i wszystkie jego dane zostały usunięte.",

	// The workshop page: joining and the projector.
	"Join":                    "Jak dołączyć",
	"Link":                    "Link",
	"Open the projector view": "Otwórz widok projektora",
	"Display link for a projector laptop that is not signed in":                                           "Link do ekranu dla komputera przy projektorze, bez logowania",
	"Open this link on the projector laptop. It is shown only now; it shows results but changes nothing.": "Otwórz ten link na komputerze podłączonym do projektora. Widzisz go tylko teraz; link pokazuje wyniki, ale niczego nie zmienia.",
	"A display link is active. A new link replaces it.":                                                   "Link do ekranu jest aktywny. Nowy link go zastąpi.",
	"Create a display link":   "Utwórz link do ekranu",
	"Revoke the display link": "Unieważnij link do ekranu",

	// Voting controls.
	"Voting":               "Głosowanie",
	"Round %d":             "Runda %d",
	"Rounds":               "Rundy",
	"Show round:":          "Pokaż rundę:",
	"Open voting":          "Otwórz głosowanie",
	"Close voting":         "Zamknij głosowanie",
	"Reveal results":       "Odsłoń wyniki",
	"Reopen voting":        "Otwórz głosowanie ponownie",
	"Start round %d":       "Rozpocznij rundę %d",
	"In focus: %d of %d":   "Bieżący scenariusz: %d z %d",
	"Next scenario →":      "Następny scenariusz →",
	"Finish the workshop…": "Zakończ warsztat…",
	"Finishing ends voting for good and admits nobody new. Results stay available.": "Zakończenie warsztatu na dobre zamyka głosowanie i nikt nowy już nie dołączy. Wyniki pozostają dostępne.",
	"Finish workshop": "Zakończ warsztat",
	"Start with each participant's previous ratings": "Zacznij od poprzednich ocen każdego uczestnika",

	// Settings.
	"Settings: title, what participants see, pacing, limit":          "Ustawienia: tytuł, co widzą uczestnicy, tempo, limit",
	"Description shown in the lobby and on the join page (optional)": "Opis widoczny w poczekalni i na stronie dołączania (opcjonalnie)",
	"Participants see the group's results":                           "Uczestnicy widzą wyniki grupy",
	"After you reveal a round (the Delphi way)":                      "Gdy odsłonisz wyniki rundy (jak w metodzie delfickiej)",
	"Live, while they vote (for plenary polls)":                      "Na żywo, w trakcie głosowania (do szybkich sondaży na sali)",
	"Never (facilitators only)":                                      "Nigdy (tylko moderatorzy)",
	"Pacing":                                                         "Tempo",
	"All scenarios at once":                                          "Wszystkie scenariusze naraz",
	"One scenario at a time, as you move the room forward":           "Pojedynczo: po jednym scenariuszu, w tempie, jakie nadajesz sali",
	"Names":                      "Anonimowość",
	"Anonymous: nobody is named": "Anonimowo: nikt nie jest podpisany",
	"Participants choose a display name when they join (you see it next to their reasons)": "Uczestnicy podają nazwę przy dołączaniu (widzisz ją obok ich uzasadnień)",
	"Participant limit (0: no limit)": "Limit uczestników (0 – bez limitu)",
	"Save settings":                   "Zapisz ustawienia",

	// Copy, archive, anonymise, delete; the log.
	"Copy, archive, anonymise or delete; the workshop's log": "Kopiowanie, archiwizacja, anonimizacja, usuwanie; dziennik warsztatu",
	"Copy to run again with a new group":                     "Skopiuj, aby przeprowadzić go z nową grupą",
	"Take out of the archive":                                "Przywróć z archiwum",
	"Archive":                                                "Archiwizuj",
	"Anonymise":                                              "Anonimizacja",
	"Removes for good every link between the ratings and participants' devices or display names, and draws new pseudonyms. Results and reasons stay. This cannot be undone.": "Trwale usuwa wszelkie powiązania ocen z urządzeniami i nazwami uczestników oraz losuje nowe pseudonimy. Wyniki i uzasadnienia zostają. Tego nie da się cofnąć.",
	"Anonymise this workshop": "Zanonimizuj ten warsztat",
	"This workshop is anonymised: nothing in it leads back to a device or a name.":                        "Ten warsztat jest zanonimizowany: nic w nim nie prowadzi do urządzenia ani nazwy uczestnika.",
	"Deletes the workshop with all its participants, ratings and reasons. Export first if you need them.": "Usuwa warsztat razem ze wszystkimi uczestnikami, ocenami i uzasadnieniami. Jeśli są ci potrzebne, najpierw je wyeksportuj.",
	"Type the code %s to confirm":                                       "Aby potwierdzić, wpisz kod %s",
	"Type the workshop's code exactly to confirm. Nothing was deleted.": "Aby potwierdzić, wpisz dokładnie kod warsztatu. Nic nie zostało usunięte.",
	"Delete the workshop and all its data":                              "Usuń warsztat i wszystkie jego dane",
	"Log":                                                               "Dziennik",

	// Confirmations after an action.
	"Voting is open. Participants' screens follow.":                                    "Głosowanie jest otwarte. Ekrany uczestników odświeżą się same.",
	"Voting is closed. Ratings are kept; you can reopen voting or reveal the results.": "Głosowanie jest zamknięte. Oceny zostały zachowane; możesz ponownie otworzyć głosowanie albo odsłonić wyniki.",
	"Voting is open again.":                         "Głosowanie jest znów otwarte.",
	"The results of this round are revealed.":       "Wyniki tej rundy zostały odsłonięte.",
	"Settings saved. Participants' screens follow.": "Ustawienia zostały zapisane. Ekrany uczestników odświeżą się same.",
	"The room moved to the scenario in focus.":      "Sala przeszła do wybranego scenariusza.",
	"The display link no longer works.":             "Link do ekranu już nie działa.",
	"Reason updated.":                               "Uzasadnienie zostało zaktualizowane.",
	"This is a copy in the lobby, ready for a new group: check the settings, then open voting.": "To kopia w poczekalni, gotowa dla nowej grupy: sprawdź ustawienia, a potem otwórz głosowanie.",
	"The workshop is out of the archive.":                                                       "Warsztat został przywrócony z archiwum.",
	"The workshop is anonymised.":                                                               "Warsztat został zanonimizowany.",
	"The participant's ratings and reasons are removed; the results have been counted again.":   "Oceny i uzasadnienia uczestnika zostały usunięte; wyniki przeliczono od nowa.",

	// The live results. A stat: "40%" above "pozycji z konsensusem".
	"Results, round %d":                  "Wyniki, runda %d",
	"items in consensus":                 "pozycji z konsensusem",
	"mean IQR, as a share of each scale": "średni IQR jako część każdej skali",
	"Mean IQR":                           "Średni IQR",
	"Updates live · %s":                  "Aktualizacja na żywo · %s",
	"In focus":                           "Bieżący",
	"Focus":                              "Ustaw jako bieżący",
	"consensus":                          "konsensus",
	"polarised":                          "spolaryzowane",
	"Mean":                               "Średnia",
	"Median":                             "Mediana",
	"IQR":                                "IQR",
	"SD":                                 "Odch. std.",
	"CV":                                 "CV",
	"Near the median":                    "Blisko mediany",
	"The projector shows the reasons of the current round, %d: these of an earlier round can be hidden, not featured.": "Projektor pokazuje uzasadnienia bieżącej rundy (%d): uzasadnienia wcześniejszej rundy można ukryć, ale nie wyróżnić.",
	"Display link":  "Link do wyświetlania",
	"Copy the link": "Kopiuj link",
	"Copied":        "Skopiowano",
	"The settings were not saved: please correct what is marked.": "Nie zapisano ustawień: popraw zaznaczone pola.",
	"The outcomes were not saved: please correct what is marked.": "Nie zapisano rozstrzygnięć: popraw zaznaczone pola.",
	"Scores (CSV)": "Wyniki Briera (CSV)",
	"Opening voting fixes the expert groups: after it, their names and who belongs to which stay as they are.": "Otwarcie głosowania ustala grupy eksperckie: potem ich nazwy i przynależność pozostają bez zmian.",
	"where groups disagree, each group's medians, joined to the scenario: %s":                                  "gdzie grupy się różnią, mediany każdej grupy połączone ze scenariuszem: %s",
	"on scenario %d: %s": "do scenariusza %d: %s",
	"groups disagree":    "grupy się różnią",
	"several numbers in one mark: scenarios that lie too close to draw apart": "kilka numerów w jednym znaczniku: scenariusze zbyt bliskie, by narysować je osobno",
	"Page {n} of {pages} · the arrow keys turn the pages":                     "Strona {n} z {pages} · strzałki przełączają strony",
	"Within ±%s of the median":                                                "W odległości ±%s od mediany",

	// Reasons and their moderation.
	"Reasons, round %d": "Uzasadnienia, runda %d",
	"No reasons yet. Participants can add one to each scenario while voting is open.": "Na razie brak uzasadnień. Uczestnicy mogą dodać uzasadnienie do każdego scenariusza, dopóki głosowanie jest otwarte.",
	"hidden":                   "ukryte",
	"Show again":               "Pokaż ponownie",
	"Hide":                     "Ukryj",
	"on the projector":         "na projektorze",
	"Take off the projector":   "Zdejmij z projektora",
	"Feature on the projector": "Pokaż na projektorze",
	"Remove this participant…": "Usuń tego uczestnika…",
	// %s is a pseudonym such as P-7K2QF.
	"Deletes every rating and reason of %s in every round. They can join again as someone new.": "Usuwa wszystkie oceny i uzasadnienia osoby %s ze wszystkich rund. Ta osoba może dołączyć ponownie jako nowy uczestnik.",
	"Remove %s's ratings and reasons": "Usuń oceny i uzasadnienia osoby %s",

	// Text alternatives of the charts. Risk matrix: "Macierz ryzyka. 1:
	// Prawdopodobieństwo 3, Wpływ 4, spolaryzowane; 2: bez ocen."
	"Risk matrix. %s.": "Macierz ryzyka. %s.",
	"%d: not rated":    "%d: bez ocen",

	// The projector.
	"Join at":               "Wejdź na",
	"or enter the code":     "albo wpisz kod",
	"QR code for %s":        "Kod QR z adresem %s",
	"%d of %d have rated":   "Oceniło: %d z %d",
	"%d of %d rated":        "Oceniło: %d z %d",
	"Reasons from the room": "Uzasadnienia z sali",
	"on scenario %d":        "do scenariusza %d",
	"Distributions":         "Rozkłady ocen",

	// The exports card.
	"Export: printable report, workbook, CSV, JSON": "Eksport: raport do druku, skoroszyt, CSV, JSON",
	// The sheet names stay in English: they are the workbook's own.
	"Everything so far, at any time, also while voting goes on. The report prints on A4; the workbook has the sheets Summary, Ratings, Rationales and Scenarios; the CSV files hold one row per rating, per round, scenario and criterion, and per reason; JSON holds all of it for other programs.": "Wszystkie dotychczasowe dane, w dowolnej chwili, także w trakcie głosowania. Raport drukuje się na A4; skoroszyt ma arkusze Summary, Ratings, Rationales i Scenarios; pliki CSV mają po jednym wierszu na każdą ocenę, na każdą rundę, scenariusz i kryterium oraz na każde uzasadnienie; JSON zawiera wszystko dla innych programów.",
	"Printable report":  "Raport do druku",
	"Workbook (XLSX)":   "Skoroszyt (XLSX)",
	"Ratings (CSV)":     "Oceny (CSV)",
	"Statistics (CSV)":  "Statystyki (CSV)",
	"Reasons (CSV)":     "Uzasadnienia (CSV)",
	"Everything (JSON)": "Wszystko (JSON)",

	// The printable report.
	"%s · report · Foresight": "%s · raport · Foresight",
	"Report":                  "Raport",
	"← Back to the workshop":  "← Wróć do warsztatu",
	"Print this page for an A4 report (page numbers included), or save it as PDF from the print dialogue.": "Wydrukuj tę stronę, aby otrzymać raport w formacie A4 (z numerami stron), albo zapisz ją jako PDF w oknie drukowania.",
	"Download PDF": "Pobierz PDF",
	"Results":      "Wyniki",
	"No ratings yet. The report fills in as participants rate.": "Na razie brak ocen. Raport uzupełni się, gdy uczestnicy zaczną oceniać.",
	"Foresight · scenario assessment report":                    "Foresight · raport z oceny scenariuszy",
	"Date":         "Data",
	"Status":       "Stan",
	"Not started":  "Jeszcze się nie rozpoczął",
	"Round %d, %s": "Runda %d, %s",
	"Participants": "Uczestnicy",
	// "Uczestnicy: 12 osób dołączyło · runda 1: 10 osób oceniło".
	"round %d: %s": "runda %d: %s",
	"Report made":  "Raport wygenerowano",
	"Method":       "Metoda",
	"Participants rated each scenario anonymously; after each round the group's position (median and middle half) was %s, and those whose rating lay outside the middle half were asked for a reason.": "Uczestnicy oceniali każdy scenariusz anonimowo; po każdej rundzie stanowisko grupy (mediana i środkowa połowa) było %s, a osoby, których ocena wypadła poza środkową połową, proszono o uzasadnienie.",
	"shown to participants live, while they voted":                  "pokazywane uczestnikom na żywo, w trakcie głosowania",
	"shown to the facilitators only":                                "pokazywane tylko moderatorom",
	"shown to participants once the facilitator revealed the round": "pokazywane uczestnikom, gdy moderator odsłonił wyniki rundy",
	// The table of rounds: when each round opened, closed, was revealed,
	// and how it started.
	"Round":                             "Runda",
	"Opened":                            "Otwarcie",
	"Closed":                            "Zamknięcie",
	"Revealed":                          "Odsłonięcie",
	"Start":                             "Punkt wyjścia",
	"Rated":                             "Oceniło",
	"previous ratings":                  "poprzednie oceny",
	"blank":                             "od zera",
	"%d of %d":                          "%d z %d",
	"Scales":                            "Skale",
	"Criterion":                         "Kryterium",
	"Scale":                             "Skala",
	"Labels":                            "Etykiety",
	"%d to %d":                          "od %d do %d",
	"%d %% to %d %% in steps of %d":     "od %d %% do %d %%, co %d",
	"; \"don't know\" allowed":          "; można odpowiedzieć „nie wiem”",
	"Statistics and the consensus rule": "Statystyki i reguła konsensusu",
	// The method list: each item starts with a term in bold.
	"counts numeric ratings; \"don't know\" answers are counted apart and left out of every statistic.": "to liczba ocen liczbowych; odpowiedzi „nie wiem” są liczone osobno i pomijane we wszystkich statystykach.",
	"Median and quartiles": "Mediana i kwartyle",
	"(Q1, Q3) interpolate between ordered ratings (Hyndman–Fan type 7, as R and numpy);": "(Q1, Q3) są interpolowane między uporządkowanymi ocenami (typ 7 według Hyndmana i Fana, jak w R i numpy);",
	"= Q3 − Q1.": "(rozstęp międzykwartylowy) = Q3 − Q1.",
	"Consensus":  "Konsensus",
	": the share of ratings within the same distance of the median.":                                                   ": odsetek ocen oddalonych od mediany najwyżej o tyle samo.",
	": each item's IQR as a share of its scale's range, averaged, so that percentages and 1–5 scales are never mixed.": ": IQR każdej pozycji jako część zakresu jej skali, uśredniony, tak by nie mieszać procentów ze skalami 1–5.",
	"An item is called one thing at most: polarised before groups that disagree, and either before consensus.":         "Każda pozycja dostaje najwyżej jedno określenie: polaryzacja ma pierwszeństwo przed różnicą między grupami, a obie przed konsensusem.",
	"Polarised": "Spolaryzowane",
	": at least five ratings that form two camps (Sarle's bimodality coefficient above 5/9 and two comparable peaks with a gap between them).": ": co najmniej pięć ocen, które tworzą dwa obozy (współczynnik bimodalności Sarle’a powyżej 5/9 oraz dwa porównywalne szczyty rozdzielone luką).",
	"Numbers are rounded for display; the data exports (CSV, XLSX, JSON) carry them in full.":                                                  "Liczby są zaokrąglone do wyświetlenia; eksporty danych (CSV, XLSX, JSON) zawierają je z pełną dokładnością.",
	"Round %d: risk matrix": "Runda %d: macierz ryzyka",
	"Voting in this round is still open: these numbers are provisional.":                                                                    "Głosowanie w tej rundzie jest nadal otwarte: te liczby są wstępne.",
	"Each numbered point is a scenario at its median %s (across) and %s (up); the whiskers span the middle half of the ratings (Q1 to Q3).": "Każdy ponumerowany punkt to scenariusz umieszczony według median: %s (w poziomie) i %s (w pionie); wąsy obejmują środkową połowę ocen (od Q1 do Q3).",
	"Arrows come from where the scenario stood in round %d.":                                                                                "Strzałki biegną od miejsca, w którym scenariusz był w rundzie %d.",
	"A dashed ring marks a polarised scenario.":                                                                                             "Przerywany okrąg oznacza scenariusz o spolaryzowanych ocenach.",
	"Scenarios, with their medians: %s · %s":                                                                                                "Scenariusze i ich mediany: %s · %s",
	"Consensus and polarisation, round %d":                                                                                                  "Konsensus i polaryzacja, runda %d",
	// "40% ocenionych pozycji z konsensusem (+5 p.p. od rundy 1) · średni IQR 0,8".
	"of the rated items in consensus": "ocenionych pozycji z konsensusem",
	"(%s since round %d)":             "(%s od rundy %d)",
	"Scenario, criterion":             "Scenariusz, kryterium",
	"Δ median":                        "Δ mediany",
	"Δ IQR":                           "Δ IQR",
	"yes":                             "tak",
	"no":                              "nie",
	"Scenarios across rounds":         "Scenariusze w kolejnych rundach",
	"For each scenario and criterion: the distribution of ratings in each round (the grey bar counts \"don't know\"), with the median and the middle half.": "Dla każdego scenariusza i kryterium: rozkład ocen w każdej rundzie (szary słupek to odpowiedzi „nie wiem”) z medianą i środkową połową.",
	"median %s (%s) · n %d": "mediana %s (%s) · n %d",
	"no numeric ratings":    "brak ocen liczbowych",
	"Featured reasons":      "Wyróżnione uzasadnienia",
	"Reasons participants gave for their ratings that the facilitator featured, anonymous as they were given.": "Uzasadnienia ocen, które uczestnicy podali, a moderator wyróżnił; przytoczone anonimowo, tak jak zostały podane.",
	"Scenario %d: %s":                 "Scenariusz %d: %s",
	"The scenarios and their sources": "Scenariusze i ich źródła",
	"Source: %s":                      "Źródło: %s",
})

var _ = addPolishPlurals(map[string][3]string{
	"%d scenarios": {"%d scenariusz", "%d scenariusze", "%d scenariuszy"},
	// A stat: the number above its label ("5" / "osób dołączyło").
	"%d joined": {"%d osoba dołączyła", "%d osoby dołączyły", "%d osób dołączyło"},
	"%d rated":  {"%d osoba oceniła", "%d osoby oceniły", "%d osób oceniło"},
	// A histogram's text alternative: "Wpływ: ocena 1: 0 osób, ocena 2:
	// 3 osoby, „nie wiem”: 1 osoba". {v} is the point of the scale.
	"%d rated {v}":  {"ocena {v}: %d osoba", "ocena {v}: %d osoby", "ocena {v}: %d osób"},
	"%d don't know": {"„nie wiem”: %d osoba", "„nie wiem”: %d osoby", "„nie wiem”: %d osób"},
	// The report.
	"Finished after %d rounds":          {"Zakończony po %d rundzie", "Zakończony po %d rundach", "Zakończony po %d rundach"},
	"each rated on %d criteria":         {"każdy oceniany według %d kryterium", "każdy oceniany według %d kryteriów", "każdy oceniany według %d kryteriów"},
	"A Delphi assessment in %d rounds.": {"Ocena metodą delficką przeprowadzona w %d rundzie.", "Ocena metodą delficką przeprowadzona w %d rundach.", "Ocena metodą delficką przeprowadzona w %d rundach."},
})
