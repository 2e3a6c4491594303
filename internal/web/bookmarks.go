package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"tiru/internal/kb"
)

// bookmark keeps or forgets a record the user may read.
func (s *Server) bookmark(c *gin.Context) {
	kind, slug := c.PostForm("kind"), c.PostForm("slug")
	back := recordPath(kind, slug)
	// A reader whose session ended comes back, after logging in, to the
	// record they meant to bookmark.
	if !s.requireUserOr(c, back) {
		return
	}
	ctx := c.Request.Context()
	actor := s.actor(c)
	if c.PostForm("action") == "remove" {
		// Removing needs no look at the record: one deleted, or no longer
		// readable, must still leave the list.
		if kind != "innovation" && kind != "visit" {
			s.fail(c, kb.ErrInvalid)
			return
		}
		if err := s.db.RemoveBookmark(ctx, s.who(c), actor.UserID, kind, slug); err != nil {
			s.fail(c, err)
			return
		}
		if c.PostForm("from") == "akun" {
			back = "/akun"
		}
		c.Redirect(http.StatusSeeOther, back)
		return
	}
	var title string
	switch kind {
	case "innovation":
		rec, err := s.db.GetInnovation(ctx, slug, actor.Viewer())
		if err != nil {
			s.fail(c, err)
			return
		}
		title = rec.Title
	case "visit":
		rec, err := s.db.GetVisit(ctx, slug, actor.Viewer())
		if err != nil {
			s.fail(c, err)
			return
		}
		title = rec.Title
	default:
		s.fail(c, kb.ErrInvalid)
		return
	}
	if err := s.db.AddBookmark(ctx, s.who(c), actor.UserID, kind, slug, title); err != nil {
		s.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, back)
}

// recordPath is the page of a record of kind ("innovation" or "visit"), or
// "" for another kind or no slug.
func recordPath(kind, slug string) string {
	if slug == "" {
		return ""
	}
	switch kind {
	case "innovation":
		return "/inovasi/" + url.PathEscape(slug)
	case "visit":
		return "/kunjungan/" + url.PathEscape(slug)
	}
	return ""
}

// saveSearch keeps the current search (its query string) under a name.
func (s *Server) saveSearch(c *gin.Context) {
	if !s.requireUser(c) {
		return
	}
	name := plainName(c.PostForm("name"))
	query := strings.TrimPrefix(strings.TrimSpace(c.PostForm("query")), "?")
	values, err := url.ParseQuery(query)
	if err != nil || len(query) > 2000 {
		s.fail(c, kb.ErrInvalid)
		return
	}
	values.Del("page")
	values.Del("lang")
	if name == "" {
		name = plainName(values.Get("q"))
	}
	if name == "" {
		name = s.localizer(c).T("search.title")
	}
	if len([]rune(name)) > 100 {
		name = string([]rune(name)[:100])
	}
	if err := s.db.SaveSearch(c.Request.Context(), s.who(c), s.actor(c).UserID, name, values.Encode()); err != nil {
		s.fail(c, err)
		return
	}
	s.notify(c, "search_saved")
	c.Redirect(http.StatusSeeOther, "/cari?"+values.Encode())
}

func (s *Server) deleteSavedSearch(c *gin.Context) {
	if !s.requireUser(c) {
		return
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.fail(c, kb.ErrNotFound)
		return
	}
	if err := s.db.DeleteSavedSearch(c.Request.Context(), s.who(c), s.actor(c).UserID, id); err != nil {
		s.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/akun")
}
