package reliability

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServeRefusesCorruptFile damages copies of a database (garbage over
// its pages, or cut short) and starts the server on each: it must exit
// with status 1 before serving, with a message that names the file and
// says what to do.
func TestServeRefusesCorruptFile(t *testing.T) {
	e := newEnv(t) // the CLI closed the file: everything is in the main file
	good, err := os.ReadFile(e.db)
	if err != nil {
		t.Fatal(err)
	}
	const page = 4096
	for _, tt := range []struct {
		name   string
		damage func([]byte) []byte
	}{
		{"garbage over pages", func(b []byte) []byte {
			for off := 2 * page; off+page <= len(b); off += 3 * page {
				copy(b[off:off+page], bytes.Repeat([]byte("garbage!"), page/8))
			}
			return b
		}},
		{"cut short", func(b []byte) []byte { return b[:len(b)/3/page*page] }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "damaged.db")
			if err := os.WriteFile(db, tt.damage(append([]byte(nil), good...)), 0o600); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, "serve", "--addr", freeAddr(t), "--db", db)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			cmd.Run()
			if code := cmd.ProcessState.ExitCode(); code != 1 {
				t.Fatalf("serve on a damaged file: exit code %d, want 1; output:\n%s", code, out.String())
			}
			msg := out.String()
			for _, want := range []string{db, "restore the latest backup", "Backup and restore"} {
				if !strings.Contains(msg, want) {
					t.Errorf("the message does not contain %q:\n%s", want, msg)
				}
			}
			if strings.Contains(msg, "is serving") {
				t.Errorf("the server served a damaged file:\n%s", msg)
			}
		})
	}
}
