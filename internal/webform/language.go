package webform

import (
	"net/http"

	"foresight/internal/i18n"
	"foresight/internal/workshop"
)

// Language is the language switcher's form: lang, and next (the page to
// return to).
type Language struct {
	Lang, Next string
}

// ParseLanguage reads the switcher's form. A body that does not parse
// reads as no choice, which Check refuses.
func ParseLanguage(r *http.Request) Language {
	return Language{Lang: r.PostFormValue("lang"), Next: r.PostFormValue("next")}
}

func (f Language) Check() error {
	if !i18n.Supported(f.Lang) {
		return workshop.FieldError("lang", "error.choose_one_languages_offered")
	}
	return nil
}
