// Command foresight serves live scenario-assessment workshops and manages
// their data from the command line. main parses flags, wires the parts and
// runs until a signal; nothing else lives here.
package main

import (
	"bufio"
	"context"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"time"

	fhttp "foresight/internal/http"
	"foresight/internal/i18n"
	"foresight/internal/live"
	"foresight/internal/store"
	"foresight/internal/workshop"
)

const usage = `Foresight: live scenario-assessment workshops.

Usage:
  foresight serve    [--addr 127.0.0.1:8080] [--db ./data/foresight.db] [--base-url URL] [--trusted-proxy CIDR] [--chromium PATH] [--debug-addr 127.0.0.1:6060] [--locales DIR]
  foresight user add    --db PATH --email EMAIL --role organiser|facilitator   (password on standard input)
  foresight user passwd --db PATH --email EMAIL                                (password on standard input)
  foresight user disable --db PATH --email EMAIL                               (ends its sessions; user enable undoes it)
  foresight workshop create --db PATH --deck SLUG --owner EMAIL [--title T] [--open]
  foresight decks   [--db PATH]                                   (built-in decks, and those in the database)
  foresight deck export --db PATH SLUG                             (the deck's JSON on standard output)
  foresight deck import --db PATH --owner EMAIL [--lang LANG] FILE (a .json deck, or a .csv of scenarios in LANG, default en)
  foresight backup --db PATH --out FILE                            (a checked copy, while the server runs)
  foresight export --db PATH --workshop CODE --format csv|summary|rationales|scores|ideas|json|xlsx [--out FILE]
  foresight locales [--locales DIR]                               (the interface languages, and what their catalogs lack)

Run "foresight COMMAND -h" for a command's flags.
`

func main() {
	err := run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "foresight:", err)
		os.Exit(1)
	}
}

// run executes one command; it is main without the process around it, so
// tests can call it. A domain error in what it returns reads in English.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	return inEnglish(command(ctx, args, stdin, stdout, stderr))
}

// readable is an error whose domain error is worded for people: the domain
// names its messages by id, which only the catalogs turn into text.
type readable struct {
	err  error
	text string
}

func (r readable) Error() string { return r.text }
func (r readable) Unwrap() error { return r.err }

// inEnglish words the domain error inside err (as "field: message") in the
// English catalog's text, keeping whatever wraps it.
func inEnglish(err error) error {
	var de *workshop.Error
	if !errors.As(err, &de) {
		return err
	}
	text := de.FieldText(i18n.Texts(context.Background()))
	return readable{err: err, text: strings.Replace(err.Error(), de.Error(), text, 1)}
}

