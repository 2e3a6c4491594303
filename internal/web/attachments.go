package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"tiru/internal/kb"
	"tiru/internal/sqlite"
)

// uploadBodyLimit bounds the body of an upload: one file at its largest
// plus the form around it (the boundaries, the part headers and the CSRF
// token take a few hundred bytes; the rest is slack for clients that add
// fields). It is above the server's body cap, which stays for every other
// route.
const uploadBodyLimit = kb.MaxAttachmentBytes + 256<<10

// The routes that take a file, by their Gin patterns.
const (
	uploadPageRoute = "/kunjungan/:slug/lampiran"
	uploadAPIRoute  = "/api/v1/visits/:slug/attachments"
)

// uploadTime is how long an upload may take to arrive and be answered. The
// server gives every other request a minute; a file of 10 MiB over a
// regional office's line of 1 Mbit/s takes about a minute and a half, and
// was cut off midway.
const uploadTime = 10 * time.Minute

// isUploadRoute reports whether route (a Gin pattern) takes a file.
func isUploadRoute(route string) bool {
	return route == uploadPageRoute || route == uploadAPIRoute
}

// bodyLimit is the largest body route (a Gin pattern) takes.
func (s *Server) bodyLimit(route string) int64 {
	if isUploadRoute(route) {
		return max(s.maxBody, uploadBodyLimit)
	}
	return s.maxBody
}

// isMultipart reports whether r carries a multipart/form-data body.
func isMultipart(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == "multipart/form-data"
}

// parseForm reads a posted form, a multipart one included, wholly into
// memory: a multipart body is bounded by bodyLimit, so no part is spooled
// to a temporary file that a crash could leave behind.
func parseForm(r *http.Request) error {
	if isMultipart(r) {
		return r.ParseMultipartForm(uploadBodyLimit)
	}
	return r.ParseForm()
}

// noFile is the error of an upload without a file in its "file" field.
func noFile() error {
	return kb.Invalid("file", "Lampiran belum dipilih: pilih satu berkas untuk diunggah", "No attachment chosen: choose one file to upload")
}

// readUpload returns the name and content of the one file sent in the
// field "file" of a multipart form. A body over the limit is an
// *http.MaxBytesError; anything else wrong is a field error on "file".
func readUpload(r *http.Request) (name string, data []byte, err error) {
	if !isMultipart(r) {
		return "", nil, kb.Invalid("file", "Lampiran dikirim sebagai multipart/form-data, berkasnya di kolom \"file\"",
			"Send the attachment as multipart/form-data, the file in the field \"file\"")
	}
	if err := parseForm(r); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return "", nil, err
		}
		return "", nil, kb.Invalid("file", "Lampiran tidak terbaca utuh; kirim ulang", "The attachment could not be read whole; send it again")
	}
	if r.MultipartForm == nil || len(r.MultipartForm.File["file"]) == 0 {
		return "", nil, noFile()
	}
	if len(r.MultipartForm.File["file"]) > 1 {
		return "", nil, kb.Invalid("file", "Lampiran diunggah satu per satu; kirim satu berkas saja", "Attachments are uploaded one at a time; send one file")
	}
	fh := r.MultipartForm.File["file"][0]
	f, err := fh.Open()
	if err != nil {
		return "", nil, fmt.Errorf("open uploaded file: %w", err)
	}
	defer f.Close()
	// One byte past the limit is enough to tell the file is too large.
	data, err = io.ReadAll(io.LimitReader(f, kb.MaxAttachmentBytes+1))
	if err != nil {
		return "", nil, fmt.Errorf("read uploaded file: %w", err)
	}
	if len(data) > kb.MaxAttachmentBytes {
		// A file just over the limit fits in the body an upload may
		// have; it is as much too large as one that overflows it, and
		// is answered the same: 413, saying the limit.
		return "", nil, &http.MaxBytesError{Limit: kb.MaxAttachmentBytes}
	}
	return fh.Filename, data, nil
}

// addAttachment attaches a file to the visit with slug for the request's
// user, under the rules of the visit's edit form: a visit the user may not
// read is not found, one they may not edit is forbidden.
func (s *Server) addAttachment(c *gin.Context, slug, name string, data []byte) (sqlite.Attachment, sqlite.Change, error) {
	ctx := c.Request.Context()
	a := s.actor(c)
	rec, err := s.writableVisit(ctx, a, slug)
	if err != nil {
		return sqlite.Attachment{}, sqlite.Unchanged, err
	}
	clean, media, err := kb.CheckAttachment(name, data)
	if err != nil {
		return sqlite.Attachment{}, sqlite.Unchanged, err
	}
	var (
		att    sqlite.Attachment
		change sqlite.Change
	)
	err = s.db.UpdateAs(ctx, s.who(c), func(tx *sqlite.Tx) error {
		if err := s.stillWritable(ctx, tx, a, slug, rec.Version); err != nil {
			return err
		}
		att, change, err = tx.AddAttachment(ctx, slug, sqlite.NewAttachment{Name: clean, MediaType: media, Data: data})
		return err
	})
	return att, change, err
}

