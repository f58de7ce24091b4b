package views

import (
	"context"
	"strings"
	"testing"
)

func TestStrongCount(t *testing.T) {
	for _, c := range []struct {
		phrase string
		n      int
		want   string
	}{
		{"5 joined", 5, "<strong>5</strong> joined"},
		{"Oceniło: 4 z 14", 4, "Oceniło: <strong>4</strong> z 14"},
		{"14 z 4", 4, "14 z <strong>4</strong>"},
		{"no number <b>", 3, "no number &lt;b&gt;"},
	} {
		var b strings.Builder
		if err := strongCount(c.phrase, c.n).Render(context.Background(), &b); err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimSpace(b.String()); got != c.want {
			t.Errorf("strongCount(%q, %d) = %q, want %q", c.phrase, c.n, got, c.want)
		}
	}
}