// command runs one command; its errors are as the packages made them.
func command(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "serve":
		return serve(ctx, rest, stdout, stderr)
	case "user":
		if len(rest) > 0 && rest[0] == "add" {
			return userAdd(ctx, rest[1:], stdin, stdout, stderr)
		}
		if len(rest) > 0 && rest[0] == "passwd" {
			return userPasswd(ctx, rest[1:], stdin, stdout, stderr)
		}
		if len(rest) > 0 && (rest[0] == "disable" || rest[0] == "enable") {
			return userDisable(ctx, rest[0] == "disable", rest[1:], stdout, stderr)
		}
		return errors.New(`"user" takes "add", "passwd", "disable" or "enable"`)
	case "workshop":
		if len(rest) > 0 && rest[0] == "create" {
			return workshopCreate(ctx, rest[1:], stdout, stderr)
		}
		return errors.New(`"workshop" takes "create"`)
	case "decks":
		return listDecks(ctx, rest, stdout, stderr)
	case "deck":
		return deckCmd(ctx, rest, stdout, stderr)
	case "backup":
		return backupCmd(ctx, rest, stdout, stderr)
	case "export":
		return exportCmd(ctx, rest, stdout, stderr)
	case "locales":
		return localesCmd(ctx, rest, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

const defaultDB = "./data/foresight.db"

// dbFlag defines --db, the same on every command: a SQLite file or the URL
// of a PostgreSQL database. note says what this command does with it.
func dbFlag(fs *flag.FlagSet, note string) *string {
	usage := "SQLite database file, or a postgres:// URL (its password best in PGPASSWORD or ~/.pgpass)"
	if note != "" {
		usage += "; " + note
	}
	return fs.String("db", defaultDB, usage)
}

// serve runs the web server until SIGINT or SIGTERM, then shuts down in
// order: live streams, HTTP, the live hub, the database.
func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on; :8080 serves the whole LAN")
	dbPath := dbFlag(fs, "created if missing")
	baseURL := fs.String("base-url", "", "public URL for join links and QR codes, e.g. https://vote.example.org (default: from each request)")
	var proxies []netip.Prefix
	fs.Func("trusted-proxy", "address or CIDR of a TLS-terminating proxy whose X-Forwarded-For/-Proto to trust (repeatable)", func(s string) error {
		p, err := parsePrefix(s)
		proxies = append(proxies, p)
		return err
	})
	chromium := fs.String("chromium", "", "Chromium or Chrome binary that prints the report as PDF (default: no PDF; the report prints from any browser)")
	locales := localesFlag(fs)
	debugAddr := fs.String("debug-addr", "", "serve /debug/vars and /debug/pprof/ on this loopback address, e.g. 127.0.0.1:6060 (default: off)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := loadLocales(*locales); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if p := i18n.Problems(); len(p) > 0 {
		log.Warn("the interface catalogs are incomplete; missing messages show in English (foresight locales lists them)", "problems", len(p), "first", p[0])
	}
	cfg := fhttp.Config{TrustedProxies: proxies, Logger: log, ChromiumPath: *chromium}
	if *chromium != "" {
		if _, err := exec.LookPath(*chromium); err != nil {
			return fmt.Errorf("--chromium: %w", err)
		}
	}
	if *baseURL != "" {
		u, err := url.Parse(strings.TrimRight(*baseURL, "/"))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("--base-url %q: give a URL such as https://vote.example.org", *baseURL)
		}
		cfg.BaseURL = u
	}
	keys, err := sessionKeysFromEnv()
	if err != nil {
		return err
	}
	cfg.SessionKeys = keys

	decks, err := workshop.BuiltinDecks()
	if err != nil {
		return err
	}
	db, err := store.Open(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	// The one path from a commit to the screens: the store announces every
	// committed change, the live hub hears it; nobody else tells the hub
	// anything. The store also notices other processes' commits (the
	// command line on the same file).
	hub := live.NewHub(db, log)
	defer hub.Close()
	db.Subscribe(hub.Apply)
	db.WatchOtherWriters(log)
	srv, err := fhttp.New(ctx, db, hub, decks, cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	if *debugAddr != "" {
		dbg, at, err := serveDebug(*debugAddr)
		if err != nil {
			ln.Close()
			return err
		}
		defer dbg.Close()
		fmt.Fprintf(stdout, "Debug endpoints on http://%s/debug/vars and /debug/pprof/\n", at)
	}
	public := *baseURL
	if public == "" {
		public = "http://" + displayAddr(ln.Addr().String())
	}
	fmt.Fprintf(stdout, "Foresight is serving on %s (database %s)\n", public, db.Name())
	if link, err := db.SetupLink(ctx); err != nil {
		return err
	} else if link != "" {
		fmt.Fprintf(stdout, "\nNo accounts yet. Open this one-time link to create the first organiser account (valid 24 hours):\n\n    %s/setup/%s\n\n", public, link)
	} else {
		fmt.Fprintf(stdout, "Sign in at %s/login\n", public)
	}

	hs := srv.HTTPServer(*addr)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sig)
	select {
	case err := <-errc:
		return err
	case s := <-sig:
		log.Info("shutting down", "signal", s.String())
	}
	srv.CloseStreams()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 8*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		log.Warn("shutdown", "err", err)
	}
	hub.Close()
	return db.Close()
}

// displayAddr turns a listen address into one a browser can open.
func displayAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "::" || host == "0.0.0.0" || host == "127.0.0.1" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

