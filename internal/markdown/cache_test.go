package markdown

import (
	"fmt"
	"html/template"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// A long write-up shows the same HTML from the cache as rendered afresh,
// and an edit (another source) is rendered anew.
func TestLongWriteUpsRenderTheSameFromTheCache(t *testing.T) {
	r := New()
	src := strings.Repeat("Warga melapor [jalan rusak](https://lapor.example.go.id) lewat <script>alert(1)</script> aplikasi.\n\n", 400)
	if len(src) < cacheFrom {
		t.Fatalf("source of %d bytes would not be cached", len(src))
	}
	fresh := template.HTML(r.policy.SanitizeBytes(toHTML([]byte(src))))
	for i := range 2 {
		got, err := r.Render(src)
		if err != nil {
			t.Fatal(err)
		}
		if got != fresh {
			t.Fatalf("render %d differs from a fresh rendering", i)
		}
	}
	edited, err := r.Render(src + "Tambahan.")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(edited), "Tambahan.") {
		t.Error("an edited write-up shows the cached HTML of the old one")
	}
	if strings.Contains(string(fresh), "<script") {
		t.Error("the cached HTML holds a script")
	}
}

// Views that arrive while a write-up is being rendered wait for that
// rendering instead of each starting one.
func TestConcurrentViewsRenderOnce(t *testing.T) {
	c := newRenderCache(1 << 20)
	var renders atomic.Int32
	release := make(chan struct{})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			got := c.get("sumber", func() template.HTML {
				renders.Add(1)
				<-release
				return "<p>hasil</p>"
			})
			if got != "<p>hasil</p>" {
				t.Errorf("got %q", got)
			}
		})
	}
	close(release)
	wg.Wait()
	if n := renders.Load(); n != 1 {
		t.Errorf("rendered %d times, want once", n)
	}
}

// The cache holds at most its budget of HTML, dropping the oldest.
func TestRenderCacheStaysWithinItsBudget(t *testing.T) {
	c := newRenderCache(10 << 10)
	for i := range 100 {
		c.get(fmt.Sprint(i), func() template.HTML { return template.HTML(strings.Repeat("x", 1<<10)) })
	}
	if c.size > c.limit || c.len() != 10 {
		t.Errorf("cache holds %d bytes in %d entries, budget %d bytes", c.size, c.len(), c.limit)
	}
	calls := 0
	c.get("99", func() template.HTML { calls++; return "" })
	c.get("0", func() template.HTML { calls++; return "" })
	if calls != 1 {
		t.Errorf("%d renders for the newest and the oldest entry, want 1 (the oldest, dropped)", calls)
	}
}

// BenchmarkRenderPathological renders a megabyte of footnote references
// (the slowest input found for gomarkdown and bluemonday together) afresh
// and from the cache, as a page view does.
func BenchmarkRenderPathological(b *testing.B) {
	src := strings.Repeat("[^1]", (MaxSourceBytes-16)/4) + "\n\n[^1]: x"
	r := New()
	b.Run("fresh", func(b *testing.B) {
		for range b.N {
			r.policy.SanitizeBytes(toHTML([]byte(src)))
		}
	})
	b.Run("cached", func(b *testing.B) {
		if _, err := r.Render(src); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for range b.N {
			if _, err := r.Render(src); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// len is the number of sources cached.
func (c *renderCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}