// removeAttachment deletes the file id of the visit with slug for the
// request's user, under the same rules as addAttachment.
func (s *Server) removeAttachment(c *gin.Context, slug string, id int64) error {
	ctx := c.Request.Context()
	a := s.actor(c)
	rec, err := s.writableVisit(ctx, a, slug)
	if err != nil {
		return err
	}
	return s.db.UpdateAs(ctx, s.who(c), func(tx *sqlite.Tx) error {
		if err := s.stillWritable(ctx, tx, a, slug, rec.Version); err != nil {
			return err
		}
		return tx.DeleteAttachment(ctx, slug, id)
	})
}

// writableVisit returns the visit with slug if a may edit it: the same
// rule as the visit's edit form and the API's PUT.
func (s *Server) writableVisit(ctx context.Context, a kb.Actor, slug string) (*sqlite.VisitRecord, error) {
	rec, err := s.db.GetVisit(ctx, slug, a.Viewer())
	if err != nil {
		return nil, err
	}
	if !a.CanWriteVisit(&rec.Visit, nil) {
		return nil, fmt.Errorf("visit %s: %w", slug, kb.ErrForbidden)
	}
	return rec, nil
}

// stillWritable checks, in the write's transaction, that the visit read at
// version is still there and, when it has been saved since, that a may
// still edit it as stored now (moved meanwhile to another agency, it is
// no longer theirs to add files to).
func (s *Server) stillWritable(ctx context.Context, tx *sqlite.Tx, a kb.Actor, slug string, version int) error {
	stored, err := tx.Version(ctx, sqlite.KindVisit, slug)
	if err != nil {
		return err
	}
	if stored == 0 {
		return fmt.Errorf("visit %s deleted meanwhile: %w", slug, kb.ErrNotFound)
	}
	if stored != version {
		if _, err := s.writableVisit(ctx, a, slug); err != nil {
			return err
		}
	}
	return nil
}

// attachmentID reads the :id of an attachment route; anything but a
// positive whole number names no attachment.
func attachmentID(c *gin.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("attachment %q: %w", c.Param("id"), kb.ErrNotFound)
	}
	return id, nil
}

// uploadProblem is how a refused upload is answered: its status and what
// to tell the user, in their language. ok is false for errors that are
// not the upload's fault (the database failing), which fail() answers.
func (s *Server) uploadProblem(l *Localizer, err error) (status int, code, msg string, ok bool) {
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return http.StatusRequestEntityTooLarge, "too_large", l.T("error.attachment_too_large"), true
	case kb.FieldErrors(err) == nil:
		return 0, "", "", false
	case errors.Is(err, kb.ErrConflict):
		status, code = http.StatusConflict, "conflict"
	default:
		status, code = http.StatusBadRequest, "invalid"
	}
	var msgs []string
	for _, fe := range kb.FieldErrors(err) {
		msgs = append(msgs, fe.Message.In(l.Lang))
	}
	return status, code, strings.Join(msgs, "; "), true
}

// Pages.

// addAttachmentForm takes a file from the visit page's upload form
// (Post/Redirect/Get); a refused file brings the page back saying why, at
// the form.
func (s *Server) addAttachmentForm(c *gin.Context) {
	slug := c.Param("slug")
	if !s.requireUserOr(c, "/kunjungan/"+slug) {
		return
	}
	name, data, err := readUpload(c.Request)
	if err == nil {
		_, _, err = s.addAttachment(c, slug, name, data)
	}
	if err != nil {
		s.attachmentFormError(c, err)
		return
	}
	s.notify(c, "attachment_added")
	c.Redirect(http.StatusSeeOther, "/kunjungan/"+slug+"#lampiran")
}

// attachmentFormError answers a refused upload or delete made from the
// visit page: the page again with the reason at the upload form.
func (s *Server) attachmentFormError(c *gin.Context, err error) {
	status, _, msg, ok := s.uploadProblem(s.localizer(c), err)
	if !ok {
		s.fail(c, err)
		return
	}
	s.showVisit(c, status, msg)
	c.Abort()
}

