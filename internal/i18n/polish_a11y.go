package i18n

// Strings of accessibility, small screens and bad connections: the
// participant page's messages while a rating travels, the text versions of
// the charts, the live announcements.
var _ = addPolish(map[string]string{
	"Saving…":                "Zapisywanie…",
	"The numbers as a table": "Liczby w tabeli",
	"Rating":                 "Ocena",
	"Number of ratings":      "Liczba ocen",
	"Not sent yet: no connection. Your choice is kept and will be sent again by itself.": "Jeszcze nie wysłano: brak połączenia. Twój wybór jest zachowany i zostanie wysłany ponownie automatycznie.",
	"Not done: no connection to the server. Try again in a moment.":                      "Nie wykonano: brak połączenia z serwerem. Spróbuj ponownie za chwilę.",
})
