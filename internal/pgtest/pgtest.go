// Package pgtest gives tests a real PostgreSQL: a throwaway cluster made
// with initdb in a temporary folder, reached over a unix socket without a
// password, stopped and removed at the end. Debian's postgresql package
// provides the programs (apt-get install -y postgresql). Run as root, the
// cluster runs as the postgres user (PostgreSQL refuses to run as root).
//
// Without PostgreSQL, tests that need it skip with a message, unless
// FORESIGHT_PG=required, which CI sets: then they fail.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Required reports whether FORESIGHT_PG=required: tests must not skip.
func Required() bool { return os.Getenv("FORESIGHT_PG") == "required" }

// Cluster is a running throwaway PostgreSQL, or a server of one's own
// (FORESIGHT_PG_URL).
type Cluster struct {
	dir    string // data folder, also the socket's folder; "" for a server of one's own
	bin    string // folder of initdb, pg_ctl, postgres
	asUser string // "postgres" when run through runuser, else ""
	server *url.URL
	n      atomic.Int64
}

// Existing is a PostgreSQL server of one's own, at the URL of one of its
// databases: tests create their databases on it and leave them there.
// Unlike the throwaway cluster, it keeps PostgreSQL's usual durability, for
// benchmarks that must pay for it as production does.
func Existing(rawURL string) (*Cluster, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil, fmt.Errorf("FORESIGHT_PG_URL=%q: want a postgres:// URL", rawURL)
	}
	return &Cluster{server: u}, nil
}

// Find returns the folder of PostgreSQL's programs, or why there is none.
// FORESIGHT_PG_BIN names it; else the newest /usr/lib/postgresql/*/bin;
// else initdb on the PATH.
func Find() (string, error) {
	if dir := os.Getenv("FORESIGHT_PG_BIN"); dir != "" {
		return dir, nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", errors.New("PostgreSQL is not installed (no initdb; on Debian: apt-get install -y postgresql)")
}

func version(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

// Start makes and starts a cluster. Stop it when done.
func Start() (*Cluster, error) {
	bin, err := Find()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "foresight-pg-")
	if err != nil {
		return nil, err
	}
	c := &Cluster{dir: dir, bin: bin}
	if os.Geteuid() == 0 {
		// initdb and postgres refuse to run as root.
		u, err := user.Lookup("postgres")
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("running as root needs the postgres user to run PostgreSQL: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		c.asUser = "postgres"
	}
	data := filepath.Join(dir, "data")
	if out, err := c.run("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %w: %s", err, out)
	}
	// No TCP: a socket in the cluster's folder. fsync is off because a
	// test cluster dies with its data; the durability tests kill the
	// server processes, not the machine, so PostgreSQL's own data stays.
	opts := fmt.Sprintf("-k %s -c listen_addresses='' -c fsync=off -c full_page_writes=off -c max_connections=300", dir)
	if out, err := c.run("pg_ctl", "-D", data, "-l", filepath.Join(dir, "log"), "-o", opts, "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pg_ctl start: %w: %s %s", err, out, log)
	}
	return c, nil
}

// run runs one of PostgreSQL's programs, as the postgres user if needed.
func (c *Cluster) run(program string, args ...string) ([]byte, error) {
	path := filepath.Join(c.bin, program)
	var cmd *exec.Cmd
	if c.asUser != "" {
		cmd = exec.Command("runuser", append([]string{"-u", c.asUser, "--", path}, args...)...)
	} else {
		cmd = exec.Command(path, args...)
	}
	cmd.Dir = c.dir
	return cmd.CombinedOutput()
}

// URL is the URL of database name on the cluster.
func (c *Cluster) URL(name string) string {
	if c.server != nil {
		u := *c.server
		u.Path = "/" + name
		return u.String()
	}
	return "postgres:///" + name + "?host=" + c.dir + "&user=postgres&sslmode=disable"
}

// CreateDatabase creates a new empty database, copied from template when
// it is not "", and returns its URL.
func (c *Cluster) CreateDatabase(ctx context.Context, template string) (string, error) {
	name := fmt.Sprintf("test_%d_%d_%d", os.Getpid(), time.Now().Unix(), c.n.Add(1))
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	q := "CREATE DATABASE " + name
	if template != "" {
		q += " TEMPLATE " + pgx.Identifier{template}.Sanitize()
	}
	if _, err := conn.Exec(ctx, q); err != nil {
		return "", err
	}
	return c.URL(name), nil
}

