// Package static embeds the CSS, JavaScript and images that pages use,
// served verbatim under URLs that carry a content hash.
package static

import (
	"embed"
	"io/fs"
)

//go:embed css js
var files embed.FS

// FS returns the static files, rooted so that "css/tiru.css" is a path in it.
func FS() fs.FS { return files }
