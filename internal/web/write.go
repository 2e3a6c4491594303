package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"tiru/internal/ingest"
	"tiru/internal/kb"
	"tiru/internal/sqlite"
)

// readOnly are fields the API returns with a record but does not take;
// a client may send a record back as it got it.
type readOnly struct {
	Kind              string          `json:"kind"`
	RegionName        json.RawMessage `json:"region_name"`
	VisitorRegionName json.RawMessage `json:"visitor_region_name"`
	HostRegionName    json.RawMessage `json:"host_region_name"`
	Version           *int            `json:"version"`
	CreatedAt         json.RawMessage `json:"created_at"`
	UpdatedAt         json.RawMessage `json:"updated_at"`
	ObservedIn        json.RawMessage `json:"observed_in"`
	Adoptions         json.RawMessage `json:"adoptions"`
}

// writeError answers a failed write: 422 with every field error, 409 for a
// conflict, and the usual mapping otherwise.
func (s *Server) writeError(c *gin.Context, err error) {
	l := s.localizer(c)
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		c.AbortWithStatusJSON(http.StatusRequestEntityTooLarge, apiError{Error: apiErrorBody{Code: "too_large", Message: l.T("error.too_large"), RequestID: requestIDOf(c)}})
	case kb.FieldErrors(err) != nil:
		body := apiErrorBody{Code: "invalid", Message: l.T("error.invalid"), RequestID: requestIDOf(c)}
		for _, fe := range kb.FieldErrors(err) {
			body.Fields = append(body.Fields, apiFieldError{Field: fe.Field, Message: fe.Message.In(l.Lang)})
		}
		c.AbortWithStatusJSON(http.StatusUnprocessableEntity, apiError{Error: body})
	default:
		s.fail(c, err)
	}
}

func readBody(c *gin.Context) ([]byte, error) {
	b, err := io.ReadAll(c.Request.Body)
	if err != nil {
		return nil, err
	}
	if len(strings.TrimSpace(string(b))) == 0 {
		return nil, kb.Invalid("", "isi permintaan kosong; kirim satu objek JSON", "empty body; send one JSON object")
	}
	return b, nil
}

// checkVersion refuses a write based on an outdated copy: when the client
// sends the version it read, it must still be the stored one.
func checkVersion(sent *int, stored int) error {
	if sent != nil && *sent != stored {
		return fmt.Errorf("version %d is not the stored %d: %w", *sent, stored, kb.ErrConflict)
	}
	return nil
}

