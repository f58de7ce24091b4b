package store

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// commitsAllowed are the only functions of the store that may call
// Commit: DB.commit, the one commit path that announces every write's
// events after COMMIT; Tx.Commit, which it calls (and which tells the
// other servers on PostgreSQL); and the two engines' migrations, which run
// before anyone listens.
var commitsAllowed = map[string]bool{
	"DB.commit":              true,
	"Tx.Commit":              true,
	"DB.applyMigration":      true,
	"applyPostgresMigration": true,
}

// TestOnlyDBCommitCommits reads the store's source and fails on any call of
// a Commit method outside commitsAllowed: a write that commits by itself
// would announce nothing, and the views and the other servers would never
// learn of it.
func TestOnlyDBCommitCommits(t *testing.T) {
	fset, files := parseStore(t)
	checked := 0
	for _, f := range files {
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			where := funcName(fn)
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Commit" {
					checked++
					if !commitsAllowed[where] {
						t.Errorf("%s: %s commits outside DB.commit: end the write with d.commit(tx, …) and announce its events", fset.Position(call.Pos()), where)
					}
				}
				return true
			})
		}
	}
	if checked == 0 {
		t.Fatal("found no call of Commit at all: the test reads the wrong files")
	}
}

// funcName is "Type.Method" for a method, the name for a function.
func funcName(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return fn.Name.Name
	}
	typ := fn.Recv.List[0].Type
	if star, ok := typ.(*ast.StarExpr); ok {
		typ = star.X
	}
	if id, ok := typ.(*ast.Ident); ok {
		return id.Name + "." + fn.Name.Name
	}
	return fn.Name.Name
}

// parseStore parses the store's own source: its Go files but the tests,
// for the tests that check a rule of the code itself.
func parseStore(t *testing.T) (*token.FileSet, []*ast.File) {
	t.Helper()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return fset, files
}
