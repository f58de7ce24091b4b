package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"foresight/internal/store"
)

// backupCmd runs "foresight backup --db PATH --out FILE": a consistent copy
// of the database, made while the server keeps serving (VACUUM INTO on a
// read snapshot), checked with integrity_check before it gets its name.
func backupCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("backup", stderr)
	dbPath := dbFlag(fs, "the SQLite file to copy while the server runs (PostgreSQL: use pg_dump)")
	out := fs.String("out", "", "the backup file to write; it must not exist yet")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		return errors.New("usage: foresight backup --db PATH --out FILE")
	}
	if store.IsPostgresURL(*dbPath) {
		return store.ErrBackupWithPgDump
	}
	if _, err := os.Stat(*dbPath); err != nil {
		return fmt.Errorf("--db: %w", err)
	}
	start := time.Now()
	// Not store.Open: a backup must not migrate the file under the server.
	if err := store.BackupFile(ctx, *dbPath, *out); err != nil {
		return err
	}
	info, err := os.Stat(*out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Backed up %s to %s (%d bytes, %s); integrity_check: ok\n", *dbPath, *out, info.Size(), time.Since(start).Round(time.Millisecond))
	return nil
}
