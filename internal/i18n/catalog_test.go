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

// message is an interface string found in the code, and where.
type message struct {
	text, plural string // plural is set for N's English plural form
	pos          string
}

// userMessages finds the string literals that reach people in a language:
// the arguments of i18n.T, Tf and N, and the formats of the domain's errors
// (workshop.Errorf, FieldError, FieldErrorf), which the web adapter translates.
func userMessages(t *testing.T) []message {
	t.Helper()
	var out []message
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
			// A workshop.Error written as a literal: its Message is shown
			// (and translated) as it is.
			if cl, ok := n.(*ast.CompositeLit); ok {
				if pkg, name := calleeName(cl.Type); name == "Error" && (pkg == "workshop" || (inWorkshop && pkg == "")) {
					for _, el := range cl.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok {
							if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Message" {
								if bl, ok := kv.Value.(*ast.BasicLit); ok && bl.Kind == token.STRING {
									if s, err := strconv.Unquote(bl.Value); err == nil {
										out = append(out, message{text: s, pos: fset.Position(cl.Pos()).String()})
									}
								}
							}
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
			lit := func(i int) (string, bool) {
				if i >= len(call.Args) {
					return "", false
				}
				bl, ok := call.Args[i].(*ast.BasicLit)
				if !ok || bl.Kind != token.STRING {
					return "", false
				}
				s, err := strconv.Unquote(bl.Value)
				return s, err == nil
			}
			pos := fset.Position(call.Pos()).String()
			add := func(i int) {
				if s, ok := lit(i); ok {
					out = append(out, message{text: s, pos: pos})
				}
			}
			switch {
			case pkg == "i18n" && (name == "T" || name == "Tf"):
				add(1)
			case pkg == "i18n" && name == "N":
				if s, ok := lit(3); ok {
					out = append(out, message{plural: s, pos: pos})
				}
			case (pkg == "workshop" || (inWorkshop && pkg == "")) && name == "Errorf":
				add(1)
			case (pkg == "workshop" || (inWorkshop && pkg == "")) && name == "FieldError":
				add(1)
			case (pkg == "workshop" || (inWorkshop && pkg == "")) && name == "FieldErrorf":
				add(2)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
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

// TestEveryStringTranslated fails when an interface string in the code has
// no Polish translation, or a counted phrase lacks its Polish forms.
func TestEveryStringTranslated(t *testing.T) {
	msgs := userMessages(t)
	if len(msgs) < 50 {
		t.Fatalf("found only %d interface strings; is the scan looking in the right place?", len(msgs))
	}
	missing := map[string]string{}
	for _, m := range msgs {
		if m.plural != "" {
			if _, ok := plurals[Polish][m.plural]; !ok {
				missing["plural "+strconv.Quote(m.plural)] = m.pos
			}
			continue
		}
		if strings.TrimSpace(m.text) == "" || !hasLetter(m.text) {
			continue
		}
		if _, ok := polish[m.text]; !ok {
			missing[strconv.Quote(m.text)] = m.pos
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
		t.Errorf("%d interface strings have no Polish translation; add them to a polish_*.go file:%s", len(missing), b.String())
	}
	if len(conflicts) > 0 {
		t.Errorf("strings translated twice, differently:\n  %s", strings.Join(conflicts, "\n  "))
	}
}

var verb = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z%]`)

// TestTranslationsKeepFormatVerbs checks that each translation of a format
// uses the same verbs as its English text, so Tf never prints %!(EXTRA).
func TestTranslationsKeepFormatVerbs(t *testing.T) {
	index := regexp.MustCompile(`\[\d+\]`)
	verbs := func(s string) string {
		vs := verb.FindAllString(s, -1)
		for i, v := range vs {
			vs[i] = index.ReplaceAllString(v, "")
		}
		sort.Strings(vs)
		return strings.Join(vs, " ")
	}
	for en, pl := range polish {
		if verbs(en) != verbs(pl) {
			t.Errorf("%q → %q: verbs %q and %q differ", en, pl, verbs(en), verbs(pl))
		}
	}
	for en, forms := range plurals[Polish] {
		for _, f := range forms {
			if strings.Count(f, "%") > 1 || (strings.Contains(en, "%d") && !strings.Contains(f, "%")) && f != "" {
				t.Errorf("plural %q → %q: the count must appear once", en, f)
			}
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
