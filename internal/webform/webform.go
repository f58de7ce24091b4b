// Package webform reads the web pages' forms. A form is a type holding
// what the person typed, unchanged, so that a page with a problem shows it
// again as it was; ParseX reads it from the request. Check reports the
// form's own problems as a *workshop.Error naming the field, as the store
// reports its own, so that a handler shows both the same way. Methods give
// the domain values. The views render these types and the handlers read
// forms only through them (TestHandlersReadNoFields in internal/http).
//
// The deck editor's form, a larger one, has its own package: deckform.
package webform

import "net/http"

// parsed parses r's body and returns its fields. An error is the client's
// (a body that does not parse), which the web adapter answers with 400.
func parsed(r *http.Request) (get func(name string) string, err error) {
	if err := r.ParseForm(); err != nil {
		return nil, err
	}
	return r.PostForm.Get, nil
}
