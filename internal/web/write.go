package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
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
	// A visit's files are added and deleted on their own routes; a save
	// of the visit leaves them as they are.
	Attachments json.RawMessage `json:"attachments"`
}

// writeError answers a failed write: 422 with every field error, 409 for a
// conflict, and the usual mapping otherwise.
func (s *Server) writeError(c *gin.Context, err error) {
	l := s.localizer(c)
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		c.AbortWithStatusJSON(http.StatusRequestEntityTooLarge, apiError{Error: apiErrorBody{Code: "too_large", Message: l.T("error.too_large"), RequestID: requestIDOf(c)}})
	case errors.Is(err, errSlugTaken):
		// A conflict with what is stored, named on its field: the generic
		// conflict message ("someone else changed this") misled.
		msg := l.T("error.slug_taken")
		c.AbortWithStatusJSON(http.StatusConflict, apiError{Error: apiErrorBody{Code: "conflict", Message: msg, RequestID: requestIDOf(c),
			Fields: []apiFieldError{{Field: "slug", Message: msg}}}})
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
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, err
	}
	if err != nil {
		// A body cut short or badly chunked is the client's doing, not
		// an internal error.
		return nil, kb.Invalid("", "isi permintaan tidak terbaca utuh", "the request body could not be read whole")
	}
	if len(strings.TrimSpace(string(b))) == 0 {
		return nil, kb.Invalid("", "isi permintaan kosong; kirim satu objek JSON", "empty body; send one JSON object")
	}
	return b, nil
}

// errSlugTaken is a create whose slug another record has: slugs are
// unique across regions, so this also tells of a record the writer may
// not read, which cannot be helped without giving up readable addresses.
var errSlugTaken = errors.New("slug taken")

// checkVersion refuses a write based on an outdated copy: when the client
// sends the version it read, it must still be the stored one.
func checkVersion(sent *int, stored int) error {
	if sent != nil && *sent != stored {
		return fmt.Errorf("version %d is not the stored %d: %w", *sent, stored, kb.ErrConflict)
	}
	return nil
}

// recordAPI is what the write handlers need to know about one kind of
// record, so innovations and visits share one create/update/delete path.
type recordAPI[T any] struct {
	kind     string // sqlite.KindInnovation or sqlite.KindVisit
	base     string // the API path of the collection
	decode   func(body []byte, ro *readOnly) (*T, error)
	slug     func(*T) *string
	validate func(*T, kb.Reference) error
	load     func(ctx context.Context, slug string, v kb.Viewer) (rec *T, version int, err error)
	canWrite func(a kb.Actor, old, rec *T) bool
	put      func(ctx context.Context, tx *sqlite.Tx, rec *T, v kb.Viewer) error // v: what the writer may read
	del      func(ctx context.Context, tx *sqlite.Tx, slug string) error
	detail   func(ctx context.Context, slug string, v kb.Viewer) (any, error)
}

// writableNow reports whether a may still write slug as it is stored now,
// to save rec over it: asked inside a save's transaction when the record
// moved since it was read, so that one moved meanwhile to another agency
// is not overwritten by the old agency's writer. It is read outside the
// transaction, but no other write can commit while the save holds the
// lock. A record deleted meanwhile is kb.ErrNotFound.
func (api recordAPI[T]) writableNow(ctx context.Context, a kb.Actor, slug string, rec *T) (bool, error) {
	now, _, err := api.load(ctx, slug, a.Viewer())
	if err != nil {
		return false, err
	}
	return api.canWrite(a, now, rec), nil
}

func (s *Server) innovationAPI() recordAPI[kb.Innovation] {
	return recordAPI[kb.Innovation]{
		kind: sqlite.KindInnovation, base: "/api/v1/innovations/",
		decode: func(body []byte, ro *readOnly) (*kb.Innovation, error) {
			in := &kb.Innovation{}
			return in, ingest.DecodeStrict(body, &struct {
				*kb.Innovation
				*readOnly
			}{in, ro})
		},
		slug:     func(in *kb.Innovation) *string { return &in.Slug },
		validate: (*kb.Innovation).Validate,
		load: func(ctx context.Context, slug string, v kb.Viewer) (*kb.Innovation, int, error) {
			rec, err := s.db.GetInnovation(ctx, slug, v)
			if err != nil {
				return nil, 0, err
			}
			return &rec.Innovation, rec.Version, nil
		},
		canWrite: kb.Actor.CanWriteInnovation,
		put: func(ctx context.Context, tx *sqlite.Tx, in *kb.Innovation, _ kb.Viewer) error {
			_, err := tx.PutInnovation(ctx, in)
			return err
		},
		del: func(ctx context.Context, tx *sqlite.Tx, slug string) error { return tx.DeleteInnovation(ctx, slug) },
		detail: func(ctx context.Context, slug string, v kb.Viewer) (any, error) {
			return s.innovationDetail(ctx, slug, v)
		},
	}
}

