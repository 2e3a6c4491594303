package markdown

import (
	"crypto/sha256"
	"html/template"
	"sync"
)

// A long write-up is rendered once, not on every view. Rendering a
// megabyte of pathological Markdown (a quarter of a million footnote
// references, say) takes about two seconds, and every anonymous view of
// that page did it again: a few views at once kept both cores busy.
// Sources from cacheFrom bytes are cached by their digest, so an edited
// write-up is simply another entry; the cache keeps at most cacheBytes of
// HTML and drops the oldest entries first.
const (
	cacheFrom  = 16 << 10
	cacheBytes = 64 << 20
)

type renderCache struct {
	mu      sync.Mutex
	limit   int
	size    int
	entries map[[sha256.Size]byte]*rendering
	order   [][sha256.Size]byte // keys, oldest first
}

// rendering is one source's HTML, or a promise of it while the first
// request renders it and the others wait instead of rendering it again.
type rendering struct {
	done chan struct{}
	html template.HTML
}

func newRenderCache(limit int) *renderCache {
	return &renderCache{limit: limit, entries: map[[sha256.Size]byte]*rendering{}}
}

// get returns the HTML of src, calling render only if no other call has
// rendered it or is rendering it.
func (c *renderCache) get(src string, render func() template.HTML) template.HTML {
	key := sha256.Sum256([]byte(src))
	c.mu.Lock()
	if e, ok := c.entries[key]; ok {
		c.mu.Unlock()
		<-e.done
		return e.html
	}
	e := &rendering{done: make(chan struct{})}
	c.entries[key] = e
	c.mu.Unlock()

	// A panic in the renderer must not leave waiters blocked forever.
	defer func() {
		if v := recover(); v != nil {
			c.mu.Lock()
			delete(c.entries, key)
			c.mu.Unlock()
			close(e.done)
			panic(v)
		}
	}()
	e.html = render()
	close(e.done)

	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries[key] != e {
		return e.html
	}
	c.order = append(c.order, key)
	c.size += len(e.html)
	for c.size > c.limit && len(c.order) > 1 {
		old := c.order[0]
		c.order = c.order[1:]
		if o, ok := c.entries[old]; ok {
			c.size -= len(o.html)
			delete(c.entries, old)
		}
	}
	return e.html
}
