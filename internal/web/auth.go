package web

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"tiru/internal/auth"
	"tiru/internal/kb"
	"tiru/internal/sqlite"
)

// Session lifetimes: a session ends after two idle hours or twelve hours in
// all, whichever comes first — a working day at a regional office.
const (
	sessionCookie   = "tiru_session"
	sessionIdle     = 2 * time.Hour
	sessionAbsolute = 12 * time.Hour
	resetLinkTTL    = 48 * time.Hour
)

// principal is who a request comes from, as far as the server knows.
type principal struct {
	user        *sqlite.User
	sessionHash string // empty for API tokens and anonymous requests
	secret      string // the session cookie's value, for the CSRF token
	mfaPending  bool   // logged in with a password, second factor not yet given
	viaToken    bool
}

// actor returns the permission view of the request's user.
func (p *principal) actor() kb.Actor {
	if p == nil || p.user == nil || p.mfaPending {
		return kb.Actor{}
	}
	a := p.user.Actor()
	// An admin who has not set up a second factor has a user's rights only
	// until they do: the admin role is too powerful to guard with a password.
	if a.Role == kb.RoleAdmin && !p.user.TOTPEnabled {
		a.Role = kb.RoleStaf
	}
	return a
}

func (s *Server) principal(c *gin.Context) *principal {
	if p, ok := c.Get("principal"); ok {
		return p.(*principal)
	}
	return &principal{}
}

func (s *Server) actor(c *gin.Context) kb.Actor { return s.principal(c).actor() }

// who names the request's user for revisions and the audit log.
func (s *Server) who(c *gin.Context) sqlite.Who {
	w := sqlite.Who{IP: c.ClientIP(), RequestID: requestIDOf(c), Name: "anonim"}
	if p := s.principal(c); p.user != nil {
		w.UserID, w.Name = p.user.ID, p.user.Email
	}
	return w
}

// authenticate finds the user behind a request: a Bearer token for the API,
// or a session cookie. A bad or expired credential is just anonymous; the
// routes that need a user then say 401.
func (s *Server) authenticate(c *gin.Context) {
	ctx := c.Request.Context()
	p := &principal{}
	if h := c.GetHeader("Authorization"); h != "" {
		token, ok := strings.CutPrefix(h, "Bearer ")
		if ok && token != "" && len(token) < 200 {
			u, err := s.db.TokenUser(ctx, auth.HashSecret(strings.TrimSpace(token)))
			if errors.Is(err, sqlite.ErrTokenUseNotRecorded) {
				s.log.Warn("record token use", "request_id", requestIDOf(c), "error", err)
				err = nil
			}
			if err != nil && !errors.Is(err, kb.ErrNotFound) {
				// The database failed, not the token: a 500 the log keeps,
				// not a "bad token" that sends the client to make a new one.
				s.fail(c, fmt.Errorf("authenticate token: %w", err))
				return
			}
			if err == nil && !u.Disabled {
				p.user, p.viaToken = u, true
			}
		}
		if p.user == nil {
			c.Header("WWW-Authenticate", `Bearer realm="tiru"`)
			s.failStatus(c, http.StatusUnauthorized, "unauthorized", "error.bad_token")
			return
		}
	} else if secret, err := c.Cookie(sessionCookie); err == nil && secret != "" && len(secret) < 200 {
		hash := auth.HashSecret(secret)
		sess, err := s.db.GetSession(ctx, hash)
		if err != nil && !errors.Is(err, kb.ErrNotFound) {
			// A database that fails for a moment must not log people out:
			// the cookie stays, and the next request finds the session.
			s.fail(c, fmt.Errorf("authenticate session: %w", err))
			return
		}
		if err == nil {
			now := time.Now()
			if now.Sub(sess.LastSeen) > sessionIdle || now.Sub(sess.CreatedAt) > sessionAbsolute {
				if err := s.db.DeleteSession(ctx, hash); err != nil {
					s.log.Warn("delete expired session", "request_id", requestIDOf(c), "error", err)
				}
			} else if u, err := s.db.UserByID(ctx, sess.UserID); err != nil && !errors.Is(err, kb.ErrNotFound) {
				s.fail(c, fmt.Errorf("authenticate session user: %w", err))
				return
			} else if err == nil && !u.Disabled {
				p.user, p.sessionHash, p.secret = u, hash, secret
				p.mfaPending = u.TOTPEnabled && !sess.MFAOK
				// Record activity at most once a minute, not on every request.
				if now.Sub(sess.LastSeen) > time.Minute {
					if err := s.db.TouchSession(ctx, hash); err != nil {
						s.log.Warn("record session activity", "request_id", requestIDOf(c), "error", err)
					}
				}
			}
		}
		if p.user == nil {
			s.clearSessionCookie(c)
		}
	}
	if p.user != nil {
		// What a signed-in reader gets may hold internal records and the
		// session's form token: no cache may keep it, neither a shared
		// one in front of Tiru, which would hand it to the next reader,
		// nor the browser's own, which outlives the logout on a shared
		// office computer. Handlers may say otherwise (static files).
		c.Header("Cache-Control", "no-store")
	}
	c.Set("principal", p)
	c.Next()
}