func (s *Server) visitAPI() recordAPI[kb.Visit] {
	return recordAPI[kb.Visit]{
		kind: sqlite.KindVisit, base: "/api/v1/visits/",
		decode: func(body []byte, ro *readOnly) (*kb.Visit, error) {
			v := &kb.Visit{}
			return v, ingest.DecodeStrict(body, &struct {
				*kb.Visit
				*readOnly
			}{v, ro})
		},
		slug:     func(v *kb.Visit) *string { return &v.Slug },
		validate: (*kb.Visit).Validate,
		load: func(ctx context.Context, slug string, vw kb.Viewer) (*kb.Visit, int, error) {
			rec, err := s.db.GetVisit(ctx, slug, vw)
			if err != nil {
				return nil, 0, err
			}
			return &rec.Visit, rec.Version, nil
		},
		canWrite: kb.Actor.CanWriteVisit,
		put: func(ctx context.Context, tx *sqlite.Tx, v *kb.Visit, vw kb.Viewer) error {
			if err := tx.SeenBy(ctx, v, vw); err != nil {
				return err
			}
			_, err := tx.PutVisit(ctx, v)
			return err
		},
		del: func(ctx context.Context, tx *sqlite.Tx, slug string) error { return tx.DeleteVisit(ctx, slug) },
		detail: func(ctx context.Context, slug string, v kb.Viewer) (any, error) {
			return s.visitDetail(ctx, slug, v)
		},
	}
}

// saveRecord creates (POST) or replaces (PUT) a record: decode strictly,
// check the slug and the version the client read, validate, check the
// actor may write both the stored and the new record, write, answer with
// the stored record.
func saveRecord[T any](s *Server, c *gin.Context, api recordAPI[T], creating bool) {
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
	var ro readOnly
	rec, err := api.decode(body, &ro)
	if err != nil {
		s.writeError(c, err)
		return
	}
	slug := api.slug(rec)
	var (
		old    *T
		loaded int // the version old is
	)
	if !creating {
		if *slug == "" {
			*slug = c.Param("slug")
		}
		if *slug != c.Param("slug") {
			s.writeError(c, kb.Invalid("slug", "slug di isi berbeda dengan alamat", "slug in the body differs from the URL"))
			return
		}
		if old, loaded, err = api.load(ctx, *slug, actor.Viewer()); err != nil {
			s.writeError(c, err)
			return
		}
		if err := checkVersion(ro.Version, loaded); err != nil {
			s.writeError(c, err)
			return
		}
	}
	if err := api.validate(rec, s.ref.Ref); err != nil {
		s.writeError(c, err)
		return
	}
	if !api.canWrite(actor, old, rec) {
		s.failStatus(c, http.StatusForbidden, "forbidden", "error.forbidden")
		return
	}
	if s.beforeWrite != nil {
		s.beforeWrite(*slug)
	}
	err = s.db.UpdateAs(ctx, s.who(c), func(tx *sqlite.Tx) error {
		if creating {
			exists, err := tx.Exists(ctx, api.kind, *slug)
			if err != nil {
				return err
			}
			if exists {
				return fmt.Errorf("%s %s: %w", api.kind, *slug, errSlugTaken)
			}
		} else {
			// Again in the transaction: two saves of one copy checked
			// before it both passed, and the second overwrote the first.
			// Without a version sent, the last write wins, but the record
			// must still exist (a save racing a delete brought the deleted
			// record back) and the actor's rights hold on it as stored now.
			stored, err := tx.Version(ctx, api.kind, *slug)
			if err != nil {
				return err
			}
			if stored == 0 {
				return fmt.Errorf("%s %s deleted meanwhile: %w", api.kind, *slug, kb.ErrNotFound)
			}
			if ro.Version == nil && stored != loaded {
				ok, err := api.writableNow(ctx, actor, *slug, rec)
				if err != nil {
					return err
				}
				if !ok {
					return fmt.Errorf("%s %s changed meanwhile: %w", api.kind, *slug, kb.ErrForbidden)
				}
			}
			if err := checkVersion(ro.Version, stored); err != nil {
				return err
			}
		}
		return api.put(ctx, tx, rec, actor.Viewer())
	})
	if err != nil {
		s.writeError(c, err)
		return
	}
	d, err := api.detail(ctx, *slug, actor.Viewer())
	if err != nil {
		s.fail(c, err)
		return
	}
	status := http.StatusOK
	if creating {
		status = http.StatusCreated
		c.Header("Location", api.base+*slug)
	}
	c.JSON(status, d)
}

