// Package e2e holds the browser tests: Debian's Chromium, driven by
// chromedp, against the real server on a real temporary database. They skip
// with a message when Chromium is missing, unless FORESIGHT_E2E=required.
package e2e
