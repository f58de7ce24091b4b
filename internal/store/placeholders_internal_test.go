package store

import (
	"fmt"
	"go/ast"
	"go/token"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Every statement is written once with PostgreSQL's numbered placeholders,
// $1, $2, …, which SQLite reads too: there $1 is a named parameter, and
// SQLite numbers parameters in the order they first appear, while the
// driver binds arguments by position. The two agree exactly when a
// statement's placeholders first appear in ascending order from $1 (one
// may repeat). TestPlaceholders reads the store's source and checks that
// of every SQL string in it.
func TestPlaceholders(t *testing.T) {
	fset, parsed := parseStore(t)
	consts := stringConsts(parsed)
	statements := 0
	for _, f := range parsed {
		ast.Inspect(f, func(n ast.Node) bool {
			e, ok := n.(ast.Expr)
			if !ok {
				return true
			}
			text, ok := sqlText(e, consts)
			if !ok {
				return true
			}
			if sqlKeyword.MatchString(text) {
				statements++
				if err := checkPlaceholders(text); err != nil {
					t.Errorf("%s: %v in\n%s", fset.Position(e.Pos()), err, text)
				}
			}
			return false // its parts are checked as part of it
		})
	}
	if statements < 100 {
		t.Fatalf("found only %d SQL statements: the test reads the wrong files", statements)
	}
}

// The checker refuses what it must.
func TestCheckPlaceholders(t *testing.T) {
	for _, c := range []struct {
		sql string
		ok  bool
	}{
		{`SELECT 1`, true},
		{`SELECT a FROM t WHERE b = $1 AND c = $2`, true},
		{`SELECT a FROM t WHERE b = $1 OR c = $1 AND d = $2`, true},
		{`SELECT '?', "a?", 'it''s $3' -- what? $9
			/* $7 ? */ FROM t WHERE a = $1`, true},
		{`SELECT a FROM t WHERE b = ?`, false},
		{`SELECT a FROM t WHERE b = ?1`, false},
		{`SELECT a FROM t WHERE b = $2 AND c = $1`, false},
		{`SELECT a FROM t WHERE b = $1 AND c = $3`, false},
		{`SELECT a FROM t WHERE b = $2`, false},
		{`SELECT data ? 'key' FROM t`, false},      // PostgreSQL's jsonb operator reads as SQLite's placeholder
		{`SELECT CAST($1::bigint AS text)`, false}, // SQLite reads $1::bigint as one name
		{`SELECT $$text$$`, false},
		{`SELECT a FROM t WHERE b = $1 /* open`, false},
	} {
		err := checkPlaceholders(c.sql)
		if (err == nil) != c.ok {
			t.Errorf("%s: got %v, want ok=%v", c.sql, err, c.ok)
		}
	}
}

var sqlKeyword = regexp.MustCompile(`\b(SELECT|INSERT|UPDATE|DELETE|VALUES|WHERE|VACUUM)\b`)

// checkPlaceholders checks the placeholders of one statement: numbered,
// first appearing in ascending order from $1, outside quotes and comments.
func checkPlaceholders(sql string) error {
	next := 1
	for i := 0; i < len(sql); i++ {
		switch c := sql[i]; {
		case c == '\'' || c == '"':
			j := strings.IndexByte(sql[i+1:], c)
			if j < 0 {
				return fmt.Errorf("an unclosed %c", c)
			}
			i += j + 1
		case strings.HasPrefix(sql[i:], "--"):
			j := strings.IndexByte(sql[i:], '\n')
			if j < 0 {
				return nil
			}
			i += j
		case strings.HasPrefix(sql[i:], "/*"):
			j := strings.Index(sql[i:], "*/")
			if j < 0 {
				return fmt.Errorf("an unclosed comment")
			}
			i += j + 1
		case c == '?':
			return fmt.Errorf("a ? (write $%d: both engines read numbered placeholders)", next)
		case c == '$':
			j := i + 1
			for j < len(sql) && sql[j] >= '0' && sql[j] <= '9' {
				j++
			}
			if j == i+1 {
				return fmt.Errorf("a $ that is no numbered placeholder")
			}
			if strings.HasPrefix(sql[j:], "::") || strings.HasPrefix(sql[j:], "(") {
				return fmt.Errorf("%s followed by %q, which SQLite reads as part of its name: use CAST", sql[i:j], sql[j:j+1])
			}
			n, _ := strconv.Atoi(sql[i+1 : j])
			switch {
			case n == next:
				next++
			case n > next || n < 1:
				return fmt.Errorf("$%d where $%d comes first: SQLite numbers placeholders in the order they first appear", n, next)
			}
			i = j - 1
		}
	}
	return nil
}

// stringConsts are the package's string constants that sqlText can spell.
func stringConsts(files []*ast.File) map[string]string {
	consts := map[string]string{}
	for changed := true; changed; { // constants made of constants
		changed = false
		for _, f := range files {
			for _, decl := range f.Decls {
				gd, ok := decl.(*ast.GenDecl)
				if !ok || gd.Tok != token.CONST {
					continue
				}
				for _, spec := range gd.Specs {
					vs := spec.(*ast.ValueSpec)
					for i, name := range vs.Names {
						if i >= len(vs.Values) {
							continue
						}
						if _, done := consts[name.Name]; done {
							continue
						}
						if text, ok := sqlText(vs.Values[i], consts); ok && !strings.Contains(text, opaque) {
							consts[name.Name] = text
							changed = true
						}
					}
				}
			}
		}
	}
	return consts
}

// opaque stands for a part of a statement that is not a constant (the
// dialect's index hint): it holds no placeholders.
const opaque = " /* … */ "

// sqlText spells out a string literal, or a concatenation with at least
// one, with the constants it names; ok is false for anything else.
func sqlText(e ast.Expr, consts map[string]string) (text string, ok bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.Ident:
		s, ok := consts[e.Name]
		return s, ok
	case *ast.ParenExpr:
		return sqlText(e.X, consts)
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		x, okx := sqlText(e.X, consts)
		y, oky := sqlText(e.Y, consts)
		if !okx && !oky {
			return "", false
		}
		if !okx {
			x = opaque
		}
		if !oky {
			y = opaque
		}
		return x + y, true
	}
	return "", false
}
