// Package pdf prints HTML documents to PDF with a headless Chromium. It
// knows nothing of the web adapter: the caller renders the document, with
// everything it needs inlined, and serves the bytes.
package pdf

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"foresight/internal/workshop"
)

// Timeout bounds one printing, Chromium's start included.
const Timeout = 30 * time.Second

// slots limits how many Chromiums print at once.
var slots = make(chan struct{}, 2)

// Print prints an HTML document to A4 PDF with the Chromium at
// chromiumPath. The browser runs headless, with a fresh profile, no
// background networking, JavaScript off and a time limit; the document is
// set directly, not loaded from a URL, so no request reaches this server or
// any other. Chromium's sandbox stays on unless the process runs as root,
// where Chromium refuses to start with it: run the server as an ordinary
// user to keep it.
func Print(ctx context.Context, chromiumPath, html string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	select {
	case slots <- struct{}{}:
		defer func() { <-slots }()
	case <-ctx.Done():
		return nil, workshop.Errorf(workshop.ETooMany, "error.server_busy_printing_other")
	}
	dir, err := os.MkdirTemp("", "foresight-chromium-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.UserDataDir(dir),
		chromedp.DisableGPU,
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("disable-component-update", true),
	)
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	// The time limit is on the allocator: when it ends, the browser ends.
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	debug := func(format string, args ...any) { slog.Debug("chromium: " + fmt.Sprintf(format, args...)) }
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx, chromedp.WithLogf(debug), chromedp.WithErrorf(debug))
	defer cancelBrowser()
	pdf, err := chromedp.Run(browserCtx, printDocument(html))
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("print PDF: gave up after %v: %w", Timeout, err)
		}
		return nil, fmt.Errorf("print PDF with %s: %w", chromiumPath, err)
	}
	return pdf, nil
}

// printDocument sets the document of a blank tab and prints it on A4, with
// the page size, margins and page numbers of the document's print CSS, and
// a PDF outline of its headings.
func printDocument(html string) chromedp.Action[[]byte] {
	return func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		if _, err := chromedp.Navigate("about:blank")(ctx, t); err != nil {
			return nil, err
		}
		if _, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			return nil, err
		}
		tree, err := cdp.Call(ctx, t, page.GetFrameTree, cdp.Empty{})
		if err != nil {
			return nil, err
		}
		if tree.FrameTree == nil || tree.FrameTree.Frame == nil {
			return nil, errors.New("the browser's tab has no frame")
		}
		if _, err := cdp.Call(ctx, t, page.SetDocumentContent, page.SetDocumentContentParams{FrameID: tree.FrameTree.Frame.ID, HTML: html}); err != nil {
			return nil, err
		}
		return chromedp.PrintToPDF(
			chromedp.PDFPaper(chromedp.PaperA4),
			chromedp.PDFPreferCSSPageSize(),
			chromedp.PDFPrintBackground(),
			chromedp.PDFOutlineAndTagged(),
			chromedp.PDFStream(),
		)(ctx, t)
	}
}