func (s *Server) setSessionCookie(c *gin.Context, secret string) {
	s.setCookie(c, sessionCookie, secret, int(sessionAbsolute.Seconds()))
}

func (s *Server) clearSessionCookie(c *gin.Context) { s.setCookie(c, sessionCookie, "", -1) }

// setCookie sets (or, with maxAge -1, clears) one of Tiru's own cookies:
// for this site only, out of scripts' reach, sent on top-level links from
// elsewhere but not on their forms, and over HTTPS only behind TLS.
func (s *Server) setCookie(c *gin.Context, name, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, MaxAge: maxAge,
		SameSite: http.SameSiteLaxMode, Secure: s.secureCookies || c.Request.TLS != nil})
}

// csrfToken is the form token of a session: derived from the session
// secret, which another site cannot read.
func csrfToken(secret string) string {
	if secret == "" {
		return ""
	}
	return auth.HashSecret("csrf:" + secret)[:32]
}

// checkCSRF guards every state-changing form request made with a session:
// besides Go's cross-origin protection (which wraps the whole handler), the
// form must carry the session's token.
func (s *Server) checkCSRF(c *gin.Context) {
	if c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead || c.Request.Method == http.MethodOptions {
		c.Next()
		return
	}
	p := s.principal(c)
	if p.viaToken {
		c.Next()
		return
	}
	if p.secret != "" {
		// A form over the body cap is cut before its token can be read:
		// it is too large, not stale, and the reader must be told so.
		var mbe *http.MaxBytesError
		if err := parseForm(c.Request); errors.As(err, &mbe) {
			switch c.FullPath() {
			case uploadPageRoute:
				// Said at the upload form, with the limit.
				s.attachmentFormError(c, err)
				return
			case uploadAPIRoute:
				s.apiUploadError(c, err)
				return
			}
			s.failStatus(c, http.StatusRequestEntityTooLarge, "too_large", "error.too_large")
			return
		}
		got := c.PostForm("csrf")
		if got == "" {
			got = c.GetHeader("X-CSRF-Token")
		}
		if subtle.ConstantTimeCompare([]byte(got), []byte(csrfToken(p.secret))) != 1 {
			s.failStatus(c, http.StatusForbidden, "forbidden", "error.csrf")
			return
		}
	}
	c.Next()
}

// requireUser answers 401 (API) or sends to the login page when nobody is
// logged in.
func (s *Server) requireUser(c *gin.Context) bool { return s.requireUserOr(c, "") }

// requireUserOr is requireUser for a form that knows its record's page:
// when a post finds nobody logged in (say, the session expired while the
// form was open), the login sends the reader back to fallback unless the
// Referer names the page the form was on (see returnTo).
func (s *Server) requireUserOr(c *gin.Context, fallback string) bool {
	if s.actor(c).LoggedIn() {
		return true
	}
	if isAPI(c) {
		c.Header("WWW-Authenticate", `Bearer realm="tiru"`)
		s.failStatus(c, http.StatusUnauthorized, "unauthorized", "error.unauthorized")
		return false
	}
	s.toLogin(c, fallback)
	return false
}

// toLogin sends the browser to the login page, which will send it back to
// returnTo(c, fallback) once the reader has logged in.
func (s *Server) toLogin(c *gin.Context, fallback string) {
	c.Redirect(http.StatusSeeOther, loginURL(s.returnTo(c, fallback)))
	c.Abort()
}

// loginURL is the login page with a return address. The address is a query
// value, so what would end or change it (&, #, +, %) is escaped; "/" is
// kept for a readable address bar.
func loginURL(back string) string {
	return "/masuk?kembali=" + strings.ReplaceAll(url.QueryEscape(back), "%2F", "/")
}

