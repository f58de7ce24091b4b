//go:build race

package http_test

// raceDetector is true when the tests run with -race, which makes the
// server several times slower: load tests then use smaller crowds.
const raceDetector = true
