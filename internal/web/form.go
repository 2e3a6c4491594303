package web

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"tiru/internal/kb"
	"tiru/internal/sqlite"
)

// The record forms (visitform.go, innovationform.go) are plain HTML forms
// that work without JavaScript. A record's lists are typed one item a
// line, the parts of an item separated by "|", and a refused form comes
// back as it was typed, every problem named by its field.

// formError is one problem, named by the field's label and, for a list,
// the line.
type formError struct {
	Field   string // the form field's name (its element's id is "f-" + Field)
	Message string
}

// joinLines writes n items one a line, their parts separated by " | ", as
// the forms take them. A part's own "|", line break or backslash is
// written \|, \n or \\, so that a record opened in the form and saved
// unchanged stays as it was (a result "50% | naik" was refused as a line
// of too many parts).
func joinLines(n int, item func(i int) []string) string {
	esc := strings.NewReplacer(`\`, `\\`, "|", `\|`, "\r\n", `\n`, "\n", `\n`)
	var b strings.Builder
	for i := range n {
		parts := item(i)
		for len(parts) > 1 && parts[len(parts)-1] == "" {
			parts = parts[:len(parts)-1]
		}
		for j, p := range parts {
			if j > 0 {
				b.WriteString(" | ")
			}
			b.WriteString(esc.Replace(p))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// splitParts splits a line at each "|" not written \|, and reads the
// escapes joinLines writes.
func splitParts(line string) []string {
	var parts []string
	var b strings.Builder
	for i := 0; i < len(line); i++ {
		switch ch := line[i]; {
		case ch == '\\' && i+1 < len(line) && (line[i+1] == '|' || line[i+1] == '\\'):
			b.WriteByte(line[i+1])
			i++
		case ch == '\\' && i+1 < len(line) && line[i+1] == 'n':
			b.WriteByte('\n')
			i++
		case ch == '|':
			parts = append(parts, strings.TrimSpace(b.String()))
			b.Reset()
		default:
			b.WriteByte(ch)
		}
	}
	return append(parts, strings.TrimSpace(b.String()))
}

// formLines reads a list typed one item a line, parts separated by "|",
// each item padded to want parts. An item of more parts is reported on its
// field, by its place among the items.
func formLines(text, field string, want int, errs *[]kb.FieldError) [][]string {
	var out [][]string
	for _, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		parts := splitParts(line)
		if len(parts) > want {
			*errs = append(*errs, kb.FieldError{Field: fmt.Sprintf("%s[%d]", field, len(out)),
				Message: kb.Text{ID: fmt.Sprintf("paling banyak %d bagian dipisah | (tulis \\| untuk | di dalam isian)", want),
					EN: fmt.Sprintf("at most %d parts separated by | (write \\| for a | within a part)", want)}})
		}
		for len(parts) < want {
			parts = append(parts, "")
		}
		out = append(out, parts)
	}
	return out
}

// formList reads a list of single values, separated by commas or line
// breaks; a value's own comma is written \, (see showList).
func formList(text string) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		if v := strings.TrimSpace(b.String()); v != "" {
			out = append(out, v)
		}
		b.Reset()
	}
	for i := 0; i < len(text); i++ {
		switch ch := text[i]; {
		case ch == '\\' && i+1 < len(text) && (text[i+1] == ',' || text[i+1] == '\\'):
			b.WriteByte(text[i+1])
			i++
		case ch == ',' || ch == '\n':
			flush()
		default:
			b.WriteByte(ch)
		}
	}
	flush()
	return out
}

// showList writes a list as formList reads it back: separated by commas,
// a value's own comma written \, ("Jawa Tengah\, Indonesia"), so that a
// record opened in the form and saved unchanged keeps its values.
func showList(vs []string) string {
	esc := strings.NewReplacer(`\`, `\\`, ",", `\,`, "\n", " ")
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = esc.Replace(v)
	}
	return strings.Join(out, ", ")
}

// formText is a posted text as stored: browsers send a textarea's line
// breaks as \r\n, and an unchanged form must save unchanged.
func formText(c *gin.Context, field string) string {
	return strings.ReplaceAll(c.PostForm(field), "\r\n", "\n")
}

// listField splits a field error's name into the form field and, for an
// item of a list, its place (from 1): "people_met[1].name" is item 2 of
// people_met.
var listField = regexp.MustCompile(`^([a-z_]+)\[(\d+)\](?:\.([a-z_]+))?`)

// formFieldRe finds the fields of a form template, as it includes them
// ({{template "field" (dict … "F" "title" …)}}).
var formFieldRe = regexp.MustCompile(`"F" "([a-z_]+)"`)

// formFieldOrder lists the fields of a form template in the order the page
// shows them, read from the template itself so that the two cannot drift.
func formFieldOrder(page string) []string {
	b, err := templateFiles.ReadFile("templates/" + page + ".html")
	if err != nil {
		return nil
	}
	var out []string
	for _, m := range formFieldRe.FindAllStringSubmatch(string(b), -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	return out
}

// formErrors turns field errors into the form's words: each named by its
// field's label, and a list item by its place among the items. They are
// listed in the order of the fields on the page (order; a field it lacks
// comes last), a list's items by their place, as a reader goes through
// the form, whatever step found them.
func formErrors(l *Localizer, kind string, order []string, fes []kb.FieldError) ([]formError, map[string]string) {
	type placed struct {
		formError
		pos, line int // the field's place on the page, the item's in its list
	}
	var all []placed
	for _, fe := range fes {
		field, label := fe.Field, ""
		line := -1
		if m := listField.FindStringSubmatch(fe.Field); m != nil {
			n, _ := strconv.Atoi(m[2])
			line = n
			field = m[1]
			label = l.FieldOf(kind, field) + ", " + l.T("form.line", n+1)
			// The part of the item, when the error is about one ("Angka").
			if _, ok := l.catalog["part."+m[3]]; ok && m[3] != "" {
				label += ", " + l.T("part."+m[3])
			}
		} else {
			// "stage_dates.uji_coba" is the form's stage_uji_coba.
			if rest, ok := strings.CutPrefix(field, "stage_dates."); ok {
				field = "stage_" + rest
			}
			field, _, _ = strings.Cut(field, ".")
			label = l.FieldOf(kind, field)
		}
		pos := slices.Index(order, field)
		if pos < 0 {
			pos = len(order)
		}
		all = append(all, placed{formError{Field: field, Message: label + ": " + fe.Message.In(l.Lang)}, pos, line})
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].pos != all[j].pos {
			return all[i].pos < all[j].pos
		}
		return all[i].line < all[j].line
	})
	var out []formError
	by := map[string]string{}
	for _, e := range all {
		out = append(out, e.formError)
		if _, ok := by[e.Field]; !ok {
			by[e.Field] = e.Message
		}
	}
	return out, by
}

// maxSlugSuffix bounds the numbers tried after an address made from a
// title that is taken.
const maxSlugSuffix = 50

// slugFor makes an address for a new record from its title and, for a
// visit, the year of its date, when the organiser leaves the slug empty.
func slugFor(title, date string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.Trim(b.String(), "-")
	if s == "" {
		return "" // a year alone says nothing of the record
	}
	// At most 70 letters, cut between words, leaving room for the year.
	if len(s) > 70 {
		s = s[:70]
		if i := strings.LastIndexByte(s, '-'); i > 30 {
			s = s[:i]
		}
	}
	if y := date[:min(len(date), 4)]; len(y) == 4 && strings.Trim(y, "0123456789") == "" && !strings.HasSuffix(s, y) {
		s += "-" + y
	}
	return strings.Trim(s, "-")
}

// formData is a record form as a template shows it: the fields as typed,
// what is wrong with them, and the choices of its select fields.
type formData struct {
	New     bool
	Action  string // where the form posts
	Slug    string // the record edited; empty for a new one
	Version int
	Values  map[string]string
	Errors  []formError
	ByField map[string]string // the first error of each field, for its aria-describedby
	Choices map[string][]option
	// Conflict: the record changed since the form was opened.
	Conflict bool
	// Busy: the database was busy with another process's write; the form
	// comes back as typed, to be sent again.
	Busy bool
	// Submission is the one-time id of this form page: sent again with the
	// same contents, the form is the save already made (see submission).
	Submission string
	// DeleteError says why a delete was not done (not confirmed).
	DeleteError string
	// Kind is the record's kind, for labels that differ by kind (see
	// Localizer.FieldOf).
	Kind string
}

// recordForm is what the form handlers need to know about one kind of
// record beyond what the JSON API needs (recordAPI, whose loading, rules,
// validation and writing the forms share), so that innovations and visits
// share one new/edit/save path.
type recordForm[T any] struct {
	api      recordAPI[T]
	base     string // the pages' path: "/inovasi/" or "/kunjungan/"
	page     string // the template
	messages string // the prefix of the form's messages: "visitform", "innovationform"
	blank    func(a kb.Actor) *T
	read     func(c *gin.Context) (*T, map[string]string, []kb.FieldError)
	values   func(*T) map[string]string
	choices  func(l *Localizer, values map[string]string) map[string][]option
	newSlug  func(*T) string // an address made from the record, when none is typed
	// refused says, on a field, why the actor may not write the record as
	// typed (another agency's, say).
	refused kb.FieldError
}

func renderForm[T any](s *Server, c *gin.Context, f recordForm[T], status int, d formData) {
	l := s.localizer(c)
	d.Kind = f.api.kind
	d.Choices = f.choices(l, d.Values)
	title := l.T(f.messages + ".new")
	if !d.New {
		title = l.T(f.messages + ".edit")
	}
	s.render(c, status, f.page, title, d)
}

// showNewForm shows an empty form, filled in with the writer's own region
// and agency.
func showNewForm[T any](s *Server, c *gin.Context, f recordForm[T]) {
	if !s.requireUser(c) {
		return
	}
	a := s.actor(c)
	if !f.api.canWrite(a, nil, nil) {
		s.fail(c, kb.ErrForbidden)
		return
	}
	renderForm(s, c, f, http.StatusOK, formData{New: true, Action: f.base + kb.ReservedSlug, Values: f.values(f.blank(a)), Submission: newSubmission()})
}

// showEditForm shows a record in the form.
func showEditForm[T any](s *Server, c *gin.Context, f recordForm[T]) {
	if !s.requireUser(c) {
		return
	}
	a := s.actor(c)
	rec, version, err := f.api.load(c.Request.Context(), c.Param("slug"), a.Viewer())
	if err != nil {
		s.fail(c, err)
		return
	}
	if !f.api.canWrite(a, rec, nil) {
		s.fail(c, kb.ErrForbidden)
		return
	}
	slug := *f.api.slug(rec)
	renderForm(s, c, f, http.StatusOK, formData{Action: f.base + slug + "/ubah", Slug: slug, Version: version, Values: f.values(rec), Submission: newSubmission()})
}

// saveForm creates (slug "") or updates a record from the form. A refused
// form comes back with what was typed and every problem named by its
// field; nothing is stored.
func saveForm[T any](s *Server, c *gin.Context, f recordForm[T], slug string) {
	if !s.requireUser(c) {
		return
	}
	ctx := c.Request.Context()
	a := s.actor(c)
	creating := slug == ""
	d := formData{New: creating, Action: f.base + kb.ReservedSlug, Slug: slug}
	// The same form sent twice (a double click, a resend after a lost
	// answer) made a second record ("-2"), or a false "changed since you
	// opened it" about the writer's own save: it is the save already made.
	id := c.PostForm("submission") // parses the form into PostForm too
	sub := submission{id: id, user: a.UserID, digest: formDigest(c.Request.PostForm)}
	if !validSubmission(sub.id) {
		sub.id = newSubmission()
	}
	d.Submission = sub.id
	// alreadySaved answers a form this writer already saved as sent by
	// leading to the record, and reports whether it answered.
	alreadySaved := func() bool {
		saved, ok, err := s.db.Submitted(ctx, sub.id, sub.user, sub.digest)
		switch {
		case err != nil:
			s.fail(c, err)
		case ok:
			s.notify(c, "saved")
			c.Redirect(http.StatusSeeOther, f.base+saved)
		}
		return err != nil || ok
	}
	if alreadySaved() {
		return
	}
	opened := 0 // the version the form was opened at, when it says
	loaded := 0 // the version old is
	var old *T
	if !creating {
		rec, version, err := f.api.load(ctx, slug, a.Viewer())
		if err != nil {
			s.fail(c, err)
			return
		}
		old, loaded = rec, version
		d.Action = f.base + slug + "/ubah"
		d.Version = version
		// Someone saved the record since this form was opened: the form
		// comes back as typed, with the version now stored, so that saving
		// again is a choice made knowing it.
		if sent, err := strconv.Atoi(c.PostForm("version")); err == nil {
			d.Conflict = sent != version
			opened = sent
		}
	}
	if !f.api.canWrite(a, old, nil) {
		s.fail(c, kb.ErrForbidden)
		return
	}
	rec, vals, errs := f.read(c)
	d.Values = vals
	generated := false
	if !creating {
		*f.api.slug(rec) = slug
	} else if *f.api.slug(rec) == "" {
		generated = true
		*f.api.slug(rec) = f.newSlug(rec)
		if !kb.ValidSlug(*f.api.slug(rec)) {
			// A title with no letter a slug may hold ("¡¡¡ ☺ !!!"), or
			// too few ("Ab"): an address from the kind and the time,
			// rather than an error on a field the writer was told to
			// leave empty.
			*f.api.slug(rec) = strings.Trim(f.base, "/") + "-" + time.Now().Format("20060102-150405")
		}
	}
	if d.Conflict {
		// The version may have moved on by this very form's first sending,
		// saved while this second one was on its way.
		if alreadySaved() {
			return
		}
		renderForm(s, c, f, http.StatusConflict, d)
		return
	}
	if err := f.api.validate(rec, s.ref.Ref); err != nil {
		errs = append(errs, kb.FieldErrors(err)...)
	}
	if len(errs) == 0 && !f.api.canWrite(a, old, rec) {
		errs = append(errs, f.refused)
	}
	if len(errs) == 0 {
		if s.beforeWrite != nil {
			s.beforeWrite(slug)
		}
		var already string // the record this very form saved meanwhile
		err := s.db.UpdateAs(ctx, s.who(c), func(tx *sqlite.Tx) error {
			if saved, ok, err := tx.Submitted(ctx, sub.id, sub.user, sub.digest); err != nil || ok {
				already = saved
				return err
			}
			if creating {
				base := *f.api.slug(rec)
				for n := 2; ; n++ {
					exists, err := tx.Exists(ctx, f.api.kind, *f.api.slug(rec))
					if err != nil {
						return err
					}
					if !exists {
						break
					}
					// An address typed is the writer's to change; one
					// made from the title takes the next free number
					// ("-2", "-3") instead of an error on a field the
					// writer left empty.
					if !generated || n > maxSlugSuffix {
						return errSlugTaken
					}
					suffix := "-" + strconv.Itoa(n)
					*f.api.slug(rec) = strings.TrimRight(base[:min(len(base), 80-len(suffix))], "-") + suffix
				}
			} else {
				// Again in the transaction: saves of one form sent at
				// once all passed the check before it, and each
				// overwrote the one before.
				stored, err := tx.Version(ctx, f.api.kind, slug)
				if err != nil {
					return err
				}
				switch {
				case opened > 0:
					if stored != opened {
						return kb.ErrConflict
					}
				case stored != loaded:
					// A form without its version (a script's) is the
					// last write, as through the API, but only of a
					// record the writer may still write as it is stored
					// now (a deleted one is not found, and the save does
					// not bring it back). A refused one comes back as a
					// form, as typed.
					ok, err := f.api.writableNow(ctx, a, slug, rec)
					if err != nil {
						return err
					}
					if !ok {
						return fmt.Errorf("%s %s changed meanwhile: %w", f.api.kind, slug, kb.ErrConflict)
					}
				}
			}
			if err := f.api.put(ctx, tx, rec, a.Viewer()); err != nil {
				return err
			}
			return tx.RecordSubmission(ctx, sub.id, sub.user, sub.digest, f.api.kind, *f.api.slug(rec))
		})
		switch {
		case err == nil && already != "":
			s.notify(c, "saved")
			c.Redirect(http.StatusSeeOther, f.base+already)
			return
		case err == nil:
			s.notify(c, "saved")
			c.Redirect(http.StatusSeeOther, f.base+*f.api.slug(rec))
			return
		case errors.Is(err, kb.ErrConflict):
			d.Conflict = true
			if _, v, err := f.api.load(ctx, slug, a.Viewer()); err == nil {
				d.Version = v
			}
			renderForm(s, c, f, http.StatusConflict, d)
			return
		case errors.Is(err, sqlite.ErrBusy):
			s.log.Warn("database busy", "request_id", requestIDOf(c), "path", c.Request.URL.Path, "error", err)
			c.Header("Retry-After", strconv.Itoa(busyRetrySeconds))
			d.Busy = true
			renderForm(s, c, f, http.StatusServiceUnavailable, d)
			return
		case errors.Is(err, errSlugTaken):
			errs = append(errs, kb.FieldError{Field: "slug", Message: kb.Text{ID: "sudah dipakai catatan lain; pilih yang lain",
				EN: "already used by another record; choose another"}})
		case kb.FieldErrors(err) != nil:
			errs = append(errs, kb.FieldErrors(err)...)
		default:
			s.fail(c, err)
			return
		}
	}
	if creating && vals["slug"] == "" {
		// The address made from the record is shown, to be kept or changed.
		d.Values["slug"] = *f.api.slug(rec)
	}
	d.Errors, d.ByField = formErrors(s.localizer(c), f.api.kind, formFieldOrder(f.page), errs)
	renderForm(s, c, f, http.StatusUnprocessableEntity, d)
}

// deleteForm deletes a record from its edit page, once the writer has
// ticked the confirmation; unticked, the edit form comes back saying so.
// Its revisions stay, as for a delete through the API.
func deleteForm[T any](s *Server, c *gin.Context, f recordForm[T], slug string) {
	if !s.requireUser(c) {
		return
	}
	ctx := c.Request.Context()
	a := s.actor(c)
	rec, version, err := f.api.load(ctx, slug, a.Viewer())
	if err != nil {
		s.fail(c, err)
		return
	}
	if !f.api.canWrite(a, rec, nil) {
		s.fail(c, kb.ErrForbidden)
		return
	}
	if c.PostForm("confirm") != "ya" {
		renderForm(s, c, f, http.StatusUnprocessableEntity, formData{Action: f.base + slug + "/ubah", Slug: slug, Version: version,
			Values: f.values(rec), DeleteError: s.localizer(c).T("form.delete_unconfirmed")})
		return
	}
	if err := s.db.UpdateAs(ctx, s.who(c), func(tx *sqlite.Tx) error { return f.api.del(ctx, tx, slug) }); err != nil {
		s.fail(c, err)
		return
	}
	s.notify(c, "deleted")
	c.Redirect(http.StatusSeeOther, strings.TrimSuffix(f.base, "/"))
}

// submission is one sending of a record form: the form page's one-time id,
// who sent it and a digest of what was sent.
type submission struct {
	id     string
	user   int64
	digest string
}

// newSubmission returns a fresh one-time form id.
func newSubmission() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// validSubmission reports whether id has the form newSubmission gives; any
// other value a client sends is replaced by a fresh id.
func validSubmission(id string) bool {
	if len(id) != 32 {
		return false
	}
	_, err := hex.DecodeString(id)
	return err == nil
}

// formDigest sums what a form sent, but the CSRF token (which differs
// between tabs and sessions) and the submission id itself.
func formDigest(v url.Values) string {
	keys := make([]string, 0, len(v))
	for k := range v {
		if k != "csrf" && k != "submission" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	h := sha256.New()
	for _, k := range keys {
		for _, x := range v[k] {
			fmt.Fprintf(h, "%d:%s=%d:%s;", len(k), k, len(x), x)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}
