package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// Backup writes a consistent copy of the database to path while the server
// keeps running, and refuses to overwrite an existing file.
//
// The copy is made with VACUUM INTO on a connection of the read-only pool:
// VACUUM INTO reads the database in one read transaction, so the copy is the
// snapshot at the moment it began (every write committed before it, none
// after), and a WAL reader never takes the write lock: ratings keep being
// saved while it runs. It writes to a temporary file next to path, which is
// synced (SQLite does not fsync a VACUUM INTO target), checked with PRAGMA
// integrity_check, and only then linked to path, so path never names a
// partial or unchecked copy.
//
// On PostgreSQL it refuses: ErrBackupWithPgDump says what to use instead.
func (d *DB) Backup(ctx context.Context, path string) error {
	return d.dialect.backup(ctx, d, path)
}

// ErrBackupWithPgDump answers a backup of a PostgreSQL database: the
// database's own tool makes a consistent copy while the servers run.
var ErrBackupWithPgDump = errors.New("this database is PostgreSQL: back it up with PostgreSQL's own tool, " +
	"for example pg_dump --format=custom --file=foresight.dump 'postgres://…' (a consistent copy while the servers run; " +
	"restore it with pg_restore). See \"Serving many rooms\" in README.md")

// BackupFile backs up the database at dbPath to path as Backup does, through
// read-only connections of its own. Unlike Open it changes nothing in the
// source: no migrations, no checkpoint, so a newer binary can back up the
// live file of an older server without migrating it under that server.
func BackupFile(ctx context.Context, dbPath, path string) error {
	info, err := os.Stat(dbPath)
	if err != nil {
		return err // SQLite would create a missing file and back up nothing
	}
	if info.Size() == 0 {
		return refuseEmptyFile(dbPath)
	}
	src, err := sql.Open(driverName, dsn(dbPath, true))
	if err != nil {
		return err
	}
	defer src.Close()
	src.SetMaxOpenConns(1)
	var tables int
	if err := src.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE name = 'schema_migrations'`).Scan(&tables); err != nil {
		return fmt.Errorf("%s is not a usable SQLite database: %w", dbPath, err)
	}
	if tables == 0 {
		return fmt.Errorf("%s is not a Foresight database", dbPath)
	}
	return backup(ctx, src, path)
}

func backup(ctx context.Context, src *sql.DB, path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	if _, err := os.Lstat(abs); err == nil {
		return fmt.Errorf("%s already exists: give a new file name for the backup", path)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	dir := filepath.Dir(abs)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create backup folder: %w", err)
	}
	suffix := make([]byte, 8)
	rand.Read(suffix)
	tmp := filepath.Join(dir, "."+filepath.Base(abs)+".partial-"+hex.EncodeToString(suffix))
	defer os.Remove(tmp) // gone after the link below, or a failed attempt

	conn, err := src.Conn(ctx)
	if err != nil {
		return err
	}
	_, err = conn.ExecContext(ctx, `VACUUM INTO $1`, tmp)
	conn.Close()
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	res, err := CheckFile(ctx, tmp)
	if err != nil {
		return fmt.Errorf("check the backup: %w", err)
	}
	if res != "ok" {
		return fmt.Errorf("the backup failed its integrity check (%s); the database itself may be damaged", res)
	}
	// A hard link publishes the finished file under its name, atomically,
	// and fails if something took the name meanwhile.
	if err := os.Link(tmp, abs); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s already exists: give a new file name for the backup", path)
		}
		// A file system without hard links: rename, having checked above.
		if err := os.Rename(tmp, abs); err != nil {
			return err
		}
	}
	return syncFile(dir)
}

// syncFile flushes a file or folder to stable storage.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// IntegrityCheck runs PRAGMA integrity_check on a connection of the read
// pool and returns its report: "ok" for a healthy database, otherwise the
// problems found, separated by "; ". It reads the whole file.
func (d *DB) IntegrityCheck(ctx context.Context) (string, error) {
	return integrityCheck(ctx, d.reader, "integrity_check")
}

// CheckFile runs PRAGMA integrity_check on the SQLite file at path through a
// read-only connection that changes nothing (it does not even checkpoint a
// WAL left by a crash), and returns the report as IntegrityCheck does. Use it
// on backups and on files no server has open.
func CheckFile(ctx context.Context, path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(abs); err != nil {
		return "", err // SQLite would create a missing file even read-only
	}
	u := url.URL{Scheme: "file", Path: abs, RawQuery: "mode=ro"}
	db, err := sql.Open(driverName, u.String())
	if err != nil {
		return "", err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	return integrityCheck(ctx, db, "integrity_check")
}

// integrityCheck runs pragma (integrity_check or quick_check, with an
// optional limit of problems) and joins the lines of its report.
func integrityCheck(ctx context.Context, db *sql.DB, pragma string) (string, error) {
	rows, err := db.QueryContext(ctx, "PRAGMA "+pragma)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return "", err
		}
		lines = append(lines, strings.ReplaceAll(s, "\n", " "))
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	return strings.Join(lines, "; "), nil
}
