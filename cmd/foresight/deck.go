package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"foresight/internal/deckform"
	"foresight/internal/store"
	"foresight/internal/workshop"
)

// findDeck returns a built-in deck or one stored in the database.
func findDeck(ctx context.Context, db *store.DB, slug string) (workshop.Deck, error) {
	decks, err := workshop.BuiltinDecks()
	if err != nil {
		return workshop.Deck{}, err
	}
	for _, d := range decks {
		if d.Slug == slug {
			return d, nil
		}
	}
	d, err := db.DeckBySlug(ctx, slug)
	if workshop.ErrorCode(err) == workshop.ENotFound {
		return d, fmt.Errorf("no deck %q (see: foresight decks --db PATH)", slug)
	}
	return d, err
}

// deckCmd runs "foresight deck export|import".
func deckCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "export" && args[0] != "import") {
		return errors.New(`"deck" takes "export" or "import"`)
	}
	fs := newFlags("deck "+args[0], stderr)
	dbPath := dbFlag(fs, "")
	owner := fs.String("owner", "", "import: email of the facilitator who will own the deck")
	lang := fs.String("lang", workshop.DefaultLanguage, "import: the language of a CSV file's texts (en, pl)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		if args[0] == "export" {
			return errors.New("usage: foresight deck export --db PATH SLUG")
		}
		return errors.New("usage: foresight deck import --db PATH --owner EMAIL [--lang LANG] FILE")
	}
	db, err := store.Open(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	if args[0] == "export" {
		d, err := findDeck(ctx, db, fs.Arg(0))
		if err != nil {
			return err
		}
		_, err = stdout.Write(d.JSON())
		return err
	}
	u, err := db.UserByEmail(ctx, *owner)
	if err != nil {
		return fmt.Errorf("--owner %q: no active account with this email", *owner)
	}
	file := fs.Arg(0)
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	d, err := workshop.ImportDeck(filepath.Base(file), data, *lang, deckform.CSVDefaults(*lang))
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	if builtin, _ := findDeck(ctx, db, d.Slug); builtin.BuiltIn {
		d.Slug = workshop.Truncate(d.Slug, 50) + "-copy"
	}
	d, err = db.CreateDeck(ctx, u, d, true)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	fmt.Fprintf(stdout, "Imported %q with %d scenarios and %d criteria\n%s\n", d.Title.In(d.Languages[0]), len(d.Scenarios), len(d.Criteria), d.Slug)
	return nil
}
