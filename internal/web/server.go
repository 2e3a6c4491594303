// Package web serves Tiru's pages and JSON API. It is the only package that
// imports Gin: every route is declared in routes, handlers are thin, and
// errors are mapped to statuses in one place.
package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"tiru/internal/auth"
	"tiru/internal/ingest"
	"tiru/internal/kb"
	"tiru/internal/markdown"
	"tiru/internal/search"
	"tiru/internal/sqlite"
)

// Config is everything the web layer needs.
type Config struct {
	DB        *sqlite.DB
	Reference *ingest.ReferenceData
	Search    *search.Index
	Logger    *slog.Logger
	// MaxBodyBytes bounds request bodies (default 8 MiB: a record of the
	// largest size the import accepts).
	MaxBodyBytes int64
	// TrustedProxies are the addresses (or CIDR ranges) of reverse proxies
	// whose X-Forwarded-For is believed; none by default, so rate limits
	// and the audit log see the real peer and cannot be fooled.
	TrustedProxies []string
	// SecureCookies marks cookies Secure even when TLS ends at a proxy.
	SecureCookies bool
	// RequestsPerSecond and Burst limit each client address (defaults 20
	// and 60); a negative rate turns the limit off, for load tests.
	RequestsPerSecond, Burst float64
}

// Server holds the parsed templates and the dependencies of the handlers.
type Server struct {
	db      *sqlite.DB
	ref     *ingest.ReferenceData
	search  *search.Index
	log     *slog.Logger
	md      *markdown.Renderer
	pages   map[string]*template.Template
	assets  *assets
	catalog map[string]kb.Text
	maxBody int64
	// hashSlots bounds the password hashes and checks run at once: each
	// takes 64 MiB for a moment, and logins sent together from many
	// addresses, which no throttle holds back, took memory without bound
	// (60 at once, about 4 GB).
	hashSlots chan struct{}

	proxies         []string
	secureCookies   bool
	loginThrottle   *auth.Throttle // per account named at login
	addressThrottle *auth.Throttle // per client address, across accounts
	// accountThrottle counts guesses made inside an account: second-factor
	// codes and the current password when changing it. It is apart from
	// loginThrottle so that a flood of logins for made-up accounts, which
	// anyone can send, cannot crowd these keys out of counting.
	accountThrottle *auth.Throttle
	limiter         *rateLimiter
	metrics         *metrics
	stash           *sessionStash

	// beforeWrite, nil but in tests, is called by a record's save (a form's
	// or the API's) with the record's slug after the save has read and
	// checked the record and before its write begins: a test writes the
	// record there, exactly where another writer's save would race it.
	beforeWrite func(slug string)
	// beforeFileRead, nil but in tests, is called by a file's download
	// with the visit's slug after a revalidation has read the file's row
	// and before the file is read with its content: a test deletes the
	// file there, as a delete racing the download would.
	beforeFileRead func(slug string)

	// pagePatterns are the route patterns that answer GET with a page,
	// filled in by Handler: the places a login may send the reader back to.
	pagePatterns []string
	// routePatterns are every route's pattern by method, filled in by
	// Handler: where a path with a trailing slash may be sent (see
	// redirectSlash).
	routePatterns map[string][]string
}

// New parses every template (so a broken one fails at start, not on first
// use) and prepares the static files.
func New(cfg Config) (*Server, error) {
	if cfg.DB == nil || cfg.Reference == nil || cfg.Search == nil {
		return nil, errors.New("web: DB, Reference and Search are required")
	}
	s := &Server{db: cfg.DB, ref: cfg.Reference, search: cfg.Search, log: cfg.Logger, md: markdown.New(), catalog: messages(), maxBody: cfg.MaxBodyBytes,
		hashSlots: make(chan struct{}, max(2, runtime.NumCPU()))}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.maxBody <= 0 {
		s.maxBody = 8 << 20
	}
	// A proxy address that does not parse must stop the server: trusting
	// no proxy instead would give every client behind the proxy one
	// address, and one client's throttling would lock out all of them.
	for _, p := range cfg.TrustedProxies {
		if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
			return nil, fmt.Errorf("proksi tepercaya %q bukan alamat IP atau rentang CIDR (trusted proxy %q is not an IP address or CIDR range)", p, p)
		}
	}
	s.proxies, s.secureCookies = cfg.TrustedProxies, cfg.SecureCookies
	s.metrics = newMetrics()
	s.stash = newSessionStash()
	// Five wrong passwords in fifteen minutes pause an account or an address.
	s.loginThrottle = auth.NewThrottle(5, 15*time.Minute)
	s.accountThrottle = auth.NewThrottle(5, 15*time.Minute)
	// An office reaches Tiru from one address: five typos of one person
	// must not lock out everyone there. Guessing across accounts from one
	// address is still stopped, at six times the per-account limit.
	s.addressThrottle = auth.NewThrottle(30, 15*time.Minute)
	if cfg.RequestsPerSecond >= 0 {
		rate, burst := cfg.RequestsPerSecond, cfg.Burst
		if rate == 0 {
			rate = 20
		}
		if burst == 0 {
			burst = 60
		}
		s.limiter = newRateLimiter(rate, burst)
	}
	var err error
	if s.assets, err = newAssets(); err != nil {
		return nil, err
	}
	if s.pages, err = s.parseTemplates(); err != nil {
		return nil, err
	}
	return s, nil
}