// returnTo is where the login should send the reader back to. A GET comes
// back to itself. A form post cannot: after the login the browser would GET
// the post's URL, which answers only POST (405), and the form's contents
// are gone anyway. So a post goes back to the page the form was on, when
// the Referer names a page of this site; else to fallback (the record the
// form was about); else to the nearest page above the post's URL
// (/inovasi/{slug}/replikasi → /inovasi/{slug}, /akun/token/3/cabut →
// /akun), and at worst home. Every answer has passed safeBack.
func (s *Server) returnTo(c *gin.Context, fallback string) string {
	r := c.Request
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return safeBack(r.URL.RequestURI())
	}
	if back, ok := s.refererPage(r); ok {
		return back
	}
	if fallback != "" && safeBack(fallback) == fallback {
		if p, _, _ := strings.Cut(fallback, "?"); s.isPage(p) {
			return fallback
		}
	}
	return s.pageAbove(r.URL.EscapedPath())
}

// refererPage returns the path and query of the request's Referer when it
// is a page of this site. Only the path is ever used, so a foreign Referer
// could not send anyone elsewhere; it is refused because its path would be
// meaningless here.
func (s *Server) refererPage(r *http.Request) (string, bool) {
	ref := r.Referer()
	if ref == "" || len(ref) > 2000 {
		return "", false
	}
	u, err := url.Parse(ref)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil || !strings.EqualFold(u.Host, r.Host) {
		return "", false
	}
	back := u.EscapedPath()
	if u.RawQuery != "" {
		back += "?" + u.RawQuery
	}
	if safeBack(back) != back || !s.isPage(u.EscapedPath()) {
		return "", false
	}
	return back, true
}

// pageAbove returns the nearest page at or above path p (an escaped URL
// path), or "/".
func (s *Server) pageAbove(p string) string {
	for p != "" && p != "/" {
		if safeBack(p) == p && s.isPage(p) {
			return p
		}
		i := strings.LastIndexByte(p, '/')
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return "/"
}

// isPage reports whether the escaped path p is a page that answers GET.
func (s *Server) isPage(p string) bool {
	if !isPagePath(p) {
		return false
	}
	for _, pattern := range s.pagePatterns {
		if routeMatches(pattern, p) {
			return true
		}
	}
	return false
}

// isPagePath reports whether a route or path may be a return address: not
// the API, static files or probes; not the login page, which would only
// ask again; and not a reset link, whose secret must not be copied into
// another URL.
func isPagePath(p string) bool {
	switch {
	case strings.HasPrefix(p, "/api/"), strings.HasPrefix(p, "/static/"), strings.HasPrefix(p, "/sandi-baru/"):
		return false
	case p == "/masuk", strings.HasPrefix(p, "/masuk/"), p == "/healthz", p == "/readyz", p == "/metrics":
		return false
	}
	return true
}

// routeMatches reports whether path p fits a Gin route pattern: ":name"
// stands for one non-empty segment, "*name" for the rest.
func routeMatches(pattern, p string) bool {
	want, got := strings.Split(strings.Trim(pattern, "/"), "/"), strings.Split(strings.Trim(p, "/"), "/")
	for i, w := range want {
		if strings.HasPrefix(w, "*") {
			return true
		}
		if i >= len(got) {
			return false
		}
		if strings.HasPrefix(w, ":") {
			if got[i] == "" {
				return false
			}
			continue
		}
		if w != got[i] {
			return false
		}
	}
	return len(want) == len(got)
}

// safeBack keeps a return address only when it is a path on this site.
// Browsers drop tabs and newlines and treat "\\" as "/", so "/\t/evil" or
// "/\\evil" would leave the site: any control character, space or
// backslash refuses the address.
func safeBack(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") ||
		strings.ContainsFunc(p, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '\\' }) {
		return "/"
	}
	if u, err := url.Parse(p); err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return p
}

type loginPage struct {
	Email, Back, Error string
	NeedCode           bool
}

func (s *Server) loginForm(c *gin.Context) {
	l := s.localizer(c)
	p := s.principal(c)
	if p.user != nil && p.mfaPending {
		s.render(c, http.StatusOK, "login", l.T("login.title"), loginPage{NeedCode: true, Back: safeBack(c.Query("kembali"))})
		return
	}
	s.render(c, http.StatusOK, "login", l.T("login.title"), loginPage{Back: safeBack(c.Query("kembali"))})
}