// deleteAttachmentForm deletes a file from the visit page's list.
func (s *Server) deleteAttachmentForm(c *gin.Context) {
	slug := c.Param("slug")
	if !s.requireUserOr(c, "/kunjungan/"+slug) {
		return
	}
	id, err := attachmentID(c)
	if err == nil {
		err = s.removeAttachment(c, slug, id)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.notify(c, "attachment_deleted")
	c.Redirect(http.StatusSeeOther, "/kunjungan/"+slug+"#lampiran")
}

// attachmentFile sends a visit's file, to exactly those who may read the
// visit (others get the visit's own 404), for the page's link and the API
// alike. The file is never taken for a page of Tiru's: its stored type
// with nosniff, a policy that allows it nothing and sandboxes it if opened,
// and, but for images, a download rather than a view.
//
// The download's headers are set only once the file and its content are
// in hand, read together: a file deleted meanwhile is then answered with
// the ordinary 404 page, not with a 404 dressed as a download (sandboxed,
// and saved under the file's name by the browser).
func (s *Server) attachmentFile(c *gin.Context) {
	ctx := c.Request.Context()
	slug := c.Param("slug")
	id, err := attachmentID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.viewer(c)
	if inm := c.GetHeader("If-None-Match"); inm != "" {
		// A browser's revalidation costs the file's row without its
		// content when its copy is still the file's.
		a, err := s.db.Attachment(ctx, slug, id, v)
		if err != nil {
			s.fail(c, err)
			return
		}
		if etagMatches(inm, attachmentETag(a)) {
			s.attachmentHeaders(c, a)
			c.Status(http.StatusNotModified)
			return
		}
	}
	if s.beforeFileRead != nil {
		s.beforeFileRead(slug)
	}
	a, data, err := s.db.AttachmentFile(ctx, slug, id, v)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.attachmentHeaders(c, a)
	c.Writer.Header().Set("Content-Type", a.MediaType)
	modified, _ := time.Parse(time.RFC3339Nano, a.CreatedAt)
	// ServeContent answers ranges (a PDF viewer reads pages as it needs
	// them; a download resumes) and If-Modified-Since.
	http.ServeContent(c.Writer, c.Request, "", modified, bytes.NewReader(data))
}

// attachmentETag is a file's entity tag: its SHA-256, so that the same
// content is the same tag whatever its row.
func attachmentETag(a *sqlite.Attachment) string { return `"` + a.SHA256 + `"` }

// attachmentHeaders sets the headers of a file's answer, a 304 included.
func (s *Server) attachmentHeaders(c *gin.Context, a *sqlite.Attachment) {
	h := c.Writer.Header()
	h.Set("ETag", attachmentETag(a))
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("X-Content-Type-Options", "nosniff")
	// Another site may not embed the file: an internal visit's photo
	// would otherwise show on a page its reader happens to open.
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	disposition := "attachment"
	if t, ok := kb.AttachmentTypeOf(a.MediaType); ok && t.Image {
		disposition = "inline"
	}
	h.Set("Content-Disposition", contentDisposition(disposition, a.Name))
	if h.Get("Cache-Control") == "" {
		// An anonymous reader's copy may be kept but must be checked
		// each time (cheaply, by its ETag): a file deleted, or a visit
		// made internal, must stop being served at once. A signed-in
		// reader's answer is never stored (authenticate says no-store).
		h.Set("Cache-Control", "no-cache")
	}
}

// etagMatches reports whether an If-None-Match header names etag (or is
// "*"); a weak validator matches too, as RFC 9110 asks for GET.
func etagMatches(header, etag string) bool {
	for _, part := range strings.Split(header, ",") {
		part = strings.TrimPrefix(strings.TrimSpace(part), "W/")
		if part == "*" || part == etag {
			return true
		}
	}
	return false
}

// contentDisposition writes a Content-Disposition value with the file's
// name twice: as plain ASCII (other characters replaced, for old clients)
// and, encoded as RFC 5987 says, as it is.
func contentDisposition(kind, name string) string {
	var ascii strings.Builder
	for _, r := range name {
		switch {
		case r == '"' || r == '\\':
			ascii.WriteByte('_')
		case r >= 0x20 && r < 0x7f:
			ascii.WriteRune(r)
		default:
			ascii.WriteByte('_')
		}
	}
	// url.PathEscape leaves a few characters RFC 5987's attr-char does
	// not allow; they are encoded as well.
	enc := strings.NewReplacer("'", "%27", "(", "%28", ")", "%29", "*", "%2A", ",", "%2C", ";", "%3B", "=", "%3D", "@", "%40", ":", "%3A", "/", "%2F", "+", "%2B", "[", "%5B", "]", "%5D").
		Replace(url.PathEscape(name))
	return kind + `; filename="` + ascii.String() + `"; filename*=UTF-8''` + enc
}

// attachmentView is an attachment as the visit's page lists it.
type attachmentView struct {
	sqlite.Attachment
	URL      string
	Kind     string // "PDF", "gambar PNG", "dokumen Word"
	SizeText string // "1,2 MB"
	Image    bool   // shown with a preview
	When     string
	WhenISO  string
	By       string // who added it; only for signed-in readers, as a revision's author
}

// previewMaxBytes is the largest image the visit's page shows a preview of.
// A preview is the file itself, shrunk by the browser: a page of twenty
// phone photos of 5 MB each was 100 MB to load over a regional office's
// line. A larger image is listed with its link only.
const previewMaxBytes = 1 << 20

// attachmentViews prepares a visit's attachments for its page.
func attachmentViews(l *Localizer, slug string, list []sqlite.Attachment, v kb.Viewer) []attachmentView {
	out := make([]attachmentView, len(list))
	for i, a := range list {
		t, _ := kb.AttachmentTypeOf(a.MediaType)
		out[i] = attachmentView{Attachment: a, URL: attachmentURL(slug, a.ID), Kind: t.Label.In(l.Lang), SizeText: formatBytes(l.Lang, a.Size),
			Image: t.Image && a.Size <= previewMaxBytes, When: formatDateTime(l.Lang, a.CreatedAt), WhenISO: machineDateTime(a.CreatedAt)}
		if !v.Anonymous() {
			out[i].By = a.CreatedBy
		}
	}
	return out
}

// attachmentURL is the page address of a visit's file.
func attachmentURL(slug string, id int64) string {
	return "/kunjungan/" + slug + "/lampiran/" + strconv.FormatInt(id, 10)
}

// formatBytes writes a file's size as people read it: "850 KB", "1,2 MB"
// ("1.2 MB" in English), in units of 1,024 as file managers count.
func formatBytes(lang string, n int64) string {
	if n < 1024 {
		return formatNumber(lang, n) + " B"
	}
	v, unit := float64(n)/1024, "KB"
	if v >= 1024 {
		v, unit = v/1024, "MB"
	}
	var s string
	if v < 10 {
		s = strconv.FormatFloat(v, 'f', 1, 64)
		s = strings.TrimSuffix(s, ".0")
		if lang != "en" {
			s = strings.Replace(s, ".", ",", 1)
		}
	} else {
		s = formatNumber(lang, int64(v+0.5))
	}
	return s + " " + unit
}

// The JSON API.

// apiAttachment is an attachment in the JSON API.
type apiAttachment struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	MediaType string `json:"media_type"`
	Size      int64  `json:"size"`
	SHA256    string `json:"sha256"`
	URL       string `json:"url"`
	CreatedAt string `json:"created_at"`
}