func parsePrefix(s string) (netip.Prefix, error) {
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q is not an address or CIDR", s)
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// sessionKeysFromEnv reads FORESIGHT_SESSION_KEYS: comma-separated
// hash-key:block-key pairs in hex, newest first; older pairs still decode.
func sessionKeysFromEnv() ([][]byte, error) {
	v := os.Getenv("FORESIGHT_SESSION_KEYS")
	if v == "" {
		return nil, nil
	}
	var keys [][]byte
	for _, pair := range strings.Split(v, ",") {
		h, b, ok := strings.Cut(strings.TrimSpace(pair), ":")
		hk, err1 := hex.DecodeString(h)
		bk, err2 := hex.DecodeString(b)
		if !ok || err1 != nil || err2 != nil || (len(hk) != 32 && len(hk) != 64) || (len(bk) != 16 && len(bk) != 24 && len(bk) != 32) {
			return nil, errors.New("FORESIGHT_SESSION_KEYS: give hash-key:block-key pairs in hex (hash key 32 or 64 bytes, block key 16, 24 or 32 bytes)")
		}
		keys = append(keys, hk, bk)
	}
	return keys, nil
}

// readPassword reads one line from standard input.
func readPassword(stdin io.Reader) (string, error) {
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return "", errors.New("give the password on standard input")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func userAdd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("user add", stderr)
	dbPath := dbFlag(fs, "")
	email := fs.String("email", "", "the account's email address")
	roleName := fs.String("role", "facilitator", "organiser or facilitator")
	if err := fs.Parse(args); err != nil {
		return err
	}
	role, err := workshop.ParseRole(*roleName)
	if err != nil {
		return errors.New("--role must be organiser or facilitator")
	}
	pw, err := readPassword(stdin)
	if err != nil {
		return err
	}
	db, err := store.Open(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := db.CreateUser(ctx, *email, pw, role)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Added %s %s\n", u.Role, u.Email)
	return nil
}

func userPasswd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("user passwd", stderr)
	dbPath := dbFlag(fs, "")
	email := fs.String("email", "", "the account's email address")
	if err := fs.Parse(args); err != nil {
		return err
	}
	pw, err := readPassword(stdin)
	if err != nil {
		return err
	}
	db, err := store.Open(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.SetPassword(ctx, *email, pw); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Changed the password of %s; its sessions have ended\n", *email)
	return nil
}

// userDisable disables an account (it cannot sign in, its sessions end)
// or enables it again: for an operator when no organiser can sign in to
// do it on the people page. The last active organiser stays.
func userDisable(ctx context.Context, disable bool, args []string, stdout, stderr io.Writer) error {
	name := "user enable"
	if disable {
		name = "user disable"
	}
	fs := newFlags(name, stderr)
	dbPath := dbFlag(fs, "")
	email := fs.String("email", "", "the account's email address")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := store.Open(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	accounts, err := db.ListUsers(ctx)
	if err != nil {
		return err
	}
	for _, a := range accounts {
		if !strings.EqualFold(a.Email, strings.TrimSpace(*email)) {
			continue
		}
		if !disable {
			if err := db.EnableUser(ctx, a.ID); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "Enabled %s: it can sign in again\n", a.Email)
			return nil
		}
		// The command line acts for no account (ID 0), so nobody is
		// disabling themselves here.
		if err := db.DisableUser(ctx, workshop.User{}, a.ID); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Disabled %s; its sessions have ended\n", a.Email)
		return nil
	}
	return fmt.Errorf("--email %q: no account has this email address", *email)
}

func workshopCreate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("workshop create", stderr)
	dbPath := dbFlag(fs, "")
	slug := fs.String("deck", "", "deck slug (see: foresight decks)")
	owner := fs.String("owner", "", "email of the facilitator who runs it")
	title := fs.String("title", "", "title (default: the deck's title)")
	open := fs.Bool("open", false, "open round 1 at once instead of waiting in the lobby")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := store.Open(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	deck, err := findDeck(ctx, db, *slug)
	if err != nil {
		return fmt.Errorf("--deck: %w", err)
	}
	u, err := db.UserByEmail(ctx, *owner)
	if err != nil {
		return fmt.Errorf("--owner %q: no active account with this email", *owner)
	}
	w, err := db.CreateWorkshop(ctx, u, deck, *title, *open)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Created %q (%s), state %s; join at /j/%s\n%s\n", w.Title, workshop.GroupCode(w.Code), w.State, w.Code, w.Code)
	return nil
}

func listDecks(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("decks", stderr)
	dbPath := fs.String("db", "", "also list the decks stored in this database (a SQLite file or a postgres:// URL)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	decks, err := workshop.BuiltinDecks()
	if err != nil {
		return err
	}
	if *dbPath != "" {
		db, err := store.Open(*dbPath)
		if err != nil {
			return err
		}
		defer db.Close()
		stored, err := db.DecksFor(ctx, workshop.User{Role: workshop.RoleOrganiser})
		if err != nil {
			return err
		}
		decks = append(decks, stored...)
	}
	for _, d := range decks {
		fmt.Fprintf(stdout, "%s\t%d scenarios\t%s\n", d.Slug, len(d.Scenarios), d.Title.In(workshop.DefaultLanguage))
	}
	return nil
}