// login checks a password (and throttles guessing per account, and more
// loosely per address), then starts a new session: the session id is always new at
// login, so a planted id is worthless.
func (s *Server) login(c *gin.Context) {
	l := s.localizer(c)
	ctx := c.Request.Context()
	email := strings.TrimSpace(c.PostForm("email"))
	password := c.PostForm("password")
	back := safeBack(c.PostForm("kembali"))
	page := loginPage{Email: email, Back: back}
	if email == "" || password == "" {
		page.Error = l.T("login.missing")
		s.render(c, http.StatusUnprocessableEntity, "login", l.T("login.title"), page)
		return
	}
	ipKey, userKey := "ip:"+addressKey(c.ClientIP()), "user:"+strings.ToLower(email)
	// Each attempt counts as a failure from the start (see Throttle.Take);
	// one refused by the other throttle, or that turns out no wrong
	// password, is taken back.
	wait := s.addressThrottle.Take(ipKey)
	if wait == 0 {
		if wait = s.loginThrottle.Take(userKey); wait > 0 {
			s.addressThrottle.Forgive(ipKey)
		}
	}
	if wait > 0 {
		minutes := int(wait.Minutes()) + 1
		page.Error = l.T("login.throttled", minutes)
		c.Header("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		s.render(c, http.StatusTooManyRequests, "login", l.T("login.title"), page)
		return
	}
	u, err := s.db.UserByEmail(ctx, email)
	if err != nil && !errors.Is(err, kb.ErrNotFound) {
		// The database failed: not a wrong password, to be throttled and
		// audited as one.
		s.addressThrottle.Forgive(ipKey)
		s.loginThrottle.Forgive(userKey)
		s.fail(c, err)
		return
	}
	if err != nil || len(password) > auth.MaxPasswordLength {
		s.hashing(func() { auth.CheckNothing(password) })
		err = auth.ErrMismatch
	} else {
		s.hashing(func() { err = auth.CheckPassword(u.PasswordHash, password) })
	}
	if err == nil && u.Disabled {
		// The right password of an account turned off: its owner is told
		// why they cannot get in (one who does not know the password
		// learns nothing), and no session is made.
		s.addressThrottle.Forgive(ipKey)
		s.loginThrottle.Forgive(userKey)
		s.audit(c, s.db.Audit(ctx, sqlite.Who{Name: email, IP: c.ClientIP(), RequestID: requestIDOf(c)}, "login.disabled", "user", email, ""))
		page.Error = l.T("login.disabled")
		s.render(c, http.StatusForbidden, "login", l.T("login.title"), page)
		return
	}
	if err != nil {
		s.audit(c, s.db.Audit(ctx, sqlite.Who{Name: email, IP: c.ClientIP(), RequestID: requestIDOf(c)}, "login.fail", "user", email, ""))
		page.Error = l.T("login.failed")
		s.render(c, http.StatusUnauthorized, "login", l.T("login.title"), page)
		return
	}
	s.loginThrottle.Reset(userKey)
	s.addressThrottle.Forgive(ipKey)
	if old := s.principal(c); old.sessionHash != "" {
		if err := s.db.DeleteSession(ctx, old.sessionHash); err != nil {
			s.log.Warn("end the session replaced at login", "request_id", requestIDOf(c), "error", err)
		}
	}
	secret, err := auth.NewSecret()
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.db.CreateSession(ctx, auth.HashSecret(secret), u.ID, false, c.ClientIP(), c.Request.UserAgent()); err != nil {
		s.fail(c, err)
		return
	}
	s.setSessionCookie(c, secret)
	s.audit(c, s.db.Audit(ctx, sqlite.Who{UserID: u.ID, Name: u.Email, IP: c.ClientIP(), RequestID: requestIDOf(c)}, "login", "user", u.Email, ""))
	switch {
	case u.TOTPEnabled:
		c.Redirect(http.StatusSeeOther, loginURL(back))
	case u.Role == kb.RoleAdmin:
		c.Redirect(http.StatusSeeOther, "/akun/2fa")
	default:
		c.Redirect(http.StatusSeeOther, back)
	}
}

// loginCode checks the second factor of a session that passed the password.
func (s *Server) loginCode(c *gin.Context) {
	l := s.localizer(c)
	p := s.principal(c)
	back := safeBack(c.PostForm("kembali"))
	if p.user == nil || !p.mfaPending {
		c.Redirect(http.StatusSeeOther, back)
		return
	}
	key := "totp:" + strconv.FormatInt(p.user.ID, 10)
	if wait := s.accountThrottle.Take(key); wait > 0 {
		s.render(c, http.StatusTooManyRequests, "login", l.T("login.title"), loginPage{NeedCode: true, Back: back, Error: l.T("login.throttled", int(wait.Minutes())+1)})
		return
	}
	step, ok := auth.CheckTOTP(p.user.TOTPSecret, strings.TrimSpace(c.PostForm("code")), time.Now())
	if ok {
		// A code works once: one seen over a shoulder, or used by
		// another session in the same half minute, is refused.
		fresh, err := s.db.UseTOTPStep(c.Request.Context(), p.user.ID, step)
		if err != nil {
			s.accountThrottle.Forgive(key)
			s.fail(c, err)
			return
		}
		if !fresh {
			s.render(c, http.StatusUnauthorized, "login", l.T("login.title"), loginPage{NeedCode: true, Back: back, Error: l.T("login.code_used")})
			return
		}
	}
	if !ok {
		s.render(c, http.StatusUnauthorized, "login", l.T("login.title"), loginPage{NeedCode: true, Back: back, Error: l.T("login.bad_code")})
		return
	}
	s.accountThrottle.Reset(key)
	if err := s.db.SetSessionMFA(c.Request.Context(), p.sessionHash); err != nil {
		s.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, back)
}

func (s *Server) logout(c *gin.Context) {
	p := s.principal(c)
	if p.sessionHash != "" {
		s.stash.forget(p.sessionHash)
		// Every session of the account ends, as the README promises; the
		// one in hand at least, should the rest fail.
		if err := s.db.DeleteUserSessions(c.Request.Context(), p.user.ID); err != nil {
			s.log.Error("end sessions at logout", "request_id", requestIDOf(c), "error", err)
			if err := s.db.DeleteSession(c.Request.Context(), p.sessionHash); err != nil {
				// The session would outlive its cookie: say so rather
				// than pretend the logout worked.
				s.fail(c, fmt.Errorf("end session at logout: %w", err))
				return
			}
		}
		s.audit(c, s.db.Audit(c.Request.Context(), s.who(c), "logout", "user", p.user.Email, ""))
	}
	s.clearSessionCookie(c)
	c.Redirect(http.StatusSeeOther, "/")
}

// passwordForm shows the change-password form.
func (s *Server) passwordForm(c *gin.Context) {
	if !s.requireSession(c) {
		return
	}
	s.render(c, http.StatusOK, "password", s.localizer(c).T("password.title"), formPage{})
}

type formPage struct {
	Error, Notice string
	Fields        map[string]string
}

// requireSession is requireUser for pages that need a password-logged-in
// user, including an admin who has yet to set up a second factor.
func (s *Server) requireSession(c *gin.Context) bool {
	p := s.principal(c)
	if p.user != nil && !p.mfaPending && !p.viaToken {
		return true
	}
	s.toLogin(c, "")
	return false
}

func (s *Server) changePassword(c *gin.Context) {
	if !s.requireSession(c) {
		return
	}
	l := s.localizer(c)
	p := s.principal(c)
	current, next, again := c.PostForm("current"), c.PostForm("new"), c.PostForm("again")
	fail := func(status int, msg string) {
		s.render(c, status, "password", l.T("password.title"), formPage{Error: msg})
	}
	if status, msg := s.checkCurrentPassword(c, p, current); status != 0 {
		fail(status, msg)
		return
	}
	if next != again {
		fail(http.StatusUnprocessableEntity, l.T("password.mismatch"))
		return
	}
	if err := auth.ValidatePassword(next, p.user.Email, p.user.Name); err != nil {
		fail(http.StatusUnprocessableEntity, fieldMessage(err, l.Lang))
		return
	}
	var hash string
	var err error
	s.hashing(func() { hash, err = auth.HashPassword(next) })
	if err != nil {
		s.fail(c, err)
		return
	}
	// Every other session of this user ends; this one stays.
	if err := s.db.SetPassword(c.Request.Context(), s.who(c), p.user.ID, hash, p.sessionHash); err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "password", l.T("password.title"), formPage{Notice: l.T("password.changed")})
}