func (s *Server) saveInnovation(c *gin.Context, creating bool) {
	if !s.requireUser(c) {
		return
	}
	ctx := c.Request.Context()
	actor := s.actor(c)
	body, err := readBody(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	in := &kb.Innovation{}
	var ro readOnly
	if err := ingest.DecodeStrict(body, &struct {
		*kb.Innovation
		*readOnly
	}{in, &ro}); err != nil {
		s.writeError(c, err)
		return
	}
	var old *sqlite.InnovationRecord
	if !creating {
		slug := c.Param("slug")
		if in.Slug == "" {
			in.Slug = slug
		}
		if in.Slug != slug {
			s.writeError(c, kb.Invalid("slug", "slug di isi berbeda dengan alamat", "slug in the body differs from the URL"))
			return
		}
		if old, err = s.db.GetInnovation(ctx, slug, actor.Viewer()); err != nil {
			s.writeError(c, err)
			return
		}
		if err := checkVersion(ro.Version, old.Version); err != nil {
			s.writeError(c, err)
			return
		}
	}
	if err := in.Validate(s.ref.Ref); err != nil {
		s.writeError(c, err)
		return
	}
	var oldIn *kb.Innovation
	if old != nil {
		oldIn = &old.Innovation
	}
	if !actor.CanWriteInnovation(oldIn, in) {
		s.failStatus(c, http.StatusForbidden, "forbidden", "error.forbidden")
		return
	}
	err = s.db.UpdateAs(ctx, s.who(c), func(tx *sqlite.Tx) error {
		if creating {
			if _, err := s.db.GetInnovation(ctx, in.Slug, kb.Viewer{AllInternal: true}); err == nil {
				return fmt.Errorf("innovation %s exists: %w", in.Slug, kb.ErrConflict)
			}
		}
		_, err := tx.PutInnovation(ctx, in)
		return err
	})
	if err != nil {
		s.writeError(c, err)
		return
	}
	d, err := s.innovationDetail(ctx, in.Slug, actor.Viewer())
	if err != nil {
		s.fail(c, err)
		return
	}
	status := http.StatusOK
	if creating {
		status = http.StatusCreated
		c.Header("Location", "/api/v1/innovations/"+in.Slug)
	}
	c.JSON(status, d)
}

func (s *Server) apiCreateInnovation(c *gin.Context) { s.saveInnovation(c, true) }
func (s *Server) apiUpdateInnovation(c *gin.Context) { s.saveInnovation(c, false) }

func (s *Server) apiDeleteInnovation(c *gin.Context) {
	if !s.requireUser(c) {
		return
	}
	ctx := c.Request.Context()
	actor := s.actor(c)
	old, err := s.db.GetInnovation(ctx, c.Param("slug"), actor.Viewer())
	if err != nil {
		s.writeError(c, err)
		return
	}
	if !actor.CanWriteInnovation(&old.Innovation, nil) {
		s.failStatus(c, http.StatusForbidden, "forbidden", "error.forbidden")
		return
	}
	if err := s.db.UpdateAs(ctx, s.who(c), func(tx *sqlite.Tx) error { return tx.DeleteInnovation(ctx, old.Slug) }); err != nil {
		s.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *Server) saveVisit(c *gin.Context, creating bool) {
	if !s.requireUser(c) {
		return
	}
	ctx := c.Request.Context()
	actor := s.actor(c)
	body, err := readBody(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	v := &kb.Visit{}
	var ro readOnly
	if err := ingest.DecodeStrict(body, &struct {
		*kb.Visit
		*readOnly
	}{v, &ro}); err != nil {
		s.writeError(c, err)
		return
	}
	var old *sqlite.VisitRecord
	if !creating {
		slug := c.Param("slug")
		if v.Slug == "" {
			v.Slug = slug
		}
		if v.Slug != slug {
			s.writeError(c, kb.Invalid("slug", "slug di isi berbeda dengan alamat", "slug in the body differs from the URL"))
			return
		}
		if old, err = s.db.GetVisit(ctx, slug, actor.Viewer()); err != nil {
			s.writeError(c, err)
			return
		}
		if err := checkVersion(ro.Version, old.Version); err != nil {
			s.writeError(c, err)
			return
		}
	}
	if err := v.Validate(s.ref.Ref); err != nil {
		s.writeError(c, err)
		return
	}
	var oldV *kb.Visit
	if old != nil {
		oldV = &old.Visit
	}
	if !actor.CanWriteVisit(oldV, v) {
		s.failStatus(c, http.StatusForbidden, "forbidden", "error.forbidden")
		return
	}
	err = s.db.UpdateAs(ctx, s.who(c), func(tx *sqlite.Tx) error {
		if creating {
			if _, err := s.db.GetVisit(ctx, v.Slug, kb.Viewer{AllInternal: true}); err == nil {
				return fmt.Errorf("visit %s exists: %w", v.Slug, kb.ErrConflict)
			}
		}
		_, err := tx.PutVisit(ctx, v)
		return err
	})
	if err != nil {
		s.writeError(c, err)
		return
	}
	d, err := s.visitDetail(ctx, v.Slug, actor.Viewer())
	if err != nil {
		s.fail(c, err)
		return
	}
	status := http.StatusOK
	if creating {
		status = http.StatusCreated
		c.Header("Location", "/api/v1/visits/"+v.Slug)
	}
	c.JSON(status, d)
}

func (s *Server) apiCreateVisit(c *gin.Context) { s.saveVisit(c, true) }
func (s *Server) apiUpdateVisit(c *gin.Context) { s.saveVisit(c, false) }

func (s *Server) apiDeleteVisit(c *gin.Context) {
	if !s.requireUser(c) {
		return
	}
	ctx := c.Request.Context()
	actor := s.actor(c)
	old, err := s.db.GetVisit(ctx, c.Param("slug"), actor.Viewer())
	if err != nil {
		s.writeError(c, err)
		return
	}
	if !actor.CanWriteVisit(&old.Visit, nil) {
		s.failStatus(c, http.StatusForbidden, "forbidden", "error.forbidden")
		return
	}
	if err := s.db.UpdateAs(ctx, s.who(c), func(tx *sqlite.Tx) error { return tx.DeleteVisit(ctx, old.Slug) }); err != nil {
		s.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// adoptionMove is a step of an adoption: where the region now stands.
type adoptionMove struct {
	Status string `json:"status"`
	Degree string `json:"degree"`
	Visit  string `json:"visit"`
	Date   string `json:"date"`
	Note   string `json:"note"`
}

// moveAdoption records that region moved to a new step of adopting the
// innovation, keeping the whole history.
func (s *Server) moveAdoption(ctx context.Context, c *gin.Context, slug, region string, m adoptionMove) (*kb.Adoption, error) {
	actor := s.actor(c)
	rec, err := s.db.GetInnovation(ctx, slug, actor.Viewer())
	if err != nil {
		return nil, err
	}
	r, err := s.ref.Ref.Regions.Resolve(region)
	if err != nil {
		return nil, kb.Invalid("region", "wilayah tidak dikenal", "unknown region")
	}
	if !actor.CanMoveAdoption(r.Code) {
		return nil, kb.ErrForbidden
	}
	a := &kb.Adoption{Innovation: slug, Region: r.Code}
	for _, ex := range rec.Adoptions {
		if ex.Region == r.Code {
			a = &ex.Adoption
		}
	}
	if m.Date == "" {
		m.Date = time.Now().In(time.FixedZone("WIB", 7*3600)).Format(kb.DateLayout)
	}
	a.Status, a.Date, a.Note = m.Status, m.Date, m.Note
	if m.Degree != "" {
		a.Degree = m.Degree
	}
	if m.Visit != "" {
		a.Visit = m.Visit
	}
	a.History = append(a.History, kb.AdoptionEvent{Status: m.Status, Date: m.Date, Note: m.Note, By: actor.Email})
	if err := a.Validate(s.ref.Ref); err != nil {
		return nil, err
	}
	err = s.db.UpdateAs(ctx, s.who(c), func(tx *sqlite.Tx) error {
		_, err := tx.PutAdoption(ctx, a)
		return err
	})
	return a, err
}

func (s *Server) apiMoveAdoption(c *gin.Context) {
	if !s.requireUser(c) {
		return
	}
	body, err := readBody(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	var m adoptionMove
	if err := ingest.DecodeStrict(body, &m); err != nil {
		s.writeError(c, err)
		return
	}
	a, err := s.moveAdoption(c.Request.Context(), c, c.Param("slug"), c.Param("region"), m)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, apiAdoption{Adoption: *a, RegionName: s.regionRef(a.Region).Name})
}

// adoptionForm is the page form leadership uses to move their region's
// adoption of an innovation (Post/Redirect/Get).
func (s *Server) adoptionForm(c *gin.Context) {
	if !s.requireUser(c) {
		return
	}
	region := c.PostForm("region")
	if region == "" {
		region = s.actor(c).Region
	}
	m := adoptionMove{Status: c.PostForm("status"), Note: strings.TrimSpace(c.PostForm("note"))}
	slug := c.Param("slug")
	if _, err := s.moveAdoption(c.Request.Context(), c, slug, region, m); err != nil {
		if fes := kb.FieldErrors(err); fes != nil {
			c.Redirect(http.StatusSeeOther, "/inovasi/"+slug+"?galat="+fes[0].Field+"#replikasi")
			return
		}
		s.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/inovasi/"+slug+"#replikasi")
}
