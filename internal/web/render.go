package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"tiru/internal/kb"
	"tiru/static"
)

//go:embed templates/*.html
var templateFiles embed.FS

// Page is what every template receives.
type Page struct {
	L       *Localizer
	Title   string
	Path    string // the current path, for navigation state
	LangURL string // this page in the other language
	CSS     string
	JS      string
	Data    any
	Me      kb.Actor // who is logged in (zero when nobody)
	MeName  string
	CSRF    string // token for forms that change state
	Notice  string // what the request before this page did ("Tersimpan."), once
}

// parseTemplates builds one template set per page: the layout plus the page.
func (s *Server) parseTemplates() (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("list templates: %w", err)
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		base := strings.TrimSuffix(path.Base(n), ".html")
		if base == "layout" || strings.HasPrefix(base, "_") {
			continue
		}
		t, err := template.New("layout.html").Funcs(s.funcs()).ParseFS(templateFiles, "templates/layout.html", "templates/_*.html", n)
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", n, err)
		}
		pages[base] = t
	}
	return pages, nil
}

// funcs are the template helpers. They close over read-only reference data.
func (s *Server) funcs() template.FuncMap {
	g := s.ref.Ref.Regions
	return template.FuncMap{
		"date":      formatDate,
		"dateRange": formatDateRange,
		"number": func(lang string, v any) string {
			if n, ok := asInt(v); ok {
				return formatNumber(lang, n)
			}
			return fmt.Sprint(v)
		},
		"rupiah":     formatRupiah,
		"regionName": s.regionName,
		"provinceName": func(code string) string {
			if r, ok := g.Get(code); ok {
				if p, ok := g.Province(r); ok && p.Code != r.Code {
					return p.Name
				}
			}
			return ""
		},
		"urusanName": func(lang, code string) string {
			if u, ok := s.ref.Ref.Urusan.Get(code); ok {
				return u.Name(lang)
			}
			return code
		},
		"role":           func(lang, k string) string { return kb.Roles().Label(k, lang) },
		"stage":          func(lang, k string) string { return kb.Stages().Label(k, lang) },
		"innovationType": func(lang, k string) string { return kb.InnovationTypes().Label(k, lang) },
		"form":           func(lang, k string) string { return kb.Forms().Label(k, lang) },
		"initiator":      func(lang, k string) string { return kb.Initiators().Label(k, lang) },
		"sustainability": func(lang, k string) string { return kb.Sustainabilities().Label(k, lang) },
		"visitType":      func(lang, k string) string { return kb.VisitTypes().Label(k, lang) },
		"followUpStatus": func(lang, k string) string { return kb.FollowUpStatuses().Label(k, lang) },

		// The statuses a follow-up may move to, its own selected.
		"followUpOptions": func(lang, k string) []option { return options(kb.FollowUpStatuses().Terms, lang, k) },

		"adoptionStatus": func(lang, k string) string { return kb.AdoptionStatuses().Label(k, lang) },
		"adoptionDegree": func(lang, k string) string { return kb.AdoptionDegrees().Label(k, lang) },
		"evidence": func(lang string, n int) string {
			levels := kb.EvidenceLevels()
			if n < 1 || n > len(levels) {
				return ""
			}
			return fmt.Sprintf("%d – %s", n, levels[n-1].In(lang))
		},
		"markdown": func(src string) (template.HTML, error) {
			h, err := s.md.Render(src)
			if err != nil {
				return template.HTML(""), nil // oversized text is refused on input; never fail a page for it
			}
			return h, nil
		},
		// searchHref is the address of a saved search. The saved query is
		// already encoded; written into the href after "?", html/template
		// would encode it again ("q%3dwifi") and the link would open an
		// empty search. Parsed and encoded afresh, it can hold nothing but
		// query parameters.
		"searchHref": func(query string) template.URL {
			v, err := url.ParseQuery(query)
			if err != nil {
				return "/cari"
			}
			return template.URL("/cari?" + v.Encode())
		},
		// Whether to offer the visit form; the form's handlers check again.
		"canLogVisits":      func(a kb.Actor) bool { return a.CanWriteVisit(nil, nil) },
		"canEditVisit":      func(a kb.Actor, v kb.Visit) bool { return a.CanWriteVisit(&v, nil) },
		"canWriteUp":        func(a kb.Actor) bool { return a.CanWriteInnovation(nil, nil) },
		"canEditInnovation": func(a kb.Actor, in kb.Innovation) bool { return a.CanWriteInnovation(&in, nil) },
		// dateInput is the type of an input holding v: a date input where v
		// is a date (or empty), else a text input, since a date input's
		// value must be a valid date and a refused form shows what was sent.
		"dateInput": func(v string) string {
			if _, err := time.Parse(kb.DateLayout, v); err == nil || v == "" {
				return "date"
			}
			return "text"
		},
		// numberInput is dateInput for a whole number.
		"numberInput": func(v string) string {
			if _, err := strconv.Atoi(v); err == nil || v == "" {
				return "number"
			}
			return "text"
		},
		"add":            func(a, b int) int { return a + b },
		"maxAttachments": func() int { return kb.MaxAttachments },
		// cond is a if ok, else b: a choice inside a dict call.
		"cond": func(ok bool, a, b any) any {
			if ok {
				return a
			}
			return b
		},
		// yearMin and yearMax bound a starting year as kb checks it: a
		// year the form accepts is one the server takes.
		"yearMin": func() int { return kb.MinYear },
		"yearMax": func() int { return time.Now().In(wib).Year() + 1 },
		// dict passes several values to a shared template.
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict: odd number of arguments")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
	}
}