// deleteRecord deletes a record the actor may write.
func deleteRecord[T any](s *Server, c *gin.Context, api recordAPI[T]) {
	if !s.requireUser(c) {
		return
	}
	ctx := c.Request.Context()
	actor := s.actor(c)
	slug := c.Param("slug")
	old, _, err := api.load(ctx, slug, actor.Viewer())
	if err != nil {
		s.writeError(c, err)
		return
	}
	if !api.canWrite(actor, old, nil) {
		s.failStatus(c, http.StatusForbidden, "forbidden", "error.forbidden")
		return
	}
	if err := s.db.UpdateAs(ctx, s.who(c), func(tx *sqlite.Tx) error { return api.del(ctx, tx, slug) }); err != nil {
		s.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *Server) apiCreateInnovation(c *gin.Context) { saveRecord(s, c, s.innovationAPI(), true) }
func (s *Server) apiUpdateInnovation(c *gin.Context) { saveRecord(s, c, s.innovationAPI(), false) }
func (s *Server) apiDeleteInnovation(c *gin.Context) { deleteRecord(s, c, s.innovationAPI()) }
func (s *Server) apiCreateVisit(c *gin.Context)      { saveRecord(s, c, s.visitAPI(), true) }
func (s *Server) apiUpdateVisit(c *gin.Context)      { saveRecord(s, c, s.visitAPI(), false) }
func (s *Server) apiDeleteVisit(c *gin.Context)      { deleteRecord(s, c, s.visitAPI()) }

// adoptionMove is a step of an adoption: where the region now stands.
type adoptionMove struct {
	Status string `json:"status"`
	Degree string `json:"degree"`
	Visit  string `json:"visit"`
	Date   string `json:"date"`
	Note   string `json:"note"`
}

// moveAdoption records that region moved to a new step of adopting the
// innovation, keeping the whole history. earlier reports a step dated
// before the adoption's latest: it joined the history, and the adoption,
// degree and visit included, stayed as its latest step left it.
func (s *Server) moveAdoption(ctx context.Context, c *gin.Context, slug, region string, m adoptionMove) (a *kb.Adoption, earlier bool, err error) {
	actor := s.actor(c)
	if _, err := s.db.GetInnovation(ctx, slug, actor.Viewer()); err != nil {
		return nil, false, err
	}
	r, err := s.ref.Ref.Regions.Resolve(region)
	if err != nil {
		return nil, false, kb.Invalid("region", "wilayah tidak dikenal", "unknown region")
	}
	if !actor.CanMoveAdoption(r.Code) {
		return nil, false, kb.ErrForbidden
	}
	if m.Date == "" {
		m.Date = time.Now().In(wib).Format(kb.DateLayout)
	}
	if m.Visit != "" {
		// A visit the mover may not read is answered as one that does not
		// exist: linking another region's internal visit told that it
		// exists, and tied it to the adoption.
		if _, err := s.db.GetVisit(ctx, m.Visit, actor.Viewer()); errors.Is(err, kb.ErrNotFound) {
			return nil, false, kb.Invalid("visit", "kunjungan \""+m.Visit+"\" tidak ditemukan", "visit \""+m.Visit+"\" not found")
		} else if err != nil {
			return nil, false, err
		}
	}
	err = s.db.UpdateAs(ctx, s.who(c), func(tx *sqlite.Tx) error {
		stored, err := tx.Adoption(ctx, slug, r.Code)
		if err != nil {
			return err
		}
		if stored == nil {
			stored = &kb.Adoption{Innovation: slug, Region: r.Code}
		}
		if earlier, err = s.addStep(stored, m, actor.Email); err != nil {
			return err
		}
		a = stored
		_, err = tx.PutAdoption(ctx, a)
		return err
	})
	if err != nil {
		return nil, false, err
	}
	return a, earlier, nil
}

// addStep adds the step m, by the account email, to the adoption a as
// stored, and reports whether it is dated before a's latest step.
func (s *Server) addStep(a *kb.Adoption, m adoptionMove, email string) (earlier bool, err error) {
	prevDegree, prevVisit := a.Degree, a.Visit
	a.Status, a.Date, a.Note = m.Status, m.Date, m.Note
	if m.Degree != "" {
		a.Degree = m.Degree
	}
	if m.Visit != "" {
		a.Visit = m.Visit
	}
	// Checked before the step joins the history (and without it, which
	// Validate would start from the step), so that a bad status is
	// reported once, as the field the client sent.
	history := a.History
	a.History = nil
	if err := a.Validate(s.ref.Ref); err != nil {
		return false, err
	}
	a.History = history
	// The history keeps the adoption's first step and its latest: past
	// kb.MaxList steps, the oldest after the first make way, where the
	// adoption used to refuse every further move, even an admin's.
	// The same step sent again (a double click, a retried request) is
	// the step already recorded, not a second one, and makes no room.
	step := kb.AdoptionEvent{Status: a.Status, Date: a.Date, Note: a.Note, By: email}
	// A step joins the history at its date: one recorded late ("the
	// letter went out on 3 November") is not the latest step, and the
	// adoption stays where its latest step put it. Appended, it moved an
	// adoption at its trial back to a letter of interest.
	at := len(a.History)
	for at > 0 && a.History[at-1].Date > step.Date {
		at--
	}
	if at == 0 || a.History[at-1] != step {
		a.History = slices.Insert(a.History, at, step)
		if n := len(a.History); n > kb.MaxList {
			// Past kb.MaxList steps the first and the latest are kept. A
			// step that would be dropped at once, or that would push the
			// first step out, is refused, not accepted and lost.
			if cut := n - (kb.MaxList - 1); at < cut {
				return false, kb.Invalid("date",
					fmt.Sprintf("riwayat replikasi ini sudah %d langkah; langkah setua ini tidak bisa ditambahkan lagi", kb.MaxList),
					fmt.Sprintf("this adoption's history holds %d steps; a step this old can no longer be added", kb.MaxList))
			}
			a.History = append(a.History[:1], a.History[n-(kb.MaxList-1):]...)
		}
	}
	latest := a.History[len(a.History)-1]
	if earlier = latest != step; earlier {
		// An earlier step: the adoption stays as its latest step left it,
		// degree and visit included.
		a.Degree, a.Visit = prevDegree, prevVisit
	}
	a.Status, a.Date, a.Note = latest.Status, latest.Date, latest.Note
	return earlier, a.Validate(s.ref.Ref)
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
	ctx := c.Request.Context()
	a, _, err := s.moveAdoption(ctx, c, c.Param("slug"), c.Param("region"), m)
	if err != nil {
		s.writeError(c, err)
		return
	}
	// The adoption as stored keeps a link to a visit the mover may not
	// read (an admin made it); the answer leaves it out, as reading the
	// adoption does.
	answer := *a
	if answer.Visit != "" && answer.Visit != m.Visit { // a visit sent was checked already
		if _, err := s.db.GetVisit(ctx, answer.Visit, s.viewer(c)); errors.Is(err, kb.ErrNotFound) {
			answer.Visit = ""
		} else if err != nil {
			s.fail(c, err)
			return
		}
	}
	c.JSON(http.StatusOK, apiAdoption{Adoption: answer, RegionName: s.regionRef(a.Region).Name})
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
	m := adoptionMove{Status: c.PostForm("status"), Degree: c.PostForm("degree"), Visit: c.PostForm("visit"),
		Date: strings.TrimSpace(c.PostForm("date")), Note: strings.TrimSpace(c.PostForm("note"))}
	slug := c.Param("slug")
	_, earlier, err := s.moveAdoption(c.Request.Context(), c, slug, region, m)
	if err != nil {
		if fes := kb.FieldErrors(err); fes != nil {
			// The page again, saying why, with what was typed: a redirect
			// lost the note and could only name the field.
			l := s.localizer(c)
			var why []string
			for _, fe := range fes {
				why = append(why, fe.Message.In(l.Lang))
			}
			s.showInnovation(c, http.StatusUnprocessableEntity, &m, l.T("adoption.refused", strings.Join(why, "; ")))
			return
		}
		s.fail(c, err)
		return
	}
	if earlier {
		// Said, because the form's status, degree and visit did not
		// become the adoption's: a newer step still stands.
		s.notify(c, "saved_earlier")
	} else {
		s.notify(c, "saved")
	}
	c.Redirect(http.StatusSeeOther, "/inovasi/"+slug+"#replikasi")
}
