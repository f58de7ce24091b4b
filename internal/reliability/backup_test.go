package reliability

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"foresight/internal/store"
)

// TestBackupUnderLoadAndRestore runs "foresight backup" while raters keep
// the server busy, then restores the copy the way README.md says (a server
// started on the copy) and reads the ratings back through it: the copy
// passes integrity_check and holds every rating acknowledged before the
// backup began. The raters see no failure while it runs.
func TestBackupUnderLoadAndRestore(t *testing.T) {
	raters := size(50, 200)
	e := newEnv(t)
	tr := newTransport()
	defer tr.CloseIdleConnections()
	srv := e.start(t)
	ps := e.join(t, tr, raters)
	m := e.meta(t, ps[0])
	l := newLedger()
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	wait := e.load(ctx, ps, m, l, 5*time.Millisecond)
	waitAcks(l, 0, int64(raters*size(4, 20)))

	before, inFlight, mark := l.snapshot()
	out := filepath.Join(e.dir, "backups", "copy.db")
	start := time.Now()
	cmd := exec.Command(bin, "backup", "--db", e.db, "--out", out)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	took := time.Since(start)
	during := l.acks.Load()
	waitAcks(l, during, int64(raters)) // writes go on after it, too
	stop()
	wait()
	if err != nil {
		t.Fatalf("foresight backup under load: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "integrity_check: ok") {
		t.Fatalf("foresight backup said %q", stdout.String())
	}
	if f := l.fails.Load(); f > 0 {
		t.Fatalf("%d ratings failed while the backup ran, e.g. %v", f, l.badMsg.Load())
	}
	if locked := srv.lockErrors(); len(locked) > 0 {
		t.Fatalf("the server reported lock contention: %s", locked[0])
	}
	if res, err := store.CheckFile(context.Background(), out); err != nil || res != "ok" {
		t.Fatalf("integrity_check of the backup: %q, %v", res, err)
	}
	if code, _ := srv.terminate(); code != 0 {
		t.Fatalf("SIGTERM: exit code %d", code)
	}

	// Restore: a server started on the copy, on another port; the
	// participants' cookies still work, their keys being in the database.
	restored := &env{dir: e.dir, db: out, addr: freeAddr(t), code: e.code, email: e.email, password: e.password}
	restored.base = "http://" + restored.addr
	srv2 := restored.startOn(t, restored.db, restored.addr)
	e.servers = append(e.servers, srv2)
	got := restored.stored(t, ps)
	missing, changed := 0, 0
	for k, v := range before {
		sv, ok := got[k.p][k.it]
		switch {
		case !ok:
			missing++
		case sv != v && !slices.Contains(inFlight[k], sv) && !l.sentAfter(k, mark):
			changed++
		}
	}
	if missing > 0 || changed > 0 {
		t.Fatalf("of %d ratings acknowledged before the backup began, the copy lacks %d and has %d with a value never sent", len(before), missing, changed)
	}
	if code, _ := srv2.terminate(); code != 0 {
		t.Fatalf("the restored server: exit code %d", code)
	}
	t.Logf("backup under %d raters took %v; %d ratings acknowledged while it ran, none failed; the restored copy holds all %d acknowledged before it began (%d acknowledged by the end)",
		raters, took.Round(time.Millisecond), during-int64(len(before)), len(before), l.acks.Load())
}