// render writes a page with status, wrapping data in the layout.
func (s *Server) render(c *gin.Context, status int, name, title string, data any) {
	t, ok := s.pages[name]
	if !ok {
		s.log.Error("missing template", "name", name)
		c.String(http.StatusInternalServerError, "kesalahan internal / internal error")
		return
	}
	l := s.localizer(c)
	p := Page{L: l, Title: title, Path: c.Request.URL.Path, LangURL: langURL(c.Request.URL, l.Other()),
		CSS: s.assets.url("css/tiru.css"), JS: s.assets.url("js/tiru.js"), Data: data}
	pr := s.principal(c)
	if pr.user != nil && !pr.mfaPending {
		p.Me, p.MeName = pr.actor(), pr.user.Name
	}
	p.Notice = s.takeNotice(c, l)
	// Any form posted with a session cookie needs its token, including the
	// second-factor, login and reset forms of a half-logged-in browser.
	p.CSRF = csrfToken(pr.secret)
	var buf bytes.Buffer
	if err := t.Execute(&buf, p); err != nil {
		s.log.Error("render", "request_id", requestIDOf(c), "template", name, "error", err)
		c.String(http.StatusInternalServerError, "kesalahan internal / internal error (permintaan / request "+requestIDOf(c)+")")
		return
	}
	c.Header("Content-Language", l.Lang)
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// langURL is the current URL with lang set, for the language switch. It
// is the query alone, which a browser takes relative to the page itself:
// with the path written out, a request for //elsewhere.example/x put a
// link to another site on its "not found" page.
func langURL(u *url.URL, lang string) string {
	q := u.Query()
	q.Set("lang", lang)
	return "?" + q.Encode()
}

// assets serves static files under /static/<hash>/<path>, so they can be
// cached for a year and a new build is never served stale.
type assets struct {
	files map[string][]byte
	hash  map[string]string
}

func newAssets() (*assets, error) {
	a := &assets{files: map[string][]byte{}, hash: map[string]string{}}
	err := fs.WalkDir(static.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".go") {
			return err
		}
		b, err := fs.ReadFile(static.FS(), p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		a.files[p] = b
		a.hash[p] = hex.EncodeToString(sum[:6])
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load static files: %w", err)
	}
	return a, nil
}

func (a *assets) url(p string) string { return "/static/" + a.hash[p] + "/" + p }

func (s *Server) static(c *gin.Context) {
	p := strings.TrimPrefix(c.Param("path"), "/")
	hash, rest, ok := strings.Cut(p, "/")
	b, found := s.assets.files[rest]
	if !ok || !found {
		s.fail(c, fmt.Errorf("static %s: %w", p, kb.ErrNotFound))
		return
	}
	if hash == s.assets.hash[rest] {
		c.Header("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		c.Header("Cache-Control", "no-cache")
	}
	ctype := "application/octet-stream"
	switch path.Ext(rest) {
	case ".css":
		ctype = "text/css; charset=utf-8"
	case ".js":
		ctype = "text/javascript; charset=utf-8"
	case ".svg":
		ctype = "image/svg+xml"
	}
	c.Data(http.StatusOK, ctype, b)
}

// noticeCookie carries, across a redirect, what a form just did, so that
// the page it lands on can say so ("Tersimpan."). A cookie rather than a
// query parameter: the address stays the record's own, to bookmark or
// share.
const noticeCookie = "tiru_notice"

// notify says, on the next page this browser shows, that key was done.
func (s *Server) notify(c *gin.Context, key string) {
	s.setCookie(c, noticeCookie, key, 60)
}

// takeNotice returns the notice waiting for this page, in the reader's
// language, and clears it so that it is shown once.
func (s *Server) takeNotice(c *gin.Context, l *Localizer) string {
	key, err := c.Cookie(noticeCookie)
	if err != nil || key == "" || method(c.Request) == http.MethodHead {
		// A HEAD request shows nothing, so it keeps the notice for the
		// page that will.
		return ""
	}
	s.setCookie(c, noticeCookie, "", -1)
	// The cookie holds only a key, and only these are shown: nothing a
	// client sets there reaches the page.
	switch key {
	case "saved", "saved_earlier", "deleted", "password", "search_saved", "totp", "followup_moved", "attachment_added", "attachment_deleted":
		return l.T("notice." + key)
	}
	return ""
}
