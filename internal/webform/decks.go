package webform

import (
	"mime/multipart"
	"net/http"
)

// DeckImport is the deck import form, multipart: file (a JSON deck or a
// CSV file of scenarios) and csv-lang (a CSV file's language; a JSON deck
// names its own).
type DeckImport struct {
	File        multipart.File // the caller closes it
	Filename    string
	CSVLanguage string // "" when not chosen
}

// ParseDeckImport reads the import form; its error is FormFile's, for the
// caller to tell a missing file from a body too large or unreadable.
func ParseDeckImport(r *http.Request) (DeckImport, error) {
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return DeckImport{}, err
	}
	return DeckImport{File: file, Filename: hdr.Filename, CSVLanguage: r.FormValue("csv-lang")}, nil
}
