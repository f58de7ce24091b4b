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
		return nil, Errorf(EMalformed, "cannot read the CSV file: %v", err)
	}
	if len(data) > MaxDeckBytes {
		return nil, Errorf(ETooLarge, "the CSV file is larger than %d bytes", MaxDeckBytes)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a BOM from spreadsheet programs
	if !utf8.Valid(data) {
		return nil, Errorf(EInvalid, "the CSV file is not UTF-8 text: save it as \"CSV UTF-8\"")
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
				return nil, Errorf(EInvalid, "line %d: %v", pe.Line, pe.Err)
			}
			return nil, Errorf(EInvalid, "the CSV file cannot be read: %v", err)
		}
		line, _ := cr.FieldPos(0) // only valid after a successful Read
		if first && isHeader(rec) {
			cols = map[string]int{}
			for i, name := range rec {
				cols[columnName(name)] = i
			}
			if _, ok := cols["title"]; !ok {
				return nil, Errorf(EInvalid, "line 1: the header has no \"title\" column")
			}
			if _, ok := cols["narrative"]; !ok {
				return nil, Errorf(EInvalid, "line 1: the header has no \"narrative\" column")
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
			return nil, Errorf(EInvalid, "line %d: a scenario needs a title and a narrative", line)
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
				return nil, Errorf(EInvalid, "line %d, %s: %s", line, name, err)
			}
		}
		if len(out) == MaxScenarios {
			return nil, Errorf(EInvalid, "line %d: a deck holds at most %d scenarios", line, MaxScenarios)
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil, Errorf(EInvalid, "the CSV file holds no scenarios")
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

// DefaultCriteria are the criteria of a new deck, or of one made from a
// list of scenarios: Likelihood and Impact as the built-in deck has them,
// with their texts in those of langs that Foresight speaks (English,
// French and Polish). A language it does not speak is left for the author to fill in.
func DefaultCriteria(langs ...string) []Criterion {
	in := func(t Text) Text {
		out := Text{}
		for _, l := range langs {
			if s, ok := t[l]; ok {
				out[l] = s
			}
		}
		return out
	}
	labels := func(texts ...Text) []Label {
		var ls []Label
		for i, t := range texts {
			ls = append(ls, Label{Value: i + 1, Text: in(t)})
		}
		return ls
	}
	return []Criterion{
		{Key: "likelihood", Name: in(Text{"en": "Likelihood", "pl": "Prawdopodobieństwo", "fr": "Probabilité"}),
			Question: in(Text{"en": "How likely is this to happen within five years?", "pl": "Jak prawdopodobne jest, że dojdzie do tego w ciągu pięciu lat?", "fr": "Quelle est la probabilité que cela se produise d'ici cinq ans\u202f?"}),
			Kind:     KindScale, Min: 1, Max: 5, Step: 1, DontKnow: true,
			Labels: labels(Text{"en": "Very unlikely", "pl": "Bardzo mało prawdopodobne", "fr": "Très peu probable"}, Text{"en": "Unlikely", "pl": "Mało prawdopodobne", "fr": "Peu probable"},
				Text{"en": "Even chance", "pl": "Szanse pół na pół", "fr": "Chances égales"}, Text{"en": "Likely", "pl": "Prawdopodobne", "fr": "Probable"}, Text{"en": "Very likely", "pl": "Bardzo prawdopodobne", "fr": "Très probable"})},
		{Key: "impact", Name: in(Text{"en": "Impact", "pl": "Wpływ", "fr": "Impact"}),
			Question: in(Text{"en": "How large would the impact be?", "pl": "Jak duży byłby wpływ?", "fr": "Quelle serait l'ampleur de l'impact\u202f?"}),
			Kind:     KindScale, Min: 1, Max: 5, Step: 1, DontKnow: true,
			Labels: labels(Text{"en": "Negligible", "pl": "Znikomy", "fr": "Négligeable"}, Text{"en": "Minor", "pl": "Niewielki", "fr": "Mineur"}, Text{"en": "Moderate", "pl": "Umiarkowany", "fr": "Modéré"},
				Text{"en": "Major", "pl": "Duży", "fr": "Important"}, Text{"en": "Severe", "pl": "Bardzo poważny", "fr": "Très grave"})},
	}
}

// ImportDeck reads a deck file: JSON in the deck format, or CSV with the
// columns title, narrative and source (by name or content), whose texts are
// in language lang (a JSON deck names its own). The CLI uses it too.
func ImportDeck(filename string, data []byte, lang string) (Deck, error) {
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	if strings.EqualFold(path.Ext(filename), ".json") || bytes.HasPrefix(trimmed, []byte("{")) {
		return ParseDeck(bytes.NewReader(data))
	}
	if !IsLanguageCode(lang) {
		return Deck{}, FieldError("lang", "%q is not a language code", lang)
	}
	scenarios, err := ParseScenariosCSV(bytes.NewReader(data), lang)
	if err != nil {
		return Deck{}, err
	}
	title := strings.TrimSuffix(path.Base(filename), path.Ext(filename))
	if title == "" || title == "." {
		title = "Imported scenarios"
	}
	d := Deck{
		Schema: DeckSchema, Slug: Slugify(title), Languages: []string{lang},
		Title: Text{lang: Truncate(title, MaxTitleRunes)}, Criteria: DefaultCriteria(lang), Scenarios: scenarios,
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