// checkCurrentPassword checks the password typed to confirm a change to
// the account of a session (a new password, a second factor): whoever sits
// at a browser left signed in must not change the way the account is
// protected without knowing its password. Guesses are throttled as logins
// are, one count for every form that asks, so that an open session is no
// way to find the password out either. It returns the status and message
// of a refusal, or 0 when the password is right.
func (s *Server) checkCurrentPassword(c *gin.Context, p *principal, current string) (int, string) {
	l := s.localizer(c)
	key := "pw:" + strconv.FormatInt(p.user.ID, 10)
	if wait := s.accountThrottle.Take(key); wait > 0 {
		c.Header("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		return http.StatusTooManyRequests, l.T("login.throttled", int(wait.Minutes())+1)
	}
	if current == "" {
		s.accountThrottle.Forgive(key)
		return http.StatusUnprocessableEntity, l.T("password.current_required")
	}
	var err error
	s.hashing(func() { err = auth.CheckPassword(p.user.PasswordHash, current) })
	if err != nil {
		return http.StatusUnprocessableEntity, l.T("password.wrong_current")
	}
	s.accountThrottle.Reset(key)
	return 0, ""
}

// fieldMessage returns the first field error of err in lang.
func fieldMessage(err error, lang string) string {
	if fes := kb.FieldErrors(err); len(fes) > 0 {
		return fes[0].Message.In(lang)
	}
	return err.Error()
}

// resetPage is the page of a one-time reset link. Invalid hides the form:
// a link that is spent or expired cannot set a password, so offering the
// form would only have the reader type a new password for nothing.
type resetPage struct {
	formPage
	Invalid bool
}

// resetInvalid answers a reset link that does not (or no longer) work.
func (s *Server) resetInvalid(c *gin.Context) {
	l := s.localizer(c)
	s.render(c, http.StatusNotFound, "reset", l.T("reset.title"), resetPage{formPage: formPage{Error: l.T("reset.invalid")}, Invalid: true})
}

// resetForm shows the page a one-time reset link leads to.
func (s *Server) resetForm(c *gin.Context) {
	l := s.localizer(c)
	if _, err := s.db.ResetLinkUser(c.Request.Context(), auth.HashSecret(c.Param("token"))); errors.Is(err, kb.ErrNotFound) {
		s.resetInvalid(c)
		return
	} else if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "reset", l.T("reset.title"), resetPage{})
}

