package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"foresight/internal/export"
	"foresight/internal/store"
	"foresight/internal/workshop"
)

// exportCmd runs "foresight export --db PATH --workshop CODE --format
// csv|summary|rationales|scores|ideas|json|xlsx [--out FILE]": the downloads of the
// workshop page, from one consistent snapshot of the database, also while
// the server runs and people vote. Without --out the file goes to standard
// output; with it, the file appears under its name only once complete.
func exportCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("export", stderr)
	dbPath := dbFlag(fs, "the server may be running")
	code := fs.String("workshop", "", "the workshop's join code, e.g. K7QF-M2XD")
	var names []string
	for _, f := range export.Formats {
		names = append(names, f.Name)
	}
	formatName := fs.String("format", "", strings.Join(names, ", ")+`: "csv" is the ratings, one row each; "summary" the statistics`)
	out := fs.String("out", "", "file to write (default: standard output)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 || *code == "" || *formatName == "" {
		return errors.New("usage: foresight export --db PATH --workshop CODE --format " + strings.Join(names, "|") + " [--out FILE]")
	}
	format, ok := export.FormatNamed(*formatName)
	if !ok {
		return fmt.Errorf("--format %q: use one of %s", *formatName, strings.Join(names, ", "))
	}
	canonical, ok := workshop.NormalizeCode(*code)
	if !ok {
		return fmt.Errorf("--workshop %q is not a join code", *code)
	}
	// Open would create a missing database and export from an empty one.
	if !store.IsPostgresURL(*dbPath) {
		if _, err := os.Stat(*dbPath); err != nil {
			return fmt.Errorf("--db: %w", err)
		}
	}
	db, err := store.Open(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()

	write := func(w io.Writer) error {
		err := exportTo(ctx, db, canonical, format, w)
		if workshop.ErrorCode(err) == workshop.ENotFound {
			return fmt.Errorf("--workshop %s: %w", workshop.GroupCode(canonical), err)
		}
		return err
	}
	if *out == "" {
		bw := bufio.NewWriterSize(stdout, 64<<10)
		if err := write(bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	return writeFileAtomic(*out, write)
}

// exportTo writes one export of workshop code to w, from one snapshot.
func exportTo(ctx context.Context, db *store.DB, code string, format export.Format, w io.Writer) error {
	return db.ExportWorkshop(ctx, code, func(rec *workshop.Record) error {
		return format.Write(w, export.NewSource(rec, workshop.DefaultLanguage))
	})
}

// writeFileAtomic writes a file next to its final name and renames it into
// place once complete: a failed export leaves no half file behind. The file
// is readable by its owner only, like the database it comes from.
func writeFileAtomic(name string, write func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriterSize(tmp, 64<<10)
	if err := write(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}
