package views

import (
	"context"
	"strings"

	"foresight/internal/deckform"
	"foresight/internal/i18n"
	"foresight/internal/workshop"
)

// textField is one text of the deck editor, shown in a slot for each of
// the deck's languages.
type textField struct {
	Field    string        // its name in deckform, e.g. deckform.ScenarioField(0, "title")
	Label    string        // translated, without the language
	Text     workshop.Text // what it holds in each language
	Required bool          // in the deck's own language; optional in the others
	Rows     int           // a text area of Rows rows; 0 for one line
	Max      int           // characters
	Help     string        // the ID of a text that describes every slot, or ""
}

// slotLabel is the label of a text's slot in lang: "Title — Polish", with
// "(optional)" where the text may be left empty.
func slotLabel(ctx context.Context, label, lang string, optional bool) string {
	if optional {
		return i18n.Tf(ctx, "decks.field_in_language_optional", label, i18n.LanguageName(ctx, lang))
	}
	return i18n.Tf(ctx, "decks.field_in_language", label, i18n.LanguageName(ctx, lang))
}

// describedBy joins the IDs of the texts that describe a field, leaving
// out those it has not.
func describedBy(ids ...string) string {
	var out []string
	for _, id := range ids {
		if id != "" {
			out = append(out, id)
		}
	}
	return strings.Join(out, " ")
}

// errorID is the ID of a field's problem, when it has one.
func errorID(name, problem string) string {
	if problem == "" {
		return ""
	}
	return name + "-error"
}

// textareaValue keeps a text area's leading newline: the HTML parser
// drops one newline right after <textarea>, and a signpost left empty in
// one language must keep the lines below it in place.
func textareaValue(v string) string {
	if strings.HasPrefix(v, "\n") {
		return "\n" + v
	}
	return v
}

// languageNames lists a deck's languages by name in the reader's language.
func languageNames(ctx context.Context, langs []string) string {
	names := make([]string, len(langs))
	for i, lang := range langs {
		names[i] = i18n.LanguageName(ctx, lang)
	}
	return strings.Join(names, ", ")
}

// yardsticks are the yardsticks a percent criterion may name, in the
// order the editor offers them.
func yardsticks() []workshop.Yardstick {
	var out []workshop.Yardstick
	for _, key := range workshop.YardstickKeys {
		y, _ := workshop.YardstickOf(key)
		out = append(out, y)
	}
	return out
}

// bandTerms are a yardstick's terms with their ranges, in the reader's
// language, each but the last with its comma: "almost no chance
// (1–5 %),". A range never breaks before its percent sign.
func bandTerms(ctx context.Context, y workshop.Yardstick) []string {
	terms := make([]string, len(y.Bands))
	for i, b := range y.Bands {
		terms[i] = unbreakable(b.Describe(i18n.Texts(ctx)))
		if i < len(y.Bands)-1 {
			terms[i] += ","
		}
	}
	return terms
}

// kindOf is the kind the editor shows checked: a scale unless the
// criterion is one of the other kinds.
func kindOf(c deckform.Criterion) string {
	switch c.Kind {
	case workshop.KindPercent, workshop.KindConfidence:
		return c.Kind
	}
	return workshop.KindScale
}
