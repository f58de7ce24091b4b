package http

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/a-h/templ"
)

// BenchmarkSSEHTML renders one live fragment as an event (sseHTML), as the
// hub does once per update for all subscribers of a kind: a results panel
// of about 36 KB in 900 lines (ResultsPanel's size), and a participant's
// group update of about 3 KB. allocs/op and B/op are the garbage of one
// frame; the frame itself is kept (subscribers hold it).
func BenchmarkSSEHTML(b *testing.B) {
	for _, size := range []struct {
		name  string
		lines int
	}{{"results-36KB", 900}, {"group-3KB", 75}} {
		b.Run(size.name, func(b *testing.B) {
			lines := make([][]byte, size.lines)
			for i := range lines {
				lines[i] = fmt.Appendf(nil, "<p id=\"l%d\">%s</p>\n", i, strings.Repeat("x", 30))
			}
			// Like templ's code: many small writes into the buffer.
			c := templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
				for _, l := range lines {
					if _, err := w.Write(l); err != nil {
						return err
					}
				}
				return nil
			})
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if f := sseHTML(ctx, "results", c); len(f) == 0 {
					b.Fatal("empty frame")
				}
			}
		})
	}
}
