package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// repoRoot is the module's root, two folders up from this package.
const repoRoot = "../.."

// use is a string literal the code passes to the interface: a message id
// given to T, Tf or N, or to a domain error.
type use struct {
	text   string
	fn     string // "T", "Tf", "N", or "domain"
	pos    string
	plural bool // N's id names a message with plural forms
	args   int  // how many arguments follow the id (-1: a spread slice, args...)
}

// codeUses finds the string literals that reach people in a language: the
// ids passed to i18n.T, Tf and N or to a texts function (i18n.Texts), the
// terms of the yardsticks' bands, and the ids of the domain's errors
// (workshop.Errorf, FieldError, FieldErrorf, or an Error's ID), which the
// web adapter and the command line render in a language.
func codeUses(t *testing.T) []use {
	t.Helper()
	var out []use
	fset := token.NewFileSet()
	err := filepath.WalkDir(repoRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "tmp", "bin", "data", "node_modules", "testdata":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		inWorkshop := f.Name.Name == "workshop"
		ast.Inspect(f, func(n ast.Node) bool {
			// A workshop.Error written as a literal: its ID is a message.
			if cl, ok := n.(*ast.CompositeLit); ok {
				if pkg, name := calleeName(cl.Type); name == "Error" && (pkg == "workshop" || (inWorkshop && pkg == "")) {
					for _, el := range cl.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok {
							if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "ID" {
								if bl, ok := kv.Value.(*ast.BasicLit); ok && bl.Kind == token.STRING {
									if s, err := strconv.Unquote(bl.Value); err == nil {
										out = append(out, use{text: s, fn: "domain", pos: fset.Position(cl.Pos()).String()})
									}
								}
							}
						}
					}
				}
				return true
			}
			// A yardstick's band names its term by id: Term: "yardstick.…".
			if kv, ok := n.(*ast.KeyValueExpr); ok && inWorkshop {
				if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Term" {
					if bl, ok := kv.Value.(*ast.BasicLit); ok && bl.Kind == token.STRING {
						if s, err := strconv.Unquote(bl.Value); err == nil {
							out = append(out, use{text: s, fn: "Term", pos: fset.Position(kv.Pos()).String()})
						}
					}
				}
				return true
			}
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			pkg, name := calleeName(call.Fun)
			pos := fset.Position(call.Pos()).String()
			add := func(i int, fn string) {
				if i >= len(call.Args) {
					return
				}
				bl, ok := call.Args[i].(*ast.BasicLit)
				if !ok || bl.Kind != token.STRING {
					return
				}
				if s, err := strconv.Unquote(bl.Value); err == nil {
					args := len(call.Args) - i - 1
					if call.Ellipsis.IsValid() {
						args = -1
					}
					out = append(out, use{text: s, fn: fn, pos: pos, plural: fn == "N", args: args})
				}
			}
			dom := pkg == "workshop" || (inWorkshop && pkg == "")
			switch {
			case pkg == "" && name == "texts": // a workshop.Texts, i18n.Texts(ctx)
				add(0, "texts")
			case pkg == "i18n" && (name == "T" || name == "Tf"):
				add(1, name)
			case pkg == "i18n" && name == "N":
				add(2, name)
			case dom && name == "Errorf":
				add(1, "domain")
			case dom && name == "FieldError":
				add(1, "domain")
			case dom && name == "FieldErrorf":
				add(2, "domain")
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 500 {
		t.Fatalf("found only %d interface strings; is the scan looking in the right place?", len(out))
	}
	return out
}

// builtinCatalogs are the catalogs in the source tree, whatever is loaded.
func builtinCatalogs(t *testing.T) *set {
	t.Helper()
	s, err := build(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var idPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$`)

// TestCallSitesUseIDs fails when T, Tf, N or a domain error is given
// anything but a message id: English (or any other text) written at a call
// site would bypass the catalogs.
func TestCallSitesUseIDs(t *testing.T) {
	for _, u := range codeUses(t) {
		if !idPattern.MatchString(u.text) {
			t.Errorf("%s: %s(…, %q): pass a message id (such as \"results.round\") and put the text in locales/en.json", u.pos, u.fn, u.text)
		}
	}
}

// TestEveryMessageInEveryCatalog fails when code uses a message that a
// built-in catalog lacks, or uses it the wrong way (N with a message that
// has no plural forms, T with one that has).
func TestEveryMessageInEveryCatalog(t *testing.T) {
	s := builtinCatalogs(t)
	missing := map[string]string{}
	for _, u := range codeUses(t) {
		for _, lang := range s.langs {
			m := s.byLang[lang].messages[u.text]
			switch {
			case m == nil:
				missing[lang+".json lacks "+u.text] = u.pos
			case u.plural && forms(m) == nil:
				missing[lang+".json: "+u.text+" is counted with N but has no plural forms"] = u.pos
			case !u.plural && forms(m) != nil:
				missing[lang+".json: "+u.text+" has plural forms: count it with N"] = u.pos
			}
		}
	}
	if len(missing) > 0 {
		keys := make([]string, 0, len(missing))
		for k := range missing {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b strings.Builder
		for _, k := range keys {
			b.WriteString("\n  " + k + "  (" + missing[k] + ")")
		}
		t.Errorf("%d messages are missing:%s", len(missing), b.String())
	}
}

// TestArgumentsFillTheVerbs fails when a call gives a message more or fewer
// arguments than its English text has verbs: fmt would print %!d(MISSING)
// or %!(EXTRA …) to the reader. (go vet cannot see it: the text is not at
// the call site.) Tf and domain errors are checked; N's count fills one.
func TestArgumentsFillTheVerbs(t *testing.T) {
	s := builtinCatalogs(t)
	en := s.byLang[Default]
	for _, u := range codeUses(t) {
		m := en.messages[u.text]
		// T's text may be filled elsewhere (a view puts components into
		// its verbs); a yardstick's term or a texts call has no arguments.
		if m == nil || u.args < 0 || u.fn == "T" || u.fn == "Term" || u.fn == "texts" {
			continue
		}
		text := m.Other
		if f := forms(m); f != nil {
			text = f["other"]
		}
		want := verbCount(text)
		got := u.args
		if u.fn == "N" {
			got = 1
			if want == 0 {
				want = 1 // a count may go unsaid ("one vote")
			}
		}
		if got != want {
			t.Errorf("%s: %s has %d verbs in English (%q) but is given %d arguments", u.pos, u.text, want, text, got)
		}
	}
}

// verbCount is how many arguments a format consumes: its verbs, or with
// explicit indexes the highest index.
func verbCount(format string) int {
	n, highest := 0, 0
	for _, v := range verb.FindAllString(format, -1) {
		if strings.HasSuffix(v, "%") {
			continue // %%, a percent sign
		}
		n++
		if i := strings.Index(v, "["); i >= 0 {
			if k, err := strconv.Atoi(v[i+1 : strings.Index(v, "]")]); err == nil && k > highest {
				highest = k
			}
		}
	}
	if highest > 0 {
		return highest
	}
	return n
}

// TestNoUnusedMessages fails when a catalog holds a message no code uses
// (left over after a change of the interface, or misspelt).
func TestNoUnusedMessages(t *testing.T) {
	s := builtinCatalogs(t)
	used := map[string]bool{}
	for _, id := range ownIDs(s.langs) {
		used[id] = true
	}
	for _, u := range codeUses(t) {
		used[u.text] = true
	}
	for _, lang := range s.langs {
		var unused []string
		for id := range s.byLang[lang].messages {
			if !used[id] {
				unused = append(unused, id)
			}
		}
		sort.Strings(unused)
		if len(unused) > 0 {
			t.Errorf("%s.json has %d messages no code uses; remove them:\n  %s", lang, len(unused), strings.Join(unused, "\n  "))
		}
	}
}

// TestCatalogsAgree fails when a built-in catalog differs from the English
// one in its messages, placeholders or plural forms (see Problems), or
// lacks the name of an interface language.
func TestCatalogsAgree(t *testing.T) {
	if err := Load(""); err != nil {
		t.Fatal(err)
	}
	if p := Problems(); len(p) > 0 {
		t.Errorf("%d problems in the catalogs:\n  %s", len(p), strings.Join(p, "\n  "))
	}
	s := builtinCatalogs(t)
	for _, lang := range s.langs {
		for _, l := range s.langs {
			if _, ok := s.byLang[lang].messages[languagesPrefix+l]; !ok {
				t.Errorf("%s.json lacks %s, the name of an interface language", lang, languagesPrefix+l)
			}
		}
	}
}

// TestProblemsFindFaults checks that Problems reports the faults a
// translator can make, on a catalog written with them.
func TestProblemsFindFaults(t *testing.T) {
	t.Cleanup(func() { _ = Load("") })
	dir := t.TempDir()
	pl := `{
  "language.name": "Polski",
  "layout.skip_content": "Przejdź do treści %s",
  "facilitator.participants_count": {"one": "%d osoba", "other": "%d osoby"},
  "common.round_n": {"one": "runda %d", "other": "runda %d"},
  "no.such_id": "x"
}`
	if err := os.WriteFile(filepath.Join(dir, "pl.json"), []byte(pl), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Load(dir); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(Problems(), "\n")
	for _, want := range []string{
		`pl: layout.skip_content: the placeholders "%s" differ from English ""`,
		`pl: facilitator.participants_count lacks the plural form "few"`,
		`pl: facilitator.participants_count lacks the plural form "many"`,
		`pl: common.round_n is a plain message in English, but has plural forms here`,
		`pl: no.such_id is not an English message`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Problems() lacks %q; it says:\n%s", want, got)
		}
	}
}

func hasLetter(s string) bool {
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return true
		}
	}
	return false
}

// TestTemplatesHaveNoBareText fails on English written straight into the
// markup of a template, outside i18n.T: text between tags, and the
// attributes people read (placeholder, title, alt, aria-label, value of a
// button). Deliberate exceptions carry the comment "// i18n: not translated"
// on the line above; brand names and symbols have no letters to translate
// or are listed in untranslated.
func TestTemplatesHaveNoBareText(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(repoRoot, "views", "*.templ"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no templates found: %v", err)
	}
	attr := regexp.MustCompile(`\b(placeholder|title|alt|aria-label|aria-description|aria-roledescription|label|content)="([^"]*)"`)
	var problems []string
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		inMarkup := false
		depth := 0 // of Go braces inside a templ component
		for i, line := range lines {
			trim := strings.TrimSpace(line)
			if strings.HasPrefix(trim, "templ ") && strings.HasSuffix(trim, "{") {
				inMarkup, depth = true, 1
				continue
			}
			if !inMarkup {
				continue
			}
			code := stripStrings(line)
			depth += strings.Count(code, "{") - strings.Count(code, "}")
			if depth <= 0 {
				inMarkup = false
				continue
			}
			if i > 0 && strings.Contains(lines[i-1], "i18n: not translated") {
				continue
			}
			if strings.HasPrefix(trim, "//") {
				continue
			}
			for _, m := range attr.FindAllStringSubmatch(line, -1) {
				if m[1] == "content" && !strings.Contains(line, "<meta name=\"description\"") {
					continue
				}
				if hasLetter(m[2]) && !untranslated[m[2]] {
					problems = append(problems, filepath.Base(path)+":"+strconv.Itoa(i+1)+": "+m[1]+"=\""+m[2]+"\"")
				}
			}
			for _, text := range bareText(line) {
				if hasLetter(text) && !untranslated[strings.TrimSpace(text)] {
					problems = append(problems, filepath.Base(path)+":"+strconv.Itoa(i+1)+": "+strings.TrimSpace(text))
				}
			}
		}
	}
	if len(problems) > 0 {
		t.Errorf("%d texts in templates are not translated; write them as { i18n.T(ctx, \"...\") }:\n  %s", len(problems), strings.Join(problems, "\n  "))
	}
}

