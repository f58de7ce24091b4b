// Package assets serves the stylesheets, scripts and images embedded in the
// binary under content-hashed URLs, so browsers may cache them for good.
package assets

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed css js img
var files embed.FS

// Prefix is where assets are served.
const Prefix = "/assets/"

var (
	hashed   = map[string]string{} // "css/app.css" -> "/assets/css/app.1a2b3c4d5e.css"
	original = map[string]string{} // the reverse, without the prefix
)

func init() {
	fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == "embed.go" {
			return err
		}
		b, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ext := path.Ext(p)
		name := strings.TrimSuffix(p, ext) + "." + hex.EncodeToString(sum[:5]) + ext
		hashed[p] = Prefix + name
		original[name] = p
		return nil
	})
}

// Path returns the content-hashed URL of an asset, e.g. Path("css/app.css").
// It panics on an unknown name: a typo must fail the first test that renders it.
func Path(name string) string {
	p, ok := hashed[name]
	if !ok {
		panic("assets: no file " + name)
	}
	return p
}

// Handler serves the hashed URLs with a year-long immutable cache.
func Handler() http.Handler {
	fileServer := http.FileServerFS(files)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, Prefix)
		orig, ok := original[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		r2 := r.Clone(r.Context())
		r2.URL.Path = "/" + orig
		fileServer.ServeHTTP(w, r2)
	})
}
