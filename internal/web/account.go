package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"tiru/internal/auth"
	"tiru/internal/kb"
	"tiru/internal/sqlite"
)

type accountPage struct {
	User      *sqlite.User
	Bookmarks []sqlite.Bookmark
	Searches  []sqlite.SavedSearch
	Role      string
	Tokens    []sqlite.Token
	NewToken  string // shown once, on the page the creation redirects to
	Error     string
	// TokenName is the name typed into the token form, kept when it is
	// refused; TokenError says what is wrong with it.
	TokenName, TokenError string
}

// maxTokenName is the longest token name, in characters (the form's
// maxlength says the same).
const maxTokenName = 100

// showAccount renders the account page with d's form state.
func (s *Server) showAccount(c *gin.Context, status int, d accountPage) {
	l := s.localizer(c)
	p := s.principal(c)
	ctx := c.Request.Context()
	var err error
	d.User, d.Role = p.user, kb.Roles().Label(p.user.Role, l.Lang)
	if d.Tokens, err = s.db.ListTokens(ctx, p.user.ID); err != nil {
		s.fail(c, err)
		return
	}
	if d.Bookmarks, err = s.db.Bookmarks(ctx, p.user.ID, s.actor(c).Viewer()); err != nil {
		s.fail(c, err)
		return
	}
	if d.Searches, err = s.db.SavedSearches(ctx, p.user.ID); err != nil {
		s.fail(c, err)
		return
	}
	// The page may show a token once, and always shows private data.
	c.Header("Cache-Control", "no-store")
	s.render(c, status, "account", l.T("account.title"), d)
}

func (s *Server) account(c *gin.Context) {
	if !s.requireSession(c) {
		return
	}
	var d accountPage
	// A HEAD request (a link checker, a prefetch) gets no body: taking the
	// token then would lose its one showing.
	if method(c.Request) != http.MethodHead {
		if token, ok := s.stash.takeNewToken(s.principal(c).sessionHash); ok {
			d.NewToken = token
		}
	}
	s.showAccount(c, http.StatusOK, d)
}

// createToken issues an API token; only its hash is kept. The token is
// shown once on the account page the form redirects to (Post/Redirect/Get),
// so reloading that page does not make another.
func (s *Server) createToken(c *gin.Context) {
	if !s.requireSession(c) {
		return
	}
	l := s.localizer(c)
	p := s.principal(c)
	name := plainName(c.PostForm("name"))
	if p.user.Role == kb.RoleAdmin && !p.user.TOTPEnabled {
		s.showAccount(c, http.StatusForbidden, accountPage{Error: l.T("account.totp_first"), TokenName: clipRunes(name, 4*maxTokenName)})
		return
	}
	if msg := tokenNameProblem(l, name); msg != "" {
		// Give back what was typed, within reason: a browser cannot send
		// more than maxlength, so anything far longer came from a script.
		s.showAccount(c, http.StatusUnprocessableEntity, accountPage{TokenName: clipRunes(name, 4*maxTokenName), TokenError: msg})
		return
	}
	token, err := auth.NewSecret()
	if err != nil {
		s.fail(c, fmt.Errorf("new API token: %w", err))
		return
	}
	token = "tiru_" + token
	if _, err := s.db.CreateToken(c.Request.Context(), s.who(c), p.user.ID, name, auth.HashSecret(token), token[:10]); err != nil {
		s.fail(c, err)
		return
	}
	s.stash.putNewToken(p.sessionHash, token)
	c.Redirect(http.StatusSeeOther, "/akun")
}

// tokenNameProblem says what is wrong with a token name, or "" when
// nothing is.
func tokenNameProblem(l *Localizer, name string) string {
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		return l.T("account.token_name_required")
	case n > maxTokenName:
		return l.T("account.token_name_too_long", maxTokenName, n)
	}
	return ""
}

// plainName is a name typed into a form as one line of text: control
// characters (a NUL cut the stored name short) and runs of spaces become
// single spaces, and the ends are trimmed.
func plainName(s string) string {
	s = strings.ToValidUTF8(s, "")
	return strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)), " ")
}

// clipRunes cuts s to at most n characters.
func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