// Handler returns the HTTP handler with every route.
func (s *Server) Handler() http.Handler {
	// Gin keeps its mode in a package variable; release mode stops it
	// printing every route and a debug warning. Setting it here, where the
	// engine is made, serves the server and the tests alike, and setting
	// it again is harmless.
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	// Gin's own redirect of a path with a trailing slash answers before
	// any middleware runs: unlogged, uncounted and not rate-limited.
	// redirectSlash does it instead, inside the chain.
	r.RedirectTrailingSlash = false
	// No proxy is trusted until one is configured, so c.ClientIP() is the
	// real peer and cannot be forged with X-Forwarded-For.
	if err := r.SetTrustedProxies(s.proxies); err != nil {
		s.log.Error("trusted proxies", "error", err)
		_ = r.SetTrustedProxies(nil)
	}
	r.Use(s.requestID, s.recover, s.logRequests, s.limitRate, s.redirectSlash, s.limitBody, s.authenticate, s.allowUploadTime, s.checkCSRF)
	s.routes(r)
	var patterns []string
	byMethod := map[string][]string{}
	for _, ri := range r.Routes() {
		if ri.Method == http.MethodGet && isPagePath(ri.Path) {
			patterns = append(patterns, ri.Path)
		}
		byMethod[ri.Method] = append(byMethod[ri.Method], ri.Path)
	}
	s.pagePatterns, s.routePatterns = patterns, byMethod
	// Go's cross-origin protection refuses state-changing requests that a
	// browser marks as coming from another site (Sec-Fetch-Site, Origin).
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte("Permintaan lintas situs ditolak. (Cross-origin request refused.)\n"))
	}))
	// The security headers go on first, outside Gin: the cross-origin
	// refusal answers before Gin is reached at all.
	return securityHeaders(cop.Handler(dropForwardedPrefix(headAsGet(r))))
}

// dropForwardedPrefix removes X-Forwarded-Prefix from every request before
// Gin sees it. Gin's own redirect of a path with a trailing slash, now
// turned off for redirectSlash, put that header's value before the path,
// whoever sent it, trusted proxy or not; a cache in front of Tiru would
// keep the redirect and send every reader wherever one request said. The
// header stays dropped so that nothing of Gin's can take it up again. Tiru
// serves every page at the root of its host (its links are all absolute),
// so the header would not be honoured from a proxy either.
func dropForwardedPrefix(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := r.Header["X-Forwarded-Prefix"]; ok {
			// A copy: a handler must not change the request it is given.
			r = r.Clone(r.Context())
			r.Header.Del("X-Forwarded-Prefix")
		}
		h.ServeHTTP(w, r)
	})
}

// headRequest marks, in a request's context, a HEAD request that headAsGet
// routes as a GET.
type headRequest struct{}

// headAsGet answers HEAD on every GET route, as HTTP asks and as uptime
// monitors and link checkers expect: Gin matches methods exactly, so
// without this every HEAD was a 405. The request goes through the whole
// GET chain (session, CSRF, rate limit, login checks), so status and
// headers are the GET's; net/http's server discards the body written for a
// HEAD request, which it still sees as HEAD, and keeps the Content-Length
// of a body that fits its buffer. A route without GET still refuses HEAD
// with 405.
func headAsGet(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			// WithContext copies the request: the server's own copy
			// keeps HEAD, which is what makes it drop the body.
			r = r.WithContext(context.WithValue(r.Context(), headRequest{}, true))
			r.Method = http.MethodGet
		}
		h.ServeHTTP(w, r)
	})
}

