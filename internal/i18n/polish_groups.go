package i18n

// Expert groups: the communities of a mixed panel, chosen on the join
// page, named in the settings, and compared wherever results show. The
// domain's rules about group names are in polish_estimates.go.
var _ = addPolish(map[string]string{
	// The join page.
	"Your group": "Twoja grupa",
	"The results compare the groups' ratings.": "Wyniki porównują oceny grup.",
	"Choose the group you belong to.":          "Wybierz grupę, do której należysz.",
	"Choose one of this workshop's groups.":    "Wybierz jedną z grup tego warsztatu.",

	// The settings.
	"Expert groups (optional): 2 to 12 names, one per line or separated by commas. Participants choose theirs when they join, and the results show where the groups disagree.": "Grupy eksperckie (opcjonalnie): od 2 do 12 nazw, po jednej w wierszu albo rozdzielonych przecinkami. Uczestnicy wybierają swoją przy dołączaniu, a wyniki pokazują, gdzie grupy się różnią.",
	"Expert groups": "Grupy eksperckie",
	"Groups can be changed only in the lobby, before voting opens.":  "Grupy można zmieniać tylko w poczekalni, zanim zacznie się głosowanie.",
	"A group's name cannot hold a comma: commas separate the names.": "Nazwa grupy nie może zawierać przecinka: przecinki oddzielają nazwy.",

	// The results, the projector and the report.
	"Groups disagree:": "Grupy się różnią:",
	"Groups disagree":  "Grupy się różnią",
	"(n %d)":           "(n %d)",
	": each participant chose one of %d groups (%s). Two groups disagree on an item when each has at least three ratings, their medians lie at least a quarter of the scale's range apart and their middle halves (Q1 to Q3) do not overlap; the tables then show each group's median.": ": każdy uczestnik wybrał jedną z %d grup (%s). Dwie grupy różnią się w ocenie pozycji, gdy każda ma co najmniej trzy oceny, ich mediany dzieli co najmniej ćwierć zakresu skali, a ich środkowe połowy (od Q1 do Q3) nie zachodzą na siebie; tabele pokazują wtedy medianę każdej grupy.",

	// The API.
	"must be the ID of one of the workshop's groups": "musi być identyfikatorem jednej z grup warsztatu",
	"This workshop has no group %d.":                 "Ten warsztat nie ma grupy %d.",

	// The workshop's log (see polish_log.go: the action as a noun).
	"removed the expert groups": "usunięcie grup eksperckich",
	"set the expert groups: %s": "ustawienie grup eksperckich: %s",
})
