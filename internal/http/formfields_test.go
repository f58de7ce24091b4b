package http_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// requestFormReads are the parts of an *http.Request that hold a posted
// form's fields, or fill them.
var requestFormReads = map[string]bool{
	"Form": true, "PostForm": true, "MultipartForm": true,
	"FormValue": true, "PostFormValue": true, "FormFile": true,
	"ParseForm": true, "ParseMultipartForm": true,
}

// formReadsAllowed are the handlers that may read a form themselves: the
// deck editor's, whose form deckform.Parse reads from the posted fields.
var formReadsAllowed = map[string]bool{"handleDeckForm": true}

// TestHandlersReadNoFields reads the package's source and fails where a
// function reads a form field from its request: forms are read by the
// types of internal/webform, which keep what was typed for a page shown
// again and check it in one place.
func TestHandlersReadNoFields(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	functions := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil || formReadsAllowed[fn.Name.Name] {
				continue
			}
			requests := requestParams(fn)
			if len(requests) > 0 {
				functions++
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok || !requestFormReads[sel.Sel.Name] {
					return true
				}
				if id, ok := sel.X.(*ast.Ident); ok && requests[id.Name] {
					t.Errorf("%s: %s reads %s.%s: read the form with a type of internal/webform", fset.Position(sel.Pos()), fn.Name.Name, id.Name, sel.Sel.Name)
				}
				return true
			})
		}
	}
	if functions < 50 {
		t.Fatalf("only %d functions with a request found: is this the handlers' folder?", functions)
	}
}

// requestParams are the names of fn's parameters of type *http.Request.
func requestParams(fn *ast.FuncDecl) map[string]bool {
	names := map[string]bool{}
	for _, field := range fn.Type.Params.List {
		star, ok := field.Type.(*ast.StarExpr)
		if !ok {
			continue
		}
		sel, ok := star.X.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "Request" {
			continue
		}
		if pkg, ok := sel.X.(*ast.Ident); ok && pkg.Name == "http" {
			for _, n := range field.Names {
				names[n.Name] = true
			}
		}
	}
	return names
}