// method is the request's method as the client sent it: HEAD for a HEAD
// request routed as GET, so that logs and metrics count it apart.
func method(r *http.Request) string {
	if r.Context().Value(headRequest{}) != nil {
		return http.MethodHead
	}
	return r.Method
}

// routes declares every route of Tiru in one place.
func (s *Server) routes(r *gin.Engine) {
	// Pages.
	r.GET("/", s.home)
	r.GET("/cari", s.searchPage)
	r.GET("/inovasi", s.innovationList)
	r.GET("/inovasi/:slug", s.innovationPage)
	r.GET("/inovasi/baru", s.newInnovationForm)
	r.POST("/inovasi/baru", s.createInnovationForm)
	r.GET("/inovasi/:slug/ubah", s.editInnovationForm)
	r.POST("/inovasi/:slug/ubah", s.updateInnovationForm)
	r.POST("/inovasi/:slug/hapus", s.deleteInnovationForm)
	r.GET("/kunjungan", s.visitList)
	r.GET("/kunjungan/:slug", s.visitPage)
	r.GET("/kunjungan/baru", s.newVisitForm)
	r.POST("/kunjungan/baru", s.createVisitForm)
	r.GET("/kunjungan/:slug/ubah", s.editVisitForm)
	r.POST("/kunjungan/:slug/ubah", s.updateVisitForm)
	r.POST("/kunjungan/:slug/hapus", s.deleteVisitForm)
	r.POST("/kunjungan/:slug/tindak-lanjut", s.setFollowUpStatus)
	r.GET("/kunjungan/:slug/lampiran/:id", s.attachmentFile)
	r.POST(uploadPageRoute, s.addAttachmentForm)
	r.POST("/kunjungan/:slug/lampiran/:id/hapus", s.deleteAttachmentForm)
	r.GET("/replikasi", s.board)
	r.GET("/replikasi/unduh.csv", s.boardCSV)
	r.GET("/replikasi/tindak-lanjut.csv", s.followUpsCSV)
	r.GET("/wilayah", s.regionList)
	r.GET("/wilayah/:code", s.regionPage)
	r.GET("/instansi/:slug", s.agencyPage)
	r.POST("/inovasi/:slug/replikasi", s.adoptionForm)
	r.POST("/tandai", s.bookmark)
	r.POST("/cari/simpan", s.saveSearch)

	// Accounts.
	r.GET("/masuk", s.loginForm)
	r.POST("/masuk", s.login)
	r.POST("/masuk/kode", s.loginCode)
	r.POST("/keluar", s.logout)
	r.GET("/akun", s.account)
	r.GET("/akun/sandi", s.passwordForm)
	r.POST("/akun/sandi", s.changePassword)
	r.POST("/akun/token", s.createToken)
	r.POST("/akun/token/:id/cabut", s.revokeToken)
	r.POST("/akun/pencarian/:id/hapus", s.deleteSavedSearch)
	r.GET("/akun/2fa", s.totpForm)
	r.POST("/akun/2fa", s.totpEnable)
	r.GET("/sandi-baru/:token", s.resetForm)
	r.POST("/sandi-baru/:token", s.reset)

	// Administration.
	r.GET("/admin/pengguna", s.users)
	r.POST("/admin/pengguna", s.createUser)
	r.POST("/admin/pengguna/:id/reset", s.resetUser)
	r.POST("/admin/pengguna/:id/peran", s.setRole)
	r.POST("/admin/pengguna/:id/nonaktifkan", s.setUserDisabled(true))
	r.POST("/admin/pengguna/:id/aktifkan", s.setUserDisabled(false))
	r.GET("/admin/audit", s.auditPage)

	// Static files and probes.
	r.GET("/static/*path", s.static)
	r.GET("/healthz", func(c *gin.Context) { c.String(http.StatusOK, "ok\n") })
	r.GET("/readyz", s.readyz)
	r.GET("/metrics", s.metricsPage)

	// JSON API v1.
	api := r.Group("/api/v1")
	api.GET("/openapi.json", s.openAPI)
	api.GET("/search", s.apiSearch)
	api.GET("/innovations", s.apiInnovations)
	api.GET("/innovations/:slug", s.apiInnovation)
	api.GET("/visits", s.apiVisits)
	api.GET("/visits/:slug", s.apiVisit)
	api.GET("/regions", s.apiRegions)
	api.GET("/regions/:code", s.apiRegion)
	api.GET("/adoptions", s.apiAdoptions)
	api.GET("/follow-ups", s.apiFollowUps)
	api.POST("/innovations", s.apiCreateInnovation)
	api.PUT("/innovations/:slug", s.apiUpdateInnovation)
	api.DELETE("/innovations/:slug", s.apiDeleteInnovation)
	api.PUT("/innovations/:slug/adoptions/:region", s.apiMoveAdoption)
	api.POST("/visits", s.apiCreateVisit)
	api.PUT("/visits/:slug", s.apiUpdateVisit)
	api.DELETE("/visits/:slug", s.apiDeleteVisit)
	api.POST(strings.TrimPrefix(uploadAPIRoute, "/api/v1"), s.apiAddAttachment)
	api.GET("/visits/:slug/attachments/:id", s.attachmentFile)
	api.DELETE("/visits/:slug/attachments/:id", s.apiDeleteAttachment)

	r.NoRoute(func(c *gin.Context) { s.fail(c, fmt.Errorf("route %s: %w", c.Request.URL.Path, kb.ErrNotFound)) })
	r.NoMethod(func(c *gin.Context) {
		// Gin lists the routes' methods; every GET also answers HEAD.
		if allow := c.Writer.Header().Get("Allow"); slices.Contains(strings.Split(allow, ", "), http.MethodGet) {
			c.Header("Allow", allow+", "+http.MethodHead)
		}
		s.failStatus(c, http.StatusMethodNotAllowed, "method_not_allowed", "error.method")
	})
}

