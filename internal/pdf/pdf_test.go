package pdf

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"testing"
	"time"

	"foresight/internal/workshop"
)

// chromium is Debian's Chromium; without it the printing test skips,
// unless FORESIGHT_E2E=required (as CI sets it).
func chromium(t *testing.T) string {
	t.Helper()
	const path = "/usr/bin/chromium"
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("FORESIGHT_E2E") == "required" {
			t.Fatalf("FORESIGHT_E2E=required but %s is missing", path)
		}
		t.Skipf("printing needs %s (apt-get install -y chromium)", path)
	}
	return path
}

// A document prints on A4, with its headings as the PDF's outline, and its
// scripts do not run.
func TestPrint(t *testing.T) {
	const doc = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Test</title>
<style>@page { size: A4; margin: 20mm } h1 { break-before: page }</style></head>
<body><h1>First heading</h1><p>One.</p><h1>Second heading</h1><p>Two.</p>
<script>document.querySelector("h1").textContent = "Scripted heading"</script></body></html>`
	out, err := Print(context.Background(), chromium(t), doc)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(out, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %.20q", out)
	}
	if !regexp.MustCompile(`/MediaBox \[0 0 59[45](\.\d+)? 84[12](\.\d+)?\]`).Match(out) {
		t.Fatal("the pages are not A4")
	}
	for _, h := range []string{"First heading", "Second heading"} {
		if !bytes.Contains(out, []byte("/Title ("+h+")")) {
			t.Fatalf("the outline lacks %q", h)
		}
	}
	if bytes.Contains(out, []byte("Scripted")) {
		t.Fatal("the document's script ran")
	}
}

// When every slot is taken until the caller gives up, Print says the
// server is busy (429), without starting a browser.
func TestPrintWhenBusy(t *testing.T) {
	for range cap(slots) {
		slots <- struct{}{}
	}
	defer func() {
		for range cap(slots) {
			<-slots
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := Print(ctx, "/nonexistent/chromium", "<p>x</p>")
	if got := workshop.ErrorCode(err); got != workshop.ETooMany {
		t.Fatalf("error %v (%s), want %s", err, got, workshop.ETooMany)
	}
}

// A browser that cannot start is an error that names it.
func TestPrintWithoutBrowser(t *testing.T) {
	_, err := Print(context.Background(), "/nonexistent/chromium", "<p>x</p>")
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte("/nonexistent/chromium")) {
		t.Fatalf("error %v, want one naming the browser", err)
	}
}
