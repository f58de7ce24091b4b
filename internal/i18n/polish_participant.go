package i18n

// The pages participants and account holders see: the layout's navigation,
// the home page, error pages, joining, rating, signing in, the account and
// the people pages.
//
// Style: informal second person, "twój" in lower case inside a sentence;
// phrases that would need the reader's grammatical gender ("zalogowany")
// are avoided.
var _ = addPolish(map[string]string{
	// Layout and navigation.
	"Account":              "Konto",
	"Workshops":            "Warsztaty",
	"New workshop":         "Nowy warsztat",
	"People":               "Użytkownicy",
	"Sign out (%s)":        "Wyloguj się (%s)",
	"Error %d":             "Błąd %d",
	"Go to the start page": "Przejdź do strony głównej",

	// Home page.
	"Join a workshop": "Dołącz do warsztatu",
	"Workshop code":   "Kod warsztatu",
	"The facilitator shows the code on the screen. No account needed.": "Moderator wyświetla kod na ekranie. Nie potrzebujesz konta.",
	"Continue":                 "Dalej",
	"Running a workshop?":      "Prowadzisz warsztat?",
	"Sign in as a facilitator": "Zaloguj się jako moderator",

	// Signing in and the first account.
	"Sign in":                              "Zaloguj się",
	"Email address":                        "Adres e-mail",
	"Password":                             "Hasło",
	"Participants do not need an account:": "Uczestnicy nie potrzebują konta:",
	"join with a code":                     "dołącz za pomocą kodu",
	"Create the first account":             "Utwórz pierwsze konto",
	"This account will be an organiser: it can run workshops and, later, invite facilitators.": "To będzie konto organizatora: może prowadzić warsztaty, a później zapraszać moderatorów.",
	"Password (at least 10 characters)": "Hasło (co najmniej 10 znaków)",
	"Create account and sign in":        "Utwórz konto i zaloguj się",

	// Joining a workshop.
	"Join %s":                        "Dołącz do warsztatu „%s”",
	"You are about to join workshop": "Za chwilę dołączysz do warsztatu",
	"Privacy: the facilitator sees the name you choose next to your reasons, nothing else about you. We store your ratings and a random ID in a cookie on this device, so you can come back to them.": "Prywatność: moderator widzi przy twoich uzasadnieniach wybraną przez ciebie nazwę – i nic więcej o tobie. Przechowujemy twoje oceny, a w pliku cookie na tym urządzeniu losowy identyfikator, dzięki któremu możesz do nich wrócić.",
	"Privacy: you stay anonymous. We store only your ratings and a random ID in a cookie on this device, so you can come back to them.":                                                               "Prywatność: udział jest anonimowy. Przechowujemy tylko twoje oceny, a w pliku cookie na tym urządzeniu losowy identyfikator, dzięki któremu możesz do nich wrócić.",
	"Your name for this workshop": "Twoja nazwa w tym warsztacie",
	"Join the workshop":           "Dołącz do warsztatu",

	// Rating.
	"Your ratings are saved.": "Twoje oceny zostały zapisane.",
	"Save my ratings":         "Zapisz moje oceny",
	"Scenario %d of %d. The facilitator moves the room to the next one.": "Scenariusz %d z %d. Do kolejnego moderator przełączy całą grupę.",
	"Source": "Źródło",
	"The facilitator has not opened voting yet. Read the scenarios; this page opens for voting by itself.": "Głosowanie jeszcze się nie rozpoczęło. Zapoznaj się ze scenariuszami – gdy moderator otworzy głosowanie, strona sama się odświeży.",
	"Round %d.": "Runda %d.",
	"Each scale shows where the group stood last round: the shaded band holds the middle half of the ratings, the line is the median, the dot is your rating. Revise if you want to, and tell the group why.": "Każda skala pokazuje stanowisko grupy w poprzedniej rundzie: zacieniony pas obejmuje środkową połowę ocen, kreska oznacza medianę, a kropka – twoją ocenę. Jeśli chcesz, zmień ocenę i napisz grupie dlaczego.",
	"Rate again; you may keep or change your earlier view.":                                 "Oceń ponownie – możesz zostać przy wcześniejszym zdaniu albo je zmienić.",
	"Rate each scenario on every scale. You can change a rating while voting is open.":      "Oceń każdy scenariusz na każdej skali. Dopóki głosowanie jest otwarte, możesz zmieniać oceny.",
	"Each choice is saved at once, and each reason when you pause typing or leave its box.": "Każdy wybór zapisuje się od razu, a uzasadnienie – gdy przerwiesz pisanie lub opuścisz pole.",
	"Not saved yet: it saves itself when you pause or leave the box.":                       "Jeszcze nie zapisano: zapisze się samo, gdy przerwiesz pisanie lub opuścisz pole.",
	"Too long to save: shorten it to at most %d characters.":                                "Za długie, by zapisać: skróć do najwyżej %d znaków.",
	"{n} of {max} characters":                        "{n} z {max} znaków",
	"{n} characters: {over} over the limit of {max}": "{n} znaków: o {over} za dużo (limit {max})",
	"At most %d characters.":                         "Najwyżej %d znaków.",
	"Your reason in round %d:":                       "Twoje uzasadnienie w rundzie %d:",
	"Keep this reason":                               "Zachowaj to uzasadnienie",
	"Your answer: don't know (the outlined bar)":     "Twoja odpowiedź: nie wiem (obrysowany słupek)",
	"Your rating: %s (the outlined bar)":             "Twoja ocena: %s (obrysowany słupek)",
	"What do the terms mean?":                        "Co oznaczają te określenia?",
	"The terms are those of ICD 203, the standard of the US intelligence community: each stands for the range of probability shown beside it, so that a word means the same number to everyone in the room. Picking a term rates the number shown with it; under “Or pick a number” you can give any other.": "To określenia ICD 203, standardu wspólnoty wywiadowczej USA: każde oznacza podany obok przedział prawdopodobieństwa, tak by słowo znaczyło dla wszystkich na sali tę samą liczbę. Wybór określenia zapisuje podaną przy nim liczbę; w części „Albo wybierz liczbę” możesz podać każdą inną.",
	"The terms are those of the PHIA yardstick of UK Defence Intelligence: each stands for the range of probability shown beside it, so that a word means the same number to everyone in the room. Picking a term rates the number shown with it; under “Or pick a number” you can give any other.":          "To określenia skali PHIA brytyjskiego wywiadu wojskowego (UK Defence Intelligence): każde oznacza podany obok przedział prawdopodobieństwa, tak by słowo znaczyło dla wszystkich na sali tę samą liczbę. Wybór określenia zapisuje podaną przy nim liczbę; w części „Albo wybierz liczbę” możesz podać każdą inną.",
	"no term: outside the yardstick's ranges": "bez określenia: poza przedziałami skali",
	"The reason %s.": "Uzasadnienie: %s.",
	"Press “%s” at the bottom when you are done.":                   "Gdy skończysz, naciśnij „%s” na dole strony.",
	"Voting is closed for now. Your saved ratings are shown below.": "Głosowanie jest na razie zamknięte. Poniżej widzisz swoje zapisane oceny.",
	"Round %d is over.":                             "Runda %d dobiegła końca.",
	"Below each scale you see how the group rated.": "Pod każdą skalą widać, jak oceniła grupa.",
	"The next round may follow.":                    "Może nastąpić kolejna runda.",
	"This workshop has finished. Thank you! Your saved ratings are shown below.": "Warsztat się zakończył. Dziękujemy! Poniżej widzisz swoje zapisane oceny.",
	"Not saved: choose again.": "Nie zapisano: wybierz ponownie.",
	"Don't know":               "Nie wiem",
	"don't know":               "nie wiem",
	"Clear":                    "Wyczyść",
	// After "Wyczyść", for screen readers: criterion, then scenario.
	"%s for %s": "ocenę „%s” dla scenariusza „%s”",
	"Your rating lay outside the middle half of the group. If you keep it, please say why in the box below this scenario.": "Twoja ocena wypadła poza środkową połową ocen grupy. Jeśli przy niej zostajesz, napisz dlaczego w polu pod tym scenariuszem.",
	"Round %d: group median %s, middle half %s–%s.":                                                                        "Runda %d: mediana grupy %s, środkowa połowa %s–%s.",
	"Your rating: %s.":                    "Twoja ocena: %s.",
	"Group: no ratings yet":               "Grupa: na razie brak ocen",
	"Group: median":                       "Grupa: mediana",
	", middle half %s–%s, ":               ", środkowa połowa %s–%s, ",
	", %d don't know":                     ", „nie wiem”: %d",
	"Why? Your reasons for this scenario": "Dlaczego? Uzasadnij swoje oceny tego scenariusza",
	"(optional, anonymous)":               "(opcjonalnie, anonimowo)",
	"(optional; the facilitator sees your name next to it)": "(opcjonalnie; moderator zobaczy przy uzasadnieniu twoją nazwę)",
	"Save reason":   "Zapisz uzasadnienie",
	"Saved ✓":       "Zapisano ✓",
	"Cleared":       "Wyczyszczono",
	"Not saved yet": "Jeszcze nie zapisano",

	// The account page.
	"Your account":         "Twoje konto",
	"Signed in as":         "Zalogowano jako",
	"Organiser":            "Organizator",
	"Facilitator":          "Moderator",
	"Change your password": "Zmiana hasła",
	"This signs you out everywhere else; this browser stays signed in.": "Wszystkie inne sesje zostaną zakończone, a ta przeglądarka pozostanie zalogowana.",
	"Current password":                      "Obecne hasło",
	"New password (at least 10 characters)": "Nowe hasło (co najmniej 10 znaków)",
	"New password again":                    "Powtórz nowe hasło",
	"Change password":                       "Zmień hasło",
	"Where you are signed in":               "Gdzie korzystasz z konta",
	"No active sessions.":                   "Brak aktywnych sesji.",
	"Active sessions":                       "Aktywne sesje",
	"Browser":                               "Przeglądarka",
	"Last active":                           "Ostatnia aktywność",
	"Action":                                "Działanie",
	"Unknown browser":                       "Nieznana przeglądarka",
	// A session's browser and system: "Firefox on Linux".
	"A browser on %s": "Przeglądarka w systemie %s",
	"%s on %s":        "%s w systemie %s",
	"(this browser)":  "(ta przeglądarka)",
	"signed in":       "zalogowano",
	"Sign out":        "Wyloguj się",
	"End":             "Zakończ",
	// After "Zakończ" or "Wyloguj się", for screen readers.
	"the session of %s since %s":                              "(sesja: %s, od %s)",
	"Your password was changed. Every other session ended.":   "Hasło zostało zmienione. Wszystkie inne sesje zakończono.",
	"The session ended. That browser must sign in again.":     "Sesja została zakończona. W tamtej przeglądarce trzeba zalogować się ponownie.",
	"The two passwords differ. Type the same password twice.": "Hasła się różnią. Wpisz dwa razy to samo hasło.",
	// password.Check, under a password field. Worded so that no count
	// needs a plural form ("1024 znaki", "10 znaków").
	"The password is not valid text.": "Hasło nie jest poprawnym tekstem.",
	"Use at least %d characters.":     "Hasło jest za krótkie (minimalna liczba znaków: %d).",
	"Use at most %d characters.":      "Hasło jest za długie (maksymalna liczba znaków: %d).",

	// The people page (organisers).
	"Accounts": "Konta",
	"Email":    "E-mail",
	"Role":     "Rola",
	"State":    "Stan",
	"Sessions": "Sesje",
	"Since":    "Od",
	"(you)":    "(ty)",
	// Of an account.
	"Disabled":       "Wyłączone",
	"Active":         "Aktywne",
	"Enable":         "Włącz",
	"Disable":        "Wyłącz",
	"Reset link":     "Link do zmiany hasła",
	"for %s":         "dla %s",
	"Invite someone": "Zaproś kogoś",
	"You get a link to send them yourself. It works once, for 7 days.": "Otrzymasz link, który trzeba samodzielnie przekazać tej osobie. Działa jednorazowo przez 7 dni.",
	"Facilitator: runs their own decks and workshops":                  "Moderator: tworzy własne zestawy scenariuszy i prowadzi warsztaty",
	"Organiser: also sees every workshop and manages people":           "Organizator: dodatkowo widzi wszystkie warsztaty i zarządza użytkownikami",
	"Create invitation link":                                           "Utwórz link z zaproszeniem",
	"Open invitations":                                                 "Oczekujące zaproszenia",
	"None.":                                                            "Brak.",
	// Between an address and a date: "ala@example.org jako Moderator, ważne do 4 grudnia 2026, 10:00 UTC".
	"as %s, until": "jako %s, ważne do",
	"A new invitation for the same address replaces the old link.":     "Nowe zaproszenie na ten sam adres zastępuje poprzedni link.",
	"The account was disabled and its sessions ended.":                 "Konto zostało wyłączone, a jego sesje zakończone.",
	"The account was enabled: it can sign in again with its password.": "Konto zostało włączone: można znów się na nie zalogować dotychczasowym hasłem.",

	// One-time links: invitations and password resets.
	"Password reset link for": "Link do zmiany hasła dla",
	"Invitation link for":     "Link z zaproszeniem dla",
	"Copy this link and send it to them. It is shown only now.": "Skopiuj ten link i wyślij go tej osobie. Jest widoczny tylko teraz.",
	"It works once, until": "Działa jednorazowo i jest ważny do",
	"Using it ends all their sessions. A newer reset link replaces it.": "Jego użycie zakończy wszystkie sesje tej osoby. Nowszy link do zmiany hasła zastąpi ten.",
	"A newer invitation for the same address replaces it.":              "Nowsze zaproszenie na ten sam adres zastąpi ten link.",
	"Choose a new password": "Ustaw nowe hasło",
	// Before the account's address: "Konto ala@example.org."
	"For": "Konto",
	"You will be signed out everywhere else.": "Wszystkie inne sesje zostaną zakończone.",
	"Create your account":                     "Utwórz konto",
	"You were invited as":                     "Zaproszono cię jako",
	"with the email address":                  "z adresem e-mail",
	"Password again":                          "Powtórz hasło",
	"Set password and sign in":                "Ustaw hasło i zaloguj się",
})

var _ = addPolishPlurals(map[string][3]string{
	"You will rate %d scenarios.": {"Ocenisz %d scenariusz.", "Ocenisz %d scenariusze.", "Ocenisz %d scenariuszy."},
	"This workshop is full: it takes at most %d participants. Ask the facilitator.": {
		"Warsztat jest już pełny: może w nim uczestniczyć najwyżej %d osoba. Zapytaj moderatora.",
		"Warsztat jest już pełny: mogą w nim uczestniczyć najwyżej %d osoby. Zapytaj moderatora.",
		"Warsztat jest już pełny: może w nim uczestniczyć najwyżej %d osób. Zapytaj moderatora.",
	},
	"%d ratings": {"%d ocena", "%d oceny", "%d ocen"},
})