// viewer is what the request's user may read.
func (s *Server) viewer(c *gin.Context) kb.Viewer { return s.actor(c).Viewer() }

func (s *Server) requestID(c *gin.Context) {
	var b [8]byte
	_, _ = rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	c.Set("request_id", id)
	c.Header("X-Request-ID", id)
	c.Next()
}

func requestIDOf(c *gin.Context) string { return c.GetString("request_id") }

// recover turns a panic into a logged 500 whose page shows only the request
// id, never the panic or a stack trace.
func (s *Server) recover(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("panic", "request_id", requestIDOf(c), "path", c.Request.URL.Path, "panic", fmt.Sprint(v))
			if !c.Writer.Written() {
				s.failStatus(c, http.StatusInternalServerError, "internal", "error.internal")
			}
			c.Abort()
		}
	}()
	c.Next()
}

func (s *Server) logRequests(c *gin.Context) {
	start := time.Now()
	c.Next()
	s.metrics.observe(method(c.Request), c.Writer.Status(), time.Since(start))
	s.log.Info("request", "request_id", requestIDOf(c), "method", method(c.Request), "path", c.Request.URL.Path,
		"status", c.Writer.Status(), "duration_ms", float64(time.Since(start).Microseconds())/1000)
}

// redirectSlash sends a request for a route's path with a slash added
// ("/inovasi/?q=air") to the route's own path, the query kept: 301 for
// GET (and HEAD, routed as GET), 307 for other methods so that the body
// is sent again, as Gin's own redirect did. It runs after the request is
// logged, counted and rate-limited, as every request is, and before the
// session is looked up, which a redirect does not need. Only a path that
// no route takes is redirected, and only to a path of this site: a
// request for "//evil.com/" is a 404, never a redirect to another host.
func (s *Server) redirectSlash(c *gin.Context) {
	if c.FullPath() == "" {
		if to, ok := s.slashTarget(c.Request); ok {
			code := http.StatusMovedPermanently
			if c.Request.Method != http.MethodGet {
				code = http.StatusTemporaryRedirect
			}
			c.Redirect(code, to)
			c.Abort()
			return
		}
	}
	c.Next()
}

