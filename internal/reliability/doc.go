// Package reliability holds whole-system durability tests: they build the
// real foresight binary, serve a temporary database on 127.0.0.1, drive it
// over HTTP with many clients, then kill it (SIGKILL) or stop it (SIGTERM),
// restart it, and check that every rating the server acknowledged is still
// there and that the file passes PRAGMA integrity_check.
//
// The default run is sized to finish in well under a minute on two cores.
// FORESIGHT_SOAK=1 runs the long variants (10 crash rounds with 200 raters,
// 60 seconds of raters plus exports); -short skips the package.
// docs/reliability.md describes each test and the numbers measured.
//
// The package has no code of its own: only this comment and tests.
package reliability
