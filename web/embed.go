// Package web holds the browser workspace of relsop serve: static HTML,
// CSS and native JavaScript modules with no build step, embedded into the
// binary.
package web

import (
	"embed"
	"io/fs"
)

//go:embed static
var static embed.FS

// Assets returns the files of the browser workspace, rooted so that
// "index.html" is at the top. The server answers index.html for any path
// that is neither an asset nor under /api/: the app routes with URL hashes.
func Assets() fs.FS {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // the directory is embedded above; this cannot fail
	}
	return sub
}