func newAPIAttachment(slug string, a sqlite.Attachment) apiAttachment {
	return apiAttachment{ID: a.ID, Name: a.Name, MediaType: a.MediaType, Size: a.Size, SHA256: a.SHA256,
		URL: "/api/v1/visits/" + slug + "/attachments/" + strconv.FormatInt(a.ID, 10), CreatedAt: a.CreatedAt}
}

func apiAttachments(slug string, list []sqlite.Attachment) []apiAttachment {
	out := make([]apiAttachment, len(list))
	for i, a := range list {
		out[i] = newAPIAttachment(slug, a)
	}
	return out
}

// apiAddAttachment takes a file (multipart/form-data, field "file"): 201
// with its metadata, or 200 with the one already attached when the same
// file under the same name is sent again.
func (s *Server) apiAddAttachment(c *gin.Context) {
	if !s.requireUser(c) {
		return
	}
	slug := c.Param("slug")
	name, data, err := readUpload(c.Request)
	var (
		a      sqlite.Attachment
		change sqlite.Change
	)
	if err == nil {
		a, change, err = s.addAttachment(c, slug, name, data)
	}
	if err != nil {
		s.apiUploadError(c, err)
		return
	}
	out := newAPIAttachment(slug, a)
	if change != sqlite.Created {
		c.JSON(http.StatusOK, out)
		return
	}
	c.Header("Location", out.URL)
	c.JSON(http.StatusCreated, out)
}

// apiUploadError answers a refused upload in JSON, naming the field.
func (s *Server) apiUploadError(c *gin.Context, err error) {
	status, code, msg, ok := s.uploadProblem(s.localizer(c), err)
	if !ok {
		s.fail(c, err)
		return
	}
	c.AbortWithStatusJSON(status, apiError{Error: apiErrorBody{Code: code, Message: msg, RequestID: requestIDOf(c),
		Fields: []apiFieldError{{Field: "file", Message: msg}}}})
}

// apiDeleteAttachment deletes a visit's file: 204.
func (s *Server) apiDeleteAttachment(c *gin.Context) {
	if !s.requireUser(c) {
		return
	}
	id, err := attachmentID(c)
	if err == nil {
		err = s.removeAttachment(c, c.Param("slug"), id)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