// untranslated are texts that read the same in every language.
var untranslated = map[string]bool{
	"Foresight": true,
	"English":   true,
	"Polski":    true,
	"CSV":       true,
	"JSON":      true,
	"XLSX":      true,
	"PDF":       true,
	"QR":        true,
}

var (
	goExpr     = regexp.MustCompile(`\{[^{}]*\}`)
	tagPattern = regexp.MustCompile(`<[^<>]*>`)
)

// bareText returns the text of a markup line outside tags and { } expressions.
// Lines that are Go statements of the template (if, for, switch, case, @call)
// have none.
func bareText(line string) []string {
	trim := strings.TrimSpace(line)
	for _, prefix := range []string{"if ", "} else", "for ", "switch ", "case ", "default:", "@", "}", "{", "return ", "var ", "//"} {
		if strings.HasPrefix(trim, prefix) {
			return nil
		}
	}
	if !strings.Contains(trim, "<") && !strings.Contains(trim, ">") {
		// A line of plain text inside an element, or a continued tag's
		// attributes (name="..." or name={ ... }).
		if strings.Contains(trim, "=") || strings.HasSuffix(trim, "{") {
			return nil
		}
	}
	s := goExpr.ReplaceAllString(line, " ")
	s = tagPattern.ReplaceAllString(s, "\x00")
	// A tag opened on this line and continued on the next.
	if j := strings.LastIndex(s, "<"); j >= 0 {
		s = s[:j]
	}
	if j := strings.Index(s, ">"); j >= 0 && !strings.Contains(s[:j], "\x00") {
		s = s[j+1:]
	}
	var out []string
	for _, part := range strings.Split(s, "\x00") {
		if strings.TrimSpace(part) != "" {
			out = append(out, part)
		}
	}
	return out
}

var goString = regexp.MustCompile(`"(\\.|[^"\\])*"|` + "`[^`]*`")

// stripStrings removes Go string literals so braces inside them do not count.
func stripStrings(line string) string {
	return goString.ReplaceAllString(line, `""`)
}

func calleeName(fun ast.Expr) (pkg, name string) {
	switch f := fun.(type) {
	case *ast.Ident:
		return "", f.Name
	case *ast.SelectorExpr:
		if id, ok := f.X.(*ast.Ident); ok {
			return id.Name, f.Sel.Name
		}
	}
	return "", ""
}
