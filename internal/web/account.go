package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

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
	NewToken  string // shown once, right after creation
	Error     string
}

func (s *Server) accountPage(c *gin.Context, status int, newToken, errMsg string) {
	l := s.localizer(c)
	p := s.principal(c)
	tokens, err := s.db.ListTokens(c.Request.Context(), p.user.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	d := accountPage{User: p.user, Role: kb.Roles().Label(p.user.Role, l.Lang), Tokens: tokens, NewToken: newToken, Error: errMsg}
	if d.Bookmarks, err = s.db.Bookmarks(c.Request.Context(), p.user.ID); err != nil {
		s.fail(c, err)
		return
	}
	if d.Searches, err = s.db.SavedSearches(c.Request.Context(), p.user.ID); err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, status, "account", l.T("account.title"), d)
}

func (s *Server) account(c *gin.Context) {
	if !s.requireSession(c) {
		return
	}
	s.accountPage(c, http.StatusOK, "", "")
}

// createToken issues an API token, shown once; only its hash is kept.
func (s *Server) createToken(c *gin.Context) {
	if !s.requireSession(c) {
		return
	}
	l := s.localizer(c)
	p := s.principal(c)
	if p.user.Role == kb.RoleAdmin && !p.user.TOTPEnabled {
		s.accountPage(c, http.StatusForbidden, "", l.T("account.totp_first"))
		return
	}
	name := strings.TrimSpace(c.PostForm("name"))
	if name == "" || len(name) > 100 {
		s.accountPage(c, http.StatusUnprocessableEntity, "", l.T("account.token_name"))
		return
	}
	token, err := auth.NewSecret()
	if err != nil {
		s.fail(c, err)
		return
	}
	token = "tiru_" + token
	if _, err := s.db.CreateToken(c.Request.Context(), s.who(c), p.user.ID, name, auth.HashSecret(token), token[:10]); err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	s.accountPage(c, http.StatusOK, token, "")
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

type totpPage struct {
	Enabled     bool
	Secret, URL string
	Error       string
}

// totpForm starts setting up a second factor: a new secret is kept in the
// account (not yet enabled) until a correct code proves the app has it.
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
	secret, url, err := auth.NewTOTP(p.user.Email)
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.db.SetTOTP(c.Request.Context(), s.who(c), p.user.ID, secret, false); err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	s.render(c, http.StatusOK, "totp", l.T("totp.title"), totpPage{Secret: secret, URL: url})
}

func (s *Server) totpEnable(c *gin.Context) {
	if !s.requireSession(c) {
		return
	}
	l := s.localizer(c)
	p := s.principal(c)
	ctx := c.Request.Context()
	if p.user.TOTPEnabled || p.user.TOTPSecret == "" {
		c.Redirect(http.StatusSeeOther, "/akun/2fa")
		return
	}
	if !auth.CheckTOTP(p.user.TOTPSecret, strings.TrimSpace(c.PostForm("code")), time.Now()) {
		s.render(c, http.StatusUnprocessableEntity, "totp", l.T("totp.title"), totpPage{Secret: p.user.TOTPSecret, Error: l.T("login.bad_code")})
		return
	}
	if err := s.db.SetTOTP(ctx, s.who(c), p.user.ID, p.user.TOTPSecret, true); err != nil {
		s.fail(c, err)
		return
	}
	if err := s.db.SetSessionMFA(ctx, p.sessionHash); err != nil {
		s.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/akun")
}
