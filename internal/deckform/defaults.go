package deckform

import (
	"context"

	"foresight/internal/i18n"
	"foresight/internal/workshop"
)

// DefaultCriteria are the criteria of a new deck, or of one made from a
// list of scenarios: Likelihood and Impact as the built-in deck has them,
// with their texts from the catalogs in those of langs that Foresight
// speaks. A language it does not speak is left for the author to fill in.
func DefaultCriteria(langs ...string) []workshop.Criterion {
	// texts is a message in each of langs (the id written out, so that the
	// catalogs' tests see it used).
	texts := func(id string) workshop.Text {
		out := workshop.Text{}
		for _, l := range langs {
			if i18n.Supported(l) {
				out[l] = i18n.TextsIn(l)(id)
			}
		}
		return out
	}
	scale := func(key string, name, question workshop.Text, labels ...workshop.Text) workshop.Criterion {
		c := workshop.Criterion{Key: key, Name: name, Question: question, Kind: workshop.KindScale, Min: 1, Max: len(labels), Step: 1, DontKnow: true}
		for i, l := range labels {
			c.Labels = append(c.Labels, workshop.Label{Value: i + 1, Text: l})
		}
		return c
	}
	return []workshop.Criterion{
		scale("likelihood", texts("newdeck.likelihood"), texts("newdeck.likelihood_question"),
			texts("newdeck.likelihood_1"), texts("newdeck.likelihood_2"), texts("newdeck.likelihood_3"), texts("newdeck.likelihood_4"), texts("newdeck.likelihood_5")),
		scale("impact", texts("newdeck.impact"), texts("newdeck.impact_question"),
			texts("newdeck.impact_1"), texts("newdeck.impact_2"), texts("newdeck.impact_3"), texts("newdeck.impact_4"), texts("newdeck.impact_5")),
	}
}

// CSVDefaults are what a deck made from a CSV list of scenarios in lang gets
// besides them.
func CSVDefaults(lang string) workshop.CSVDefaults {
	return workshop.CSVDefaults{Criteria: DefaultCriteria(lang), Title: i18n.T(i18n.WithLang(context.Background(), lang), "newdeck.imported_scenarios")}
}
