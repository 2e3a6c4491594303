package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"tiru/internal/kb"
	"tiru/internal/sqlite"
)

// An organiser comes back to a visit months after it to say how its
// follow-ups went. Each follow-up's status is changed on the visit's page,
// a select and a button, without the whole visit form, whose follow-ups
// are lines of "action | owner | due | status" to retype.

// setFollowUpStatus moves one follow-up of a visit to another status. The
// form names the follow-up by its place and its action, and the visit by
// the version the page showed: if the visit was saved since, the change is
// not made and the page says so, so that a list someone reordered meanwhile
// does not get the wrong follow-up marked done.
func (s *Server) setFollowUpStatus(c *gin.Context) {
	if !s.requireUser(c) {
		return
	}
	ctx := c.Request.Context()
	a := s.actor(c)
	slug := c.Param("slug")
	api := s.visitAPI()
	v, version, err := api.load(ctx, slug, a.Viewer())
	if err != nil {
		s.fail(c, err)
		return
	}
	if !api.canWrite(a, v, v) {
		s.fail(c, kb.ErrForbidden)
		return
	}
	i, errIndex := strconv.Atoi(c.PostForm("follow_up"))
	status := c.PostForm("status")
	if _, ok := kb.FollowUpStatuses().Get(status); errIndex != nil || i < 0 || i >= len(v.FollowUps) || !ok {
		s.fail(c, kb.ErrInvalid)
		return
	}
	back := "/kunjungan/" + slug + "#tindak-lanjut"
	sent, _ := strconv.Atoi(c.PostForm("version"))
	if sent != version || lineBreaksAsLF(v.FollowUps[i].Action) != lineBreaksAsLF(c.PostForm("action")) {
		s.notify(c, "followup_moved")
		c.Redirect(http.StatusSeeOther, back)
		return
	}
	if v.FollowUps[i].Status == status {
		c.Redirect(http.StatusSeeOther, back)
		return
	}
	v.FollowUps[i].Status = status
	if err := api.validate(v, s.ref.Ref); err != nil {
		s.fail(c, err)
		return
	}
	err = s.db.UpdateAs(ctx, s.who(c), func(tx *sqlite.Tx) error {
		// Again in the transaction: a save between the read above and
		// this write would otherwise be overwritten.
		stored, err := tx.Version(ctx, sqlite.KindVisit, slug)
		if err != nil {
			return err
		}
		if stored != version {
			return kb.ErrConflict
		}
		return api.put(ctx, tx, v, a.Viewer())
	})
	switch {
	case errors.Is(err, kb.ErrConflict):
		s.notify(c, "followup_moved")
	case err != nil:
		s.fail(c, err)
		return
	default:
		s.notify(c, "saved")
	}
	c.Redirect(http.StatusSeeOther, back)
}

// lineBreaksAsLF writes every line break of s as "\n". A page holds a
// follow-up's action with its line breaks as "\n" whatever they were
// stored as, and a browser sends them back as "\r\n": compared as they
// came, the page's own copy of a two-line action read as changed.
func lineBreaksAsLF(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}