// Stop stops the cluster at once and removes its folder; a server of
// one's own is left running.
func (c *Cluster) Stop() {
	if c.dir == "" {
		return
	}
	c.run("pg_ctl", "-D", filepath.Join(c.dir, "data"), "-m", "immediate", "-w", "stop")
	os.RemoveAll(c.dir)
}

// Log is the server's log so far, for a failing test to show.
func (c *Cluster) Log() string {
	b, _ := os.ReadFile(filepath.Join(c.dir, "log"))
	return string(b)
}

// open returns the server FORESIGHT_PG_URL names, or else starts a
// throwaway cluster.
func open() (*Cluster, error) {
	if own := os.Getenv("FORESIGHT_PG_URL"); own != "" {
		return Existing(own)
	}
	return Start()
}

// Need starts a cluster for one test and stops it when the test ends. It
// skips the test when PostgreSQL is missing, or fails it if it is required.
func Need(tb testing.TB) *Cluster {
	tb.Helper()
	c, err := open()
	if err != nil {
		if Required() {
			tb.Fatalf("FORESIGHT_PG=required, but PostgreSQL cannot start: %v", err)
		}
		tb.Skipf("skipped: %v (FORESIGHT_PG=required makes this a failure)", err)
	}
	tb.Cleanup(c.Stop)
	return c
}

// A test suite runs on one engine at a time: SQLite by default, PostgreSQL
// when FORESIGHT_STORE_ENGINE=postgres (make test runs the store's and the
// web server's suites both ways). On PostgreSQL, one throwaway cluster
// serves the whole run (or the server FORESIGHT_PG_URL names), and each
// test gets a database of its own, copied from one that the store
// migrated once.
var suite struct {
	cluster  *Cluster
	template string
}

// OnPostgres reports whether this test run is on PostgreSQL.
func OnPostgres() bool { return suite.cluster != nil }

// RunSuite runs the tests of m on the engine that FORESIGHT_STORE_ENGINE
// names; call it from TestMain, with migrate opening (and so migrating)
// the database at a URL and closing it. Without PostgreSQL, a PostgreSQL
// run is skipped with a message, unless FORESIGHT_PG=required.
func RunSuite(m *testing.M, migrate func(url string) error) int {
	switch engine := os.Getenv("FORESIGHT_STORE_ENGINE"); engine {
	case "", "sqlite":
		return m.Run()
	case "postgres":
	default:
		fmt.Fprintf(os.Stderr, "FORESIGHT_STORE_ENGINE=%q: want sqlite or postgres\n", engine)
		return 2
	}
	c, err := open()
	if err != nil {
		if Required() {
			fmt.Fprintf(os.Stderr, "FORESIGHT_PG=required, but PostgreSQL cannot start: %v\n", err)
			return 1
		}
		fmt.Printf("skipped on PostgreSQL: %v (FORESIGHT_PG=required makes this a failure)\n", err)
		return 0
	}
	defer c.Stop()
	url, err := c.CreateDatabase(context.Background(), "")
	if err == nil {
		err = migrate(url)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "migrate the template database: %v\n%s", err, c.Log())
		return 1
	}
	suite.cluster, suite.template = c, databaseName(url)
	return m.Run()
}

// databaseName is the database a URL names.
func databaseName(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(u.Path, "/")
}

// NewDatabase returns where a test's new, empty database is: a file in a
// temporary folder, or on PostgreSQL the URL of a new database.
func NewDatabase(tb testing.TB) string {
	tb.Helper()
	if !OnPostgres() {
		return filepath.Join(tb.TempDir(), "test.db")
	}
	url, err := suite.cluster.CreateDatabase(context.Background(), suite.template)
	if err != nil {
		tb.Fatal(err)
	}
	return url
}

// SuiteCluster is the cluster of a PostgreSQL run, for tests that reach
// it directly.
func SuiteCluster() *Cluster { return suite.cluster }

// SQLiteOnly skips a test of what only SQLite has (its file, its pragmas,
// its backups, its migrations from earlier releases) on a PostgreSQL run.
func SQLiteOnly(tb testing.TB) {
	tb.Helper()
	if OnPostgres() {
		tb.Skip("SQLite only")
	}
}