func (s *Server) reset(c *gin.Context) {
	l := s.localizer(c)
	ctx := c.Request.Context()
	hash := auth.HashSecret(c.Param("token"))
	userID, err := s.db.ResetLinkUser(ctx, hash)
	if errors.Is(err, kb.ErrNotFound) {
		s.resetInvalid(c)
		return
	} else if err != nil {
		s.fail(c, err)
		return
	}
	u, err := s.db.UserByID(ctx, userID)
	if err != nil {
		s.fail(c, err)
		return
	}
	next, again := c.PostForm("new"), c.PostForm("again")
	if next != again {
		s.render(c, http.StatusUnprocessableEntity, "reset", l.T("reset.title"), resetPage{formPage: formPage{Error: l.T("password.mismatch")}})
		return
	}
	if err := auth.ValidatePassword(next, u.Email, u.Name); err != nil {
		s.render(c, http.StatusUnprocessableEntity, "reset", l.T("reset.title"), resetPage{formPage: formPage{Error: fieldMessage(err, l.Lang)}})
		return
	}
	var pw string
	s.hashing(func() { pw, err = auth.HashPassword(next) })
	if err != nil {
		s.fail(c, err)
		return
	}
	who := sqlite.Who{UserID: u.ID, Name: u.Email, IP: c.ClientIP(), RequestID: requestIDOf(c)}
	if err := s.db.UseResetLink(ctx, who, hash, pw); err != nil {
		if errors.Is(err, kb.ErrNotFound) {
			s.resetInvalid(c)
			return
		}
		s.fail(c, err)
		return
	}
	s.notify(c, "password")
	c.Redirect(http.StatusSeeOther, "/masuk")
}

// audit logs a failure to write an audit entry: the request it records has
// happened, so it goes on, but a missing entry must leave a trace.
func (s *Server) audit(c *gin.Context, err error) {
	if err != nil {
		s.log.Error("audit entry not written", "request_id", requestIDOf(c), "error", err)
	}
}

// addressKey is the part of a client address that the login throttle
// counts by: the whole IPv4 address, or an IPv6 address's /64, which one
// subscriber commonly holds in full (one key per address would give them
// billions of fresh tries).
func addressKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil || !a.Is6() || a.Is4In6() {
		return ip
	}
	p, err := a.Prefix(64)
	if err != nil {
		return ip
	}
	return p.String()
}

// hashing runs fn, a password hash or check, in one of the server's slots
// for them, waiting for one to be free (see Server.hashSlots).
func (s *Server) hashing(fn func()) {
	s.hashSlots <- struct{}{}
	defer func() { <-s.hashSlots }()
	fn()
}
