package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"foresight/internal/i18n"
)

// localesFlag defines --locales, a directory of interface catalogs (xx.json)
// read over the built-in ones; FORESIGHT_LOCALES gives its default.
func localesFlag(fs *flag.FlagSet) *string {
	return fs.String("locales", os.Getenv("FORESIGHT_LOCALES"),
		"directory of interface catalogs (xx.json, by language code) that add languages or replace built-in messages (default: $FORESIGHT_LOCALES)")
}

// loadLocales reads the catalogs of dir, if one is given.
func loadLocales(dir string) error {
	if dir == "" {
		return nil
	}
	if err := i18n.Load(dir); err != nil {
		return fmt.Errorf("--locales: %w", err)
	}
	return nil
}

// localesCmd lists the interface languages and what their catalogs lack:
// "foresight locales [--locales DIR]" is how a translator checks a catalog
// before restarting the server with it.
func localesCmd(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("locales", stderr)
	dir := localesFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 && fs.Arg(0) != "check" {
		return fmt.Errorf("unexpected %q", fs.Arg(0))
	}
	if err := loadLocales(*dir); err != nil {
		return err
	}
	sources := i18n.Sources()
	for _, l := range i18n.Languages() {
		fmt.Fprintf(stdout, "%-6s %-12s %s\n", l, i18n.Name(l), strings.Join(sources[l], ", "))
	}
	problems := i18n.Problems()
	for _, p := range problems {
		fmt.Fprintln(stdout, p)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%d problems in the catalogs", len(problems))
	}
	fmt.Fprintln(stdout, "The catalogs are complete.")
	return nil
}
