package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// The password of "user add" and "user passwd" comes on standard input and
// goes nowhere else: not to the output, not into an error, right or wrong.
func TestCLIPrintsNoPassword(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cli.db")
	for _, c := range []struct {
		password string
		args     []string
		ok       bool
	}{
		{"first-Secret-111", []string{"user", "add", "--db", db, "--email", "fac@example.org"}, true},
		{"short-22", []string{"user", "add", "--db", db, "--email", "b@example.org"}, false},
		{"dupe-Secret-333", []string{"user", "add", "--db", db, "--email", "fac@example.org"}, false},
		{"second-Secret-444", []string{"user", "passwd", "--db", db, "--email", "fac@example.org"}, true},
		{"short-55", []string{"user", "passwd", "--db", db, "--email", "fac@example.org"}, false},
		{"nobody-Secret-666", []string{"user", "passwd", "--db", db, "--email", "nobody@example.org"}, false},
	} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), c.args, strings.NewReader(c.password+"\n"), &out, &errOut)
		if (err == nil) != c.ok {
			t.Fatalf("%v: error %v, want ok=%v", c.args, err, c.ok)
		}
		all := out.String() + errOut.String()
		if err != nil {
			all += err.Error()
		}
		if strings.Contains(all, c.password) {
			t.Fatalf("%v printed the password: %q", c.args, all)
		}
	}
}
