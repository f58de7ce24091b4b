package views

import (
	"context"
	"testing"

	"foresight/internal/i18n"
	"foresight/internal/workshop"
)

// Percentages carry the percent sign as each language writes it: straight
// after the number in English and Polish (as before French came), after
// a narrow no-break space in French.
func TestPercentSigns(t *testing.T) {
	pct := workshop.Criterion{Kind: workshop.KindPercent, Min: 0, Max: 100, Step: 5}
	scale := workshop.Criterion{Kind: workshop.KindScale, Min: 1, Max: 5, Step: 1}
	quarter := 0.25
	for lang, want := range map[string][3]string{
		"en": {"25%", "65%", "4"},
		"pl": {"25%", "65%", "4"},
		"fr": {"25\u202f%", "65\u202f%", "4"},
	} {
		ctx := i18n.WithLang(context.Background(), lang)
		got := [3]string{share(ctx, &quarter), pointText(ctx, pct, 65), pointText(ctx, scale, 4)}
		if got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
	if got := share(context.Background(), nil); got != "–" {
		t.Errorf("no value: %q", got)
	}
}