func (s *Server) revokeToken(c *gin.Context) {
	if !s.requireSession(c) {
		return
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.fail(c, kb.ErrNotFound)
		return
	}
	if err := s.db.RevokeToken(c.Request.Context(), s.who(c), s.principal(c).user.ID, id); err != nil {
		s.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/akun")
}

// totpPage is the second-factor page in one of three states: on
// (Enabled), the key with the field for its code (Secret), or, before
// either, the field for the current password that shows the key.
type totpPage struct {
	Enabled     bool
	Secret, URL string
	Error       string
}

// totpForm shows the second-factor setup. The key appears only to a
// session that has typed the account's current password to see it (see
// totpReveal), within totpRevealTTL: someone at a browser left signed in
// must not read it, and could otherwise add it to their own app, to read
// codes later. Before that the page asks for the password.
//
// The secret is kept server-side (see sessionStash) under the account, not
// the session, until a correct code confirms it or the setup is
// cancelled, so reloading the page or logging in again after scanning the
// key keeps the key the app now has (a new key at each login made the code
// of the scanned one "wrong"). Only a confirmed secret is written to the
// account.
func (s *Server) totpForm(c *gin.Context) {
	if !s.requireSession(c) {
		return
	}
	l := s.localizer(c)
	p := s.principal(c)
	if p.user.TOTPEnabled {
		s.render(c, http.StatusOK, "totp", l.T("totp.title"), totpPage{Enabled: true})
		return
	}
	c.Header("Cache-Control", "no-store")
	setup := totpSetupKey(p.user)
	if secret, url, ok := s.stash.pendingTOTP(setup); ok && s.stash.totpRevealed(p.sessionHash, setup, secret) {
		s.render(c, http.StatusOK, "totp", l.T("totp.title"), totpPage{Secret: secret, URL: url})
		return
	}
	s.render(c, http.StatusOK, "totp", l.T("totp.title"), totpPage{})
}

// totpSetupKey is where the stash keeps an account's second-factor setup.
// It names the account's password as it stands (a hash of its hash): a
// new password, however set (the form, a reset link, tiru user reset in
// another process), starts the setup again, so a key an intruder saw with
// a stolen password is never offered to the owner after the reset.
// Session keys are hashes of secrets, so the two never meet.
func totpSetupKey(u *sqlite.User) string {
	return "totp-setup:" + strconv.FormatInt(u.ID, 10) + ":" + auth.HashSecret(u.PasswordHash)[:16]
}

// totpEnable takes the setup's three forms: the current password, which
// shows the key (starting the setup if none is pending) and leads back to
// the page; a code from the app, which turns the second factor on, but
// only in a session that typed the password to see this key; and "batal",
// which cancels the setup, after which the page offers a new key. The
// password may come with the code, for one who has the key already.
// Wrong passwords count with those of the password page (see
// checkCurrentPassword).
func (s *Server) totpEnable(c *gin.Context) {
	if !s.requireSession(c) {
		return
	}
	l := s.localizer(c)
	p := s.principal(c)
	ctx := c.Request.Context()
	setup := totpSetupKey(p.user)
	if c.PostForm("batal") != "" {
		s.stash.clearTOTP(setup)
		s.stash.hideTOTP(p.sessionHash)
		c.Redirect(http.StatusSeeOther, "/akun")
		return
	}
	if p.user.TOTPEnabled {
		c.Redirect(http.StatusSeeOther, "/akun/2fa")
		return
	}
	c.Header("Cache-Control", "no-store")
	code, withCode := c.GetPostForm("code")
	if current, withPassword := c.GetPostForm("current"); withPassword || !withCode {
		// The password first: someone at a browser left signed in could
		// otherwise read the key, or bind their own authenticator to the
		// account.
		if status, msg := s.checkCurrentPassword(c, p, current); status != 0 {
			s.render(c, status, "totp", l.T("totp.title"), totpPage{Error: msg})
			return
		}
		secret, _, ok := s.stash.pendingTOTP(setup)
		if !ok && withCode {
			// A code for a key no longer offered (cancelled, or the
			// password changed): a new key is shown on its own first.
			c.Redirect(http.StatusSeeOther, "/akun/2fa")
			return
		}
		if !ok {
			var (
				url string
				err error
			)
			if secret, url, err = auth.NewTOTP(p.user.Email); err != nil {
				s.fail(c, fmt.Errorf("new second-factor key: %w", err))
				return
			}
			s.stash.setPendingTOTP(setup, secret, url)
		}
		s.stash.revealTOTP(p.sessionHash, setup, secret)
		if !withCode {
			// Post/Redirect/Get: a reload shows the key again rather than
			// sending the password again.
			c.Redirect(http.StatusSeeOther, "/akun/2fa")
			return
		}
	}
	secret, url, ok := s.stash.pendingTOTP(setup)
	if !ok {
		// Cancelled or confirmed meanwhile in another session, or the
		// password changed: the page starts again.
		c.Redirect(http.StatusSeeOther, "/akun/2fa")
		return
	}
	if !s.stash.totpRevealed(p.sessionHash, setup, secret) {
		s.render(c, http.StatusUnprocessableEntity, "totp", l.T("totp.title"), totpPage{Error: l.T("totp.password_again")})
		return
	}
	step, ok := auth.CheckTOTP(secret, strings.TrimSpace(code), time.Now())
	if !ok {
		s.render(c, http.StatusUnprocessableEntity, "totp", l.T("totp.title"), totpPage{Secret: secret, URL: url, Error: l.T("login.bad_code")})
		return
	}
	if err := s.db.SetTOTP(ctx, s.who(c), p.user.ID, secret, true); err != nil {
		s.fail(c, err)
		return
	}
	// The code that confirmed the key is spent: it must not also log in.
	if _, err := s.db.UseTOTPStep(ctx, p.user.ID, step); err != nil {
		s.fail(c, err)
		return
	}
	s.stash.clearTOTP(setup)
	s.stash.hideTOTP(p.sessionHash)
	if err := s.db.SetSessionMFA(ctx, p.sessionHash); err != nil {
		s.fail(c, err)
		return
	}
	s.notify(c, "totp")
	c.Redirect(http.StatusSeeOther, "/akun")
}