// slashTarget is where redirectSlash sends r: its path without the one
// trailing slash, when a route of r's method takes that path.
func (s *Server) slashTarget(r *http.Request) (string, bool) {
	p, escaped := r.URL.Path, r.URL.EscapedPath()
	if p == "/" || !strings.HasSuffix(p, "/") || !strings.HasSuffix(escaped, "/") {
		return "", false
	}
	p, escaped = p[:len(p)-1], escaped[:len(escaped)-1]
	// An empty segment matches no route ("//evil.com", "/inovasi//"), and
	// routeMatches, which trims slashes, must not be asked about one;
	// safeBack refuses anything a browser could read as another host.
	if strings.Contains(p, "//") || strings.HasSuffix(p, "/") || safeBack(escaped) != escaped {
		return "", false
	}
	for _, pattern := range s.routePatterns[r.Method] {
		if routeMatches(pattern, p) {
			if r.URL.RawQuery != "" {
				escaped += "?" + r.URL.RawQuery
			}
			return escaped, true
		}
	}
	return "", false
}

// securityHeaders forbids inline scripts and framing, so even markup that
// slipped through sanitising could not run, on every answer the handler
// gives, whichever part of it writes the answer.
func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		hd.Set("X-Frame-Options", "DENY")
		h.ServeHTTP(w, r)
	})
}

// limitBody caps the request body: at the server's cap, or, for the
// routes that take a file, at what one file and its form need.
func (s *Server) limitBody(c *gin.Context) {
	if c.Request.Body != nil {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, s.bodyLimit(c.FullPath()))
	}
	c.Next()
}

// allowUploadTime gives a signed-in writer's upload the time a file takes
// to arrive (see uploadTime), before anything reads its body. Only once
// the writer is known: a stranger could otherwise hold a connection for
// ten minutes by sending slowly.
func (s *Server) allowUploadTime(c *gin.Context) {
	if isUploadRoute(c.FullPath()) && s.actor(c).LoggedIn() {
		// Where the writer cannot move its deadlines (a test's
		// recorder), the server's own stand.
		rc := http.NewResponseController(c.Writer)
		deadline := time.Now().Add(uploadTime)
		_ = rc.SetReadDeadline(deadline)
		_ = rc.SetWriteDeadline(deadline)
	}
	c.Next()
}

// isAPI reports whether the request is for the JSON API, which answers
// errors in JSON rather than as a page. /metrics counts as API: scrapers
// read it, and a scraper without its token needs a 401, not a login page.
func isAPI(c *gin.Context) bool {
	p := c.Request.URL.Path
	return strings.HasPrefix(p, "/api/") || p == "/metrics"
}

// fail maps an error to a status and answers with a page or JSON. Internal
// errors are logged with the request id and never shown.
func (s *Server) fail(c *gin.Context, err error) {
	switch {
	case errors.Is(err, kb.ErrNotFound):
		s.failStatus(c, http.StatusNotFound, "not_found", "error.not_found")
	case errors.Is(err, kb.ErrInvalid):
		s.failStatus(c, http.StatusBadRequest, "invalid", "error.invalid")
	case errors.Is(err, kb.ErrForbidden):
		s.failStatus(c, http.StatusForbidden, "forbidden", "error.forbidden")
	case errors.Is(err, kb.ErrConflict):
		s.failStatus(c, http.StatusConflict, "conflict", "error.conflict")
	case errors.Is(err, sqlite.ErrBusy):
		// Another process (an import from the command line) holds the
		// database: nothing is wrong with the request, and it will
		// succeed again shortly.
		c.Header("Retry-After", strconv.Itoa(busyRetrySeconds))
		s.log.Warn("database busy", "request_id", requestIDOf(c), "path", c.Request.URL.Path, "error", err)
		s.failStatus(c, http.StatusServiceUnavailable, "busy", "error.busy")
	case errors.Is(err, context.Canceled):
		c.AbortWithStatus(499)
	default:
		s.log.Error("request failed", "request_id", requestIDOf(c), "path", c.Request.URL.Path, "error", err)
		s.failStatus(c, http.StatusInternalServerError, "internal", "error.internal")
	}
}

// busyRetrySeconds is how long a client is asked to wait when the database
// is busy with another process's write.
const busyRetrySeconds = 10

func (s *Server) failStatus(c *gin.Context, status int, code, msgKey string) {
	l := s.localizer(c)
	if isAPI(c) {
		c.AbortWithStatusJSON(status, apiError{Error: apiErrorBody{Code: code, Message: l.T(msgKey), RequestID: requestIDOf(c)}})
		return
	}
	s.render(c, status, "error", l.T(msgKey), errorPage{Status: status, Message: l.T(msgKey), RequestID: requestIDOf(c)})
	c.Abort()
}

type errorPage struct {
	Status    int
	Message   string
	RequestID string
}
