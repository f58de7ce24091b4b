package workshop

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode/utf8"
)

// ParseScenariosCSV reads scenarios from CSV with the columns title,
// narrative and source (a header row naming them is optional; source may be
// left out). Text goes into language lang. Errors name the line.
func ParseScenariosCSV(r io.Reader, lang string) ([]Scenario, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxDeckBytes+1))
	if err != nil {
		return nil, Errorf(EMalformed, "error.cannot_read_csv_file", err)
	}
	if len(data) > MaxDeckBytes {
		return nil, Errorf(ETooLarge, "error.csv_file_larger_than", MaxDeckBytes)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a BOM from spreadsheet programs
	if !utf8.Valid(data) {
		return nil, Errorf(EInvalid, "error.csv_file_not_utf")
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	var out []Scenario
	cols := map[string]int{"title": 0, "narrative": 1, "source": 2}
	for first := true; ; first = false {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, Errorf(EInvalid, "error.line_n", pe.Line, pe.Err)
			}
			return nil, Errorf(EInvalid, "error.csv_file_cannot_read", err)
		}
		line, _ := cr.FieldPos(0) // only valid after a successful Read
		if first && isHeader(rec) {
			cols = map[string]int{}
			for i, name := range rec {
				cols[columnName(name)] = i
			}
			if _, ok := cols["title"]; !ok {
				return nil, Errorf(EInvalid, "error.line_1_header_no_title")
			}
			if _, ok := cols["narrative"]; !ok {
				return nil, Errorf(EInvalid, "error.line_1_header_no")
			}
			continue
		}
		get := func(name string) string {
			if i, ok := cols[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if strings.Join(rec, "") == "" {
			continue // a blank line
		}
		s := Scenario{
			Key:       fmt.Sprintf("s%d", len(out)+1),
			Title:     Text{lang: get("title")},
			Narrative: Text{lang: CleanText(get("narrative"))},
		}
		if src := CleanText(get("source")); src != "" {
			s.Source = Text{lang: src}
		}
		if s.Title[lang] == "" || s.Narrative[lang] == "" {
			return nil, Errorf(EInvalid, "error.line_scenario_needs_title", line)
		}
		for name, t := range map[string]string{"title": s.Title[lang], "narrative": s.Narrative[lang], "source": s.Source[lang]} {
			limit := MaxTextRunes
			if name != "narrative" {
				limit = MaxTitleRunes * 2
			}
			if name == "title" {
				limit = MaxTitleRunes
			}
			check := CheckText
			if name == "title" {
				check = CheckLine
			}
			if err := check(t, limit); err != nil {
				return nil, Errorf(EInvalid, "error.line", line, name, err)
			}
		}
		if len(out) == MaxScenarios {
			return nil, Errorf(EInvalid, "error.line_deck_holds_most", line, MaxScenarios)
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil, Errorf(EInvalid, "error.csv_file_holds_no")
	}
	return out, nil
}

// isHeader reports whether a first row names columns rather than holding a
// scenario: it names one of the known columns.
func isHeader(rec []string) bool {
	for _, f := range rec {
		switch columnName(f) {
		case "title", "narrative", "source":
			return true
		}
	}
	return false
}

// columnName is the column a header cell names; the Polish and French
// names are accepted too, for files written in those interfaces.
func columnName(cell string) string {
	name := strings.ToLower(strings.TrimSpace(cell))
	switch name {
	case "tytuł", "titre":
		return "title"
	case "narracja", "opis", "récit", "narration":
		return "narrative"
	case "źródło":
		return "source"
	}
	return name
}

// Slugify makes a deck slug from a title: lower-case ASCII letters and
// digits joined by hyphens, at most 40 characters. Polish letters lose their
// diacritics ("Przyszłość" is "przyszlosc"), and French ones too ("Sécurité
// européenne" is "securite-europeenne"), so that a deck written in Polish
// or French gets a slug of words rather than of fragments.
func Slugify(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range foldedLetters.Replace(strings.ToLower(title)) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case b.Len() > 0 && !dash:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 40 {
			break
		}
	}
	s := strings.Trim(b.String(), "-")
	if s == "" {
		s = "deck"
	}
	return s
}

// CSVDefaults is what a deck made from a CSV list of scenarios gets besides
// them, in the file's language: the criteria, and the title of a file whose
// name gives none. The deck editor's package makes them from the catalogs.
type CSVDefaults struct {
	Criteria []Criterion
	Title    string
}

// ImportDeck reads a deck file: JSON in the deck format, or CSV with the
// columns title, narrative and source (by name or content), whose texts are
// in language lang (a JSON deck names its own), with defaults for what a
// CSV file does not hold. The CLI uses it too.
func ImportDeck(filename string, data []byte, lang string, defaults CSVDefaults) (Deck, error) {
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	if strings.EqualFold(path.Ext(filename), ".json") || bytes.HasPrefix(trimmed, []byte("{")) {
		return ParseDeck(bytes.NewReader(data))
	}
	if !IsLanguageCode(lang) {
		return Deck{}, FieldError("lang", "error.not_language_code", lang)
	}
	scenarios, err := ParseScenariosCSV(bytes.NewReader(data), lang)
	if err != nil {
		return Deck{}, err
	}
	title := strings.TrimSuffix(path.Base(filename), path.Ext(filename))
	if title == "" || title == "." {
		title = defaults.Title
	}
	d := Deck{
		Schema: DeckSchema, Slug: Slugify(title), Languages: []string{lang},
		Title: Text{lang: Truncate(title, MaxTitleRunes)}, Criteria: defaults.Criteria, Scenarios: scenarios,
	}
	return d, d.Validate()
}

var foldedLetters = strings.NewReplacer("ą", "a", "ć", "c", "ę", "e", "ł", "l", "ń", "n", "ó", "o", "ś", "s", "ź", "z", "ż", "z",
	"à", "a", "â", "a", "ä", "a", "ç", "c", "é", "e", "è", "e", "ê", "e", "ë", "e", "î", "i", "ï", "i",
	"ô", "o", "ö", "o", "ù", "u", "û", "u", "ü", "u", "ÿ", "y", "œ", "oe", "æ", "ae")

// Truncate cuts s to at most n characters.
func Truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
