package web

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"tiru/internal/kb"
	"tiru/internal/sqlite"
)

// Files of each accepted kind, as small as their kind allows.
var (
	testPDF  = append([]byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"), bytes.Repeat([]byte("isi laporan perjalanan "), 60000)...)
	testPNG  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	testHTML = []byte("<!DOCTYPE html><title>x</title><script>alert(document.cookie)</script>")
)

// testDOCX is a minimal Word document: what Office writes, without content.
func testDOCX(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, n := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml"} {
		f, err := w.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte(`<?xml version="1.0"?><x/>`))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// multipartBody is a form with a file in the field "file" and the other
// fields given.
func multipartBody(t *testing.T, filename string, data []byte, fields url.Values) (body, contentType string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	if data != nil {
		fw, err := w.CreateFormFile("file", filename)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(data)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String(), w.FormDataContentType()
}

// uploadPage sends a file through the visit page's upload form as c, with
// c's form token unless csrf is false.
func (ts *testServer) uploadPage(t *testing.T, c *client, slug, filename string, data []byte, csrf bool) response {
	t.Helper()
	fields := url.Values{}
	if csrf && c.csrf != "" {
		fields.Set("csrf", c.csrf)
	}
	body, ct := multipartBody(t, filename, data, fields)
	return ts.send(t, http.MethodPost, "/kunjungan/"+slug+"/lampiran", body, c.headers("Content-Type", ct)...)
}

// uploadAPI sends a file to the JSON API as c.
func (ts *testServer) uploadAPI(t *testing.T, c *client, ch channel, slug, filename string, data []byte) response {
	t.Helper()
	body, ct := multipartBody(t, filename, data, nil)
	h := []string{"Content-Type", ct}
	switch {
	case ch == viaToken && c.token != "":
		h = append(h, "Authorization", "Bearer "+c.token)
	case ch == viaSession && c.cookie != "":
		h = append(h, "Cookie", c.cookie, "X-CSRF-Token", c.csrf)
	}
	return ts.send(t, http.MethodPost, "/api/v1/visits/"+slug+"/attachments", body, h...)
}

// attachmentsOf lists the names of a visit's files as stored ("absent"
// when the visit is not there).
func (ts *testServer) attachmentsOf(t *testing.T, slug string) string {
	t.Helper()
	rec, err := ts.db.GetVisit(context.Background(), slug, kb.Viewer{AllInternal: true})
	if err != nil {
		return "absent"
	}
	var names []string
	for _, a := range rec.Attachments {
		names = append(names, a.Name)
	}
	return strings.Join(names, "|")
}

// attach stores a file with a visit directly, for tests about reading and
// deleting it.
func (ts *testServer) attach(t *testing.T, slug, name, media string, data []byte) sqlite.Attachment {
	t.Helper()
	var a sqlite.Attachment
	ctx := context.Background()
	err := ts.db.Update(ctx, "test", func(tx *sqlite.Tx) error {
		var err error
		a, _, err = tx.AddAttachment(ctx, slug, sqlite.NewAttachment{Name: name, MediaType: media, Data: data})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

var fileLinkRe = regexp.MustCompile(`href="(/kunjungan/[^"]+/lampiran/\d+)"`)

func TestAttachmentsThroughTheVisitPage(t *testing.T) {
	ts := newTestServer(t)
	const slug = "kunjungan-lampiran"
	ts.importJSONL(t, visitJSON(slug, banjarRegion, banjarAgency, soloRegion, soloAgency, "")+"\n")
	peny := ts.newMember(t, "penyelenggara-banjar", "penyelenggara@banjarkab.go.id", kb.RolePenyelenggara, banjarAgency, banjarRegion)
	anon := &client{label: "anonim"}

	page := ts.getAs(t, peny, "/kunjungan/"+slug)
	if !strings.Contains(page.body, `enctype="multipart/form-data"`) || !strings.Contains(page.body, "Belum ada lampiran.") {
		t.Fatalf("the organiser's visit page has no upload form: %s", page)
	}
	if r := ts.getAs(t, anon, "/kunjungan/"+slug); strings.Contains(r.body, `enctype="multipart/form-data"`) || !strings.Contains(r.body, "Lampiran") {
		t.Error("an anonymous reader is offered the upload form, or no attachments section")
	}

	r := ts.uploadPage(t, peny, slug, `C:\Dokumen\Laporan Perjalanan Dinas.pdf`, testPDF, true)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/kunjungan/"+slug+"#lampiran" {
		t.Fatalf("upload: %s", r)
	}
	if r := ts.uploadPage(t, peny, slug, "foto rombongan.png", testPNG, true); r.status != http.StatusSeeOther {
		t.Fatalf("upload of a photo: %s", r)
	}
	if r := ts.uploadPage(t, peny, slug, "notulen", testDOCX(t), true); r.status != http.StatusSeeOther {
		t.Fatalf("upload of a document: %s", r)
	}
	if got := ts.attachmentsOf(t, slug); got != "Laporan Perjalanan Dinas.pdf|foto rombongan.png|notulen.docx" {
		t.Fatalf("stored: %q", got)
	}

	page = ts.getAs(t, peny, "/kunjungan/"+slug)
	text := pageText(t, page.body)
	for _, want := range []string{"Laporan Perjalanan Dinas.pdf", "PDF · 1,3 MB", "gambar PNG · 33 B", "dokumen Word", "oleh penyelenggara@banjarkab.go.id", "Hapus"} {
		if !strings.Contains(text, want) {
			t.Errorf("the visit page lacks %q", want)
		}
	}
	if !strings.Contains(page.body, `alt="Pratinjau foto rombongan.png"`) || !strings.Contains(page.body, `width="96" height="72"`) {
		t.Error("the photo has no preview with its text and size")
	}
	links := fileLinkRe.FindAllStringSubmatch(page.body, -1)
	if len(links) < 3 {
		t.Fatalf("links to the files: %v", links)
	}
	pdfURL := links[0][1]
	en := pageText(t, ts.getAs(t, anon, "/kunjungan/"+slug+"?lang=en").body)
	for _, want := range []string{"Attachments", "PDF · 1.3 MB", "PNG image", "Word document"} {
		if !strings.Contains(en, want) {
			t.Errorf("the English page lacks %q", want)
		}
	}
	if strings.Contains(en, "penyelenggara@banjarkab.go.id") {
		t.Error("an anonymous reader sees who added a file")
	}

	t.Run("download", func(t *testing.T) {
		r := ts.getAs(t, anon, pdfURL)
		if r.status != http.StatusOK || r.body != string(testPDF) {
			t.Fatalf("download: %d, %d bytes", r.status, len(r.body))
		}
		for h, want := range map[string]string{
			"Content-Type":            "application/pdf",
			"X-Content-Type-Options":  "nosniff",
			"Content-Security-Policy": "default-src 'none'; sandbox",
			"Content-Disposition":     `attachment; filename="Laporan Perjalanan Dinas.pdf"; filename*=UTF-8''Laporan%20Perjalanan%20Dinas.pdf`,
			"Cache-Control":           "no-cache",
			"Accept-Ranges":           "bytes",
		} {
			if got := r.header.Get(h); got != want {
				t.Errorf("%s: %q, want %q", h, got, want)
			}
		}
		etag := r.header.Get("ETag")
		if len(etag) != 66 {
			t.Errorf("ETag %q, want the quoted sha256", etag)
		}
		if r := ts.getAs(t, anon, pdfURL, "If-None-Match", etag); r.status != http.StatusNotModified || r.body != "" {
			t.Errorf("revalidation: %s", r)
		}
		if r := ts.getAs(t, anon, pdfURL, "Range", "bytes=0-4"); r.status != http.StatusPartialContent || r.body != "%PDF-" {
			t.Errorf("a range: %s", r)
		}
		// A signed-in reader's copy is never stored.
		if r := ts.getAs(t, peny, pdfURL); r.status != http.StatusOK || r.header.Get("Cache-Control") != "no-store" {
			t.Errorf("signed in: %d %q", r.status, r.header.Get("Cache-Control"))
		}
		img := ts.getAs(t, anon, links[1][1])
		if img.header.Get("Content-Type") != "image/png" || !strings.HasPrefix(img.header.Get("Content-Disposition"), "inline;") {
			t.Errorf("the photo: %q %q", img.header.Get("Content-Type"), img.header.Get("Content-Disposition"))
		}
		for _, bad := range []string{"/0", "/-1", "/abc", "/99999", "/1e3"} {
			if r := ts.getAs(t, anon, "/kunjungan/"+slug+"/lampiran"+bad); r.status != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", bad, r.status)
			}
		}
		// Through another visit's address the file is not there.
		if r := ts.getAs(t, anon, strings.Replace(pdfURL, slug, seedVisit, 1)); r.status != http.StatusNotFound {
			t.Errorf("the file through another visit: %d", r.status)
		}
	})

	t.Run("API", func(t *testing.T) {
		r := ts.apiAs(t, anon, viaToken, http.MethodGet, "/api/v1/visits/"+slug, "")
		var v struct {
			Version     int             `json:"version"`
			Attachments []apiAttachment `json:"attachments"`
		}
		if err := json.Unmarshal([]byte(r.body), &v); err != nil || len(v.Attachments) != 3 {
			t.Fatalf("visit JSON: %v %s", err, r)
		}
		a := v.Attachments[0]
		if a.Name != "Laporan Perjalanan Dinas.pdf" || a.MediaType != "application/pdf" || a.Size != int64(len(testPDF)) || len(a.SHA256) != 64 ||
			a.URL != fmt.Sprintf("/api/v1/visits/%s/attachments/%d", slug, a.ID) || a.CreatedAt == "" {
			t.Errorf("attachment in JSON: %+v", a)
		}
		if r := ts.getAs(t, anon, a.URL); r.status != http.StatusOK || r.body != string(testPDF) {
			t.Errorf("GET %s: %d", a.URL, r.status)
		}
		// Sent back as read, the visit saves, its files untouched.
		if r := ts.apiAs(t, peny, viaToken, http.MethodPut, "/api/v1/visits/"+slug, ts.apiAs(t, peny, viaToken, http.MethodGet, "/api/v1/visits/"+slug, "").body); r.status != http.StatusOK {
			t.Errorf("PUT of the visit as read: %s", r)
		}
		// An import that updates the visit keeps them too.
		ts.importJSONL(t, visitJSON(slug, banjarRegion, banjarAgency, soloRegion, soloAgency, `,"purpose":"Tujuan dari impor."`)+"\n")
		if got := ts.attachmentsOf(t, slug); strings.Count(got, "|") != 2 {
			t.Errorf("after an import of the visit: %q", got)
		}
		up := ts.uploadAPI(t, peny, viaToken, slug, "paparan.pdf", testPDF[:2000])
		var created apiAttachment
		if up.status != http.StatusCreated || json.Unmarshal([]byte(up.body), &created) != nil || created.Name != "paparan.pdf" || up.header.Get("Location") != created.URL {
			t.Fatalf("API upload: %s", up)
		}
		// The same file again is the one already there.
		if again := ts.uploadAPI(t, peny, viaToken, slug, "paparan.pdf", testPDF[:2000]); again.status != http.StatusOK || !strings.Contains(again.body, fmt.Sprintf(`"id":%d`, created.ID)) {
			t.Errorf("the same file again: %s", again)
		}
		if r := ts.apiAs(t, peny, viaToken, http.MethodDelete, created.URL, ""); r.status != http.StatusNoContent {
			t.Errorf("API delete: %s", r)
		}
		if r := ts.apiAs(t, peny, viaToken, http.MethodDelete, created.URL, ""); r.status != http.StatusNotFound {
			t.Errorf("API delete again: %s", r)
		}
		if r := ts.getAs(t, anon, created.URL); r.status != http.StatusNotFound {
			t.Errorf("a deleted file: %d", r.status)
		}
	})

	t.Run("refused files", func(t *testing.T) {
		before := ts.attachmentsOf(t, slug)
		for _, tc := range []struct {
			name   string
			data   []byte
			status int
			says   string
		}{
			{"foto.png", testHTML, http.StatusBadRequest, "Lampiran ditolak: jenis berkas ini tidak diterima"},
			{"halaman.html", testHTML, http.StatusBadRequest, "Lampiran ditolak"},
			{"logo.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), http.StatusBadRequest, "Lampiran ditolak"},
			{"laporan.png", testPDF, http.StatusBadRequest, "berakhiran .png, tetapi isinya PDF"},
			{"kosong.pdf", []byte{}, http.StatusBadRequest, "Lampiran kosong"},
			{"besar.pdf", append(append([]byte{}, testPDF...), make([]byte, kb.MaxAttachmentBytes)...), http.StatusRequestEntityTooLarge, "Lampiran terlalu besar: paling besar 10 MB"},
			// One byte over: the body is within what an upload may send,
			// the file is not, and it is answered as the larger one is.
			{"pas-lebih.pdf", append(append([]byte{}, testPDF...), make([]byte, kb.MaxAttachmentBytes+1-len(testPDF))...), http.StatusRequestEntityTooLarge, "Lampiran terlalu besar: paling besar 10 MB"},
		} {
			r := ts.uploadPage(t, peny, slug, tc.name, tc.data, true)
			if r.status != tc.status || !strings.Contains(pageText(t, r.body), tc.says) || !strings.Contains(r.body, `id="lampiran-error"`) {
				t.Errorf("page upload of %s: %s, want %d saying %q at the form", tc.name, r, tc.status, tc.says)
			}
			r = ts.uploadAPI(t, peny, viaToken, slug, tc.name, tc.data)
			var e apiError
			if r.status != tc.status || json.Unmarshal([]byte(r.body), &e) != nil || len(e.Error.Fields) != 1 || e.Error.Fields[0].Field != "file" || !strings.Contains(e.Error.Message, tc.says) {
				t.Errorf("API upload of %s: %s, want %d naming the field file", tc.name, r, tc.status)
			}
		}
		// In English when the reader reads English.
		body, ct := multipartBody(t, "foto.png", testHTML, url.Values{"csrf": {peny.csrf}})
		r := ts.send(t, http.MethodPost, "/kunjungan/"+slug+"/lampiran?lang=en", body, peny.headers("Content-Type", ct)...)
		if r.status != http.StatusBadRequest || !strings.Contains(pageText(t, r.body), "Attachment refused: this kind of file is not accepted") {
			t.Errorf("English refusal: %s", r)
		}
		body, ct = multipartBody(t, "", nil, url.Values{"csrf": {peny.csrf}})
		if r := ts.send(t, http.MethodPost, "/kunjungan/"+slug+"/lampiran", body, peny.headers("Content-Type", ct)...); r.status != http.StatusBadRequest || !strings.Contains(r.body, "Lampiran belum dipilih") {
			t.Errorf("no file: %s", r)
		}
		if r := ts.apiAs(t, peny, viaToken, http.MethodPost, "/api/v1/visits/"+slug+"/attachments", `{"file":"x"}`); r.status != http.StatusBadRequest || !strings.Contains(r.body, "multipart/form-data") {
			t.Errorf("JSON instead of a form: %s", r)
		}
		// Without the form token: refused, nothing stored.
		if r := ts.uploadPage(t, peny, slug, "tanpa-token.pdf", testPDF, false); r.status != http.StatusForbidden {
			t.Errorf("upload without the form token: %s", r)
		}
		if r := ts.uploadPage(t, &client{label: "anonim"}, slug, "anonim.pdf", testPDF, false); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/masuk") {
			t.Errorf("anonymous upload: %s", r)
		}
		if after := ts.attachmentsOf(t, slug); after != before {
			t.Errorf("refused uploads changed the files: %q → %q", before, after)
		}
	})

	t.Run("delete from the page and the audit log", func(t *testing.T) {
		a := ts.attach(t, slug, "dihapus.pdf", "application/pdf", testPDF[:100])
		path := fmt.Sprintf("/kunjungan/%s/lampiran/%d/hapus", slug, a.ID)
		if r := ts.postAs(t, peny, path, url.Values{"csrf": {"salah"}}); r.status != http.StatusForbidden {
			t.Errorf("delete with a wrong token: %s", r)
		}
		if r := ts.postAs(t, peny, path, nil); r.status != http.StatusSeeOther || r.header.Get("Location") != "/kunjungan/"+slug+"#lampiran" {
			t.Fatalf("delete: %s", r)
		}
		if strings.Contains(ts.attachmentsOf(t, slug), "dihapus.pdf") {
			t.Error("the file is still there")
		}
		if n := ts.auditCount(t, sqlite.ActionAttachmentAdd, slug); n < 4 {
			t.Errorf("%d additions in the audit log", n)
		}
		if n := ts.auditCount(t, sqlite.ActionAttachmentDelete, slug); n != 2 {
			t.Errorf("%d deletions in the audit log, want 2", n)
		}
		admin := ts.sessionAdmin(t, "admin@tiru.go.id")
		log := pageText(t, ts.getAs(t, admin, "/admin/audit").body)
		if !strings.Contains(log, "Lampiran kunjungan dihapus") || !strings.Contains(log, "dihapus.pdf (100 B)") || !strings.Contains(log, "Lampiran kunjungan ditambahkan") {
			t.Errorf("the audit page does not name the attachments: %.500s", log)
		}
	})

	t.Run("deleting the visit deletes its files", func(t *testing.T) {
		if r := ts.postAs(t, peny, "/kunjungan/"+slug+"/hapus", url.Values{"confirm": {"ya"}}); r.status != http.StatusSeeOther {
			t.Fatalf("delete the visit: %s", r)
		}
		if r := ts.getAs(t, anon, pdfURL); r.status != http.StatusNotFound {
			t.Errorf("a deleted visit's file: %d", r.status)
		}
	})
}

func TestInternalVisitFilesStayInternal(t *testing.T) {
	ts := newTestServer(t)
	const slug = "kunjungan-internal-lampiran"
	ts.importJSONL(t, visitJSON(slug, banjarRegion, banjarAgency, bandungRegion, bandungAgency, `,"visibility":"internal"`)+"\n")
	a := ts.attach(t, slug, "rahasia.pdf", "application/pdf", testPDF[:500])
	staf := ts.newMember(t, "staf-banjar", "staf@banjarkab.go.id", kb.RoleStaf, banjarAgency, banjarRegion)
	solo := ts.newMember(t, "staf-surakarta", "staf@surakarta.go.id", kb.RoleStaf, soloAgency, soloRegion)
	anon := &client{label: "anonim"}
	page := attachmentURL(slug, a.ID)
	api := fmt.Sprintf("/api/v1/visits/%s/attachments/%d", slug, a.ID)
	for _, tc := range []struct {
		c    *client
		want int
	}{{anon, http.StatusNotFound}, {solo, http.StatusNotFound}, {staf, http.StatusOK}} {
		for _, p := range []string{page, api} {
			if r := ts.getAs(t, tc.c, p); r.status != tc.want || (tc.want == http.StatusOK) != (r.body == string(testPDF[:500])) {
				t.Errorf("%s reads %s: %d, want %d", tc.c.label, p, r.status, tc.want)
			}
			if r := ts.apiAs(t, tc.c, viaToken, http.MethodGet, p, ""); r.status != tc.want {
				t.Errorf("%s reads %s with a token: %d, want %d", tc.c.label, p, r.status, tc.want)
			}
		}
		// The same answer as for the visit: nothing tells that it exists.
		if r := ts.getAs(t, tc.c, "/kunjungan/"+slug); r.status != tc.want {
			t.Errorf("%s reads the visit: %d", tc.c.label, r.status)
		}
	}
}

// A hostile file name is kept as text: on the page, in the API and in the
// download's header.
func TestHostileAttachmentNames(t *testing.T) {
	ts := newTestServer(t)
	const slug = "kunjungan-nama-aneh"
	ts.importJSONL(t, visitJSON(slug, banjarRegion, banjarAgency, soloRegion, soloAgency, "")+"\n")
	admin := ts.sessionAdmin(t, "admin@tiru.go.id")
	admin.token, admin.tokenID = ts.tokenFromPage(t, admin, "skrip")
	names := append([]string{"laporan\r\nSet-Cookie: x=1.pdf", "\u202Efdp.exe", `..\..\windows\"quote".pdf`, "ラポラン 報告書.pdf"}, xssPayloads[:15]...)
	for i, n := range names {
		r := ts.uploadAPI(t, admin, viaToken, slug, n, append([]byte(fmt.Sprintf("%%PDF-1.4 %d\n", i)), testPDF[:100]...))
		if r.status != http.StatusCreated && r.status != http.StatusBadRequest {
			t.Errorf("upload named %q: %s", n, r)
		}
		assertJSON(t, "upload", r)
	}
	rec, err := ts.db.GetVisit(context.Background(), slug, kb.Viewer{AllInternal: true})
	if err != nil || len(rec.Attachments) < 15 {
		t.Fatalf("%v: only %d files stored", err, len(rec.Attachments))
	}
	for _, c := range []*client{{label: "anonim"}, admin} {
		for _, p := range []string{"/kunjungan/" + slug, "/kunjungan/" + slug + "?lang=en"} {
			r := ts.getAs(t, c, p)
			assertNoActiveContent(t, r.body)
		}
	}
	assertNoActiveContent(t, ts.getAs(t, admin, "/admin/audit").body)
	assertJSON(t, "visit", ts.apiAs(t, admin, viaToken, http.MethodGet, "/api/v1/visits/"+slug, ""))
	for _, a := range rec.Attachments {
		r := ts.getAs(t, admin, attachmentURL(slug, a.ID))
		cd := r.header.Get("Content-Disposition")
		if r.status != http.StatusOK || r.header.Get("Set-Cookie") != "" || strings.ContainsAny(cd, "\r\n") || strings.Count(cd, `"`) != 2 ||
			!strings.HasPrefix(cd, `attachment; filename="`) {
			t.Errorf("download of %q: %d, Content-Disposition %q", a.Name, r.status, cd)
		}
		if strings.ContainsAny(a.Name, "<>\"\\/\r\n\u202E") {
			t.Errorf("stored name %q keeps a character it should not", a.Name)
		}
	}
}

// The visit page with files is valid HTML as their editor sees it (delete
// buttons, the upload form, a refusal at it, the limit reached), when CI
// has installed the Nu HTML Checker.
func TestVisitAttachmentsAreValidHTML(t *testing.T) {
	jar := vnuJar(t)
	ts := newTestServer(t)
	const slug = "kunjungan-lampiran"
	ts.importJSONL(t, visitJSON(slug, banjarRegion, banjarAgency, soloRegion, soloAgency, "")+"\n"+
		visitJSON("kunjungan-penuh", banjarRegion, banjarAgency, soloRegion, soloAgency, "")+"\n")
	ts.attach(t, slug, "Laporan Perjalanan.pdf", "application/pdf", testPDF)
	ts.attach(t, slug, "foto rombongan.png", "image/png", testPNG)
	for i := range kb.MaxAttachments {
		ts.attach(t, "kunjungan-penuh", fmt.Sprintf("foto-%02d.png", i), "image/png", append([]byte{}, append(testPNG, byte(i))...))
	}
	peny := ts.newMember(t, "penyelenggara-banjar", "penyelenggara@banjarkab.go.id", kb.RolePenyelenggara, banjarAgency, banjarRegion)
	checkHTML(t, jar, map[string]string{
		"editor.html":    ts.getAs(t, peny, "/kunjungan/"+slug).body,
		"editor-en.html": ts.getAs(t, peny, "/kunjungan/"+slug+"?lang=en").body,
		"refused.html":   ts.uploadPage(t, peny, slug, "foto.png", testHTML, true).body,
		"full.html":      ts.getAs(t, peny, "/kunjungan/kunjungan-penuh").body,
		"full-past.html": ts.uploadPage(t, peny, "kunjungan-penuh", "satu-lagi.pdf", testPDF[:100], true).body,
	})
}

// A visit holds at most kb.MaxAttachments files: the next is refused with
// 409 naming the limit, through the page and the API, and the page stops
// offering the upload form.
func TestAttachmentsPastTheLimit(t *testing.T) {
	ts := newTestServer(t)
	const slug = "kunjungan-penuh"
	ts.importJSONL(t, visitJSON(slug, banjarRegion, banjarAgency, soloRegion, soloAgency, "")+"\n")
	for i := range kb.MaxAttachments {
		ts.attach(t, slug, fmt.Sprintf("foto-%02d.png", i), "image/png", append(append([]byte{}, testPNG...), byte(i)))
	}
	peny := ts.newMember(t, "penyelenggara-banjar", "penyelenggara@banjarkab.go.id", kb.RolePenyelenggara, banjarAgency, banjarRegion)
	if r := ts.uploadPage(t, peny, slug, "satu-lagi.pdf", testPDF[:100], true); r.status != http.StatusConflict || !strings.Contains(pageText(t, r.body), "sudah punya 20 lampiran") {
		t.Errorf("page upload past the limit: %s", r)
	}
	if r := ts.uploadAPI(t, peny, viaToken, slug, "satu-lagi.pdf", testPDF[:100]); r.status != http.StatusConflict || !strings.Contains(r.body, `"field":"file"`) {
		t.Errorf("API upload past the limit: %s", r)
	}
	if page := ts.getAs(t, peny, "/kunjungan/"+slug); strings.Contains(page.body, `enctype="multipart/form-data"`) || !strings.Contains(page.body, "batasnya") {
		t.Error("a full visit still offers the upload form, or does not say why not")
	}
	if n := strings.Count(ts.attachmentsOf(t, slug), "|") + 1; n != kb.MaxAttachments {
		t.Errorf("%d files stored, want %d", n, kb.MaxAttachments)
	}
}

// A file over a slow line arrives after the server's time for a request:
// the upload routes give it longer, so it is not cut off midway. Here the
// server allows a request 300 ms, and the file takes about a second to
// arrive.
func TestSlowUploadIsNotCutOff(t *testing.T) {
	ts := newTestServer(t)
	c := ts.banjarOrganiser(t)
	slow := httptest.NewUnstartedServer(ts.srv.Handler())
	slow.Config.ReadTimeout = 300 * time.Millisecond
	slow.Start()
	t.Cleanup(slow.Close)

	body, ct := multipartBody(t, "laporan-lambat.pdf", testPDF[:200_000], nil)
	pr, pw := io.Pipe()
	go func() {
		// Ten pieces a tenth of a second apart, as a slow line sends them.
		step := len(body)/10 + 1
		for i := 0; i < len(body); i += step {
			if _, err := pw.Write([]byte(body[i:min(i+step, len(body))])); err != nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		pw.Close()
	}()
	req, err := http.NewRequest(http.MethodPost, slow.URL+"/api/v1/visits/"+seedVisit+"/attachments", pr)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Cookie", c.cookie)
	req.Header.Set("X-CSRF-Token", c.csrf)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("the slow upload was cut off: %v", err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("slow upload: %d %s", resp.StatusCode, answer)
	}
	if got := ts.attachmentsOf(t, seedVisit); !strings.Contains(got, "laporan-lambat.pdf") {
		t.Errorf("the visit's files after the slow upload: %q", got)
	}
}

// A large photo is listed by its link, not previewed: a preview is the
// whole file, and twenty phone photos made a visit's page 100 MB to load.
func TestLargeImageIsNotPreviewed(t *testing.T) {
	ts := newTestServer(t)
	c := ts.banjarOrganiser(t)
	big := append(append([]byte{}, testPNG...), bytes.Repeat([]byte{0}, 2<<20)...)
	if r := ts.uploadPage(t, c, seedVisit, "foto besar.png", big, true); r.status != http.StatusSeeOther {
		t.Fatalf("upload: %v", r)
	}
	if r := ts.uploadPage(t, c, seedVisit, "foto kecil.png", testPNG, true); r.status != http.StatusSeeOther {
		t.Fatalf("upload: %v", r)
	}
	page := ts.getAs(t, c, "/kunjungan/"+seedVisit).body
	if strings.Contains(page, `alt="Pratinjau foto besar.png"`) {
		t.Error("a 2 MB photo is previewed on the visit's page")
	}
	if !strings.Contains(page, `alt="Pratinjau foto kecil.png"`) || !strings.Contains(page, ">foto besar.png</a>") {
		t.Error("the small photo lost its preview, or the large one its link")
	}
}

// A visit is found by the names of its files, which say what they hold
// ("Paparan Lumbung Pangan"), from the moment the file is added until it is
// deleted: adding or deleting one queues the visit for the index.
func TestVisitIsFoundByItsFilesNames(t *testing.T) {
	ts := newTestServer(t)
	c := ts.banjarOrganiser(t)
	find := func() int {
		t.Helper()
		if err := ts.indexer.Drain(context.Background()); err != nil {
			t.Fatal(err)
		}
		_, _, body := ts.get(t, "/api/v1/search?q=lumbung+pangan&facets=none")
		var res struct {
			Hits []struct {
				Slug string `json:"slug"`
			} `json:"hits"`
		}
		if err := json.Unmarshal([]byte(body), &res); err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, h := range res.Hits {
			if h.Slug == seedVisit {
				n++
			}
		}
		return n
	}
	if find() != 0 {
		t.Fatal("the seed visit is found by the file's words before it has the file")
	}
	if r := ts.uploadPage(t, c, seedVisit, "Paparan Lumbung Pangan.pdf", testPDF[:1000], true); r.status != http.StatusSeeOther {
		t.Fatalf("upload: %v", r)
	}
	if find() != 1 {
		t.Error("the visit is not found by its file's name")
	}
	rec, err := ts.db.GetVisit(context.Background(), seedVisit, kb.Viewer{AllInternal: true})
	if err != nil || len(rec.Attachments) != 1 {
		t.Fatalf("the visit's files: %v", err)
	}
	if r := ts.postAs(t, c, fmt.Sprintf("/kunjungan/%s/lampiran/%d/hapus", seedVisit, rec.Attachments[0].ID), nil); r.status != http.StatusSeeOther {
		t.Fatalf("delete: %v", r)
	}
	if find() != 0 {
		t.Error("the visit is still found by the name of a file it no longer has")
	}
}

// A file deleted while its download is under way is answered with the
// ordinary 404 (a page, or JSON for the API), not a 404 with the
// download's headers: the download used to read the file's row, set its
// headers, and read the content apart, so a delete between the two reads
// sent the error page as a sandboxed download under the file's name. The
// delete is made at the server's hook, between the reads, every run.
func TestFileDeletedDuringDownloadIsAPlainNotFound(t *testing.T) {
	ts := newTestServer(t)
	const slug = "kunjungan-lampiran-hilang"
	ts.importJSONL(t, visitJSON(slug, banjarRegion, banjarAgency, soloRegion, soloAgency, "")+"\n")
	anon := &client{label: "anonim"}
	deleteAt := func(id int64) {
		ts.srv.beforeFileRead = func(s string) {
			if s != slug {
				return
			}
			ctx := context.Background()
			if err := ts.db.Update(ctx, "test", func(tx *sqlite.Tx) error { return tx.DeleteAttachment(ctx, slug, id) }); err != nil {
				t.Errorf("delete at the hook: %v", err)
			}
		}
	}
	t.Cleanup(func() { ts.srv.beforeFileRead = nil })

	for _, tc := range []struct {
		name, path string
		header     []string
		api        bool
	}{
		{"page", "/kunjungan/%s/lampiran/%d", nil, false},
		{"page, revalidated with a stale copy", "/kunjungan/%s/lampiran/%d", []string{"If-None-Match", `"usang"`}, false},
		{"API", "/api/v1/visits/%s/attachments/%d", nil, true},
		{"API, revalidated with a stale copy", "/api/v1/visits/%s/attachments/%d", []string{"If-None-Match", `"usang"`}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := ts.attach(t, slug, "Laporan Hilang.pdf", "application/pdf", testPDF[:600])
			deleteAt(a.ID)
			r := ts.getAs(t, anon, fmt.Sprintf(tc.path, slug, a.ID), tc.header...)
			ts.srv.beforeFileRead = nil
			if r.status != http.StatusNotFound {
				t.Fatalf("status %d, want 404", r.status)
			}
			wantType := "text/html"
			if tc.api {
				wantType = "application/json"
			}
			if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, wantType) {
				t.Errorf("Content-Type %q, want %s", ct, wantType)
			}
			for _, h := range []string{"Content-Disposition", "ETag", "Cross-Origin-Resource-Policy"} {
				if v := r.header.Get(h); v != "" {
					t.Errorf("the 404 carries the download's %s: %q", h, v)
				}
			}
			if csp := r.header.Get("Content-Security-Policy"); strings.Contains(csp, "sandbox") {
				t.Errorf("the 404 carries the download's policy %q", csp)
			}
			if !tc.api && !strings.Contains(r.body, "<html") {
				t.Errorf("the 404 is not the error page: %.200q", r.body)
			}
		})
	}

	// A file deleted and another added between the reads: ids are never
	// reused (migration 008), so the new file has its own and the link
	// stays the deleted file's, a plain 404, never the new file's content
	// under either name.
	a := ts.attach(t, slug, "Lama.pdf", "application/pdf", testPDF[:700])
	ts.srv.beforeFileRead = func(s string) {
		ts.srv.beforeFileRead = nil
		ctx := context.Background()
		if err := ts.db.Update(ctx, "test", func(tx *sqlite.Tx) error { return tx.DeleteAttachment(ctx, slug, a.ID) }); err != nil {
			t.Errorf("delete at the hook: %v", err)
		}
		if b := ts.attach(t, slug, "Baru.png", "image/png", testPNG); b.ID == a.ID {
			t.Errorf("the new file took the deleted one's id %d", a.ID)
		}
	}
	r := ts.getAs(t, anon, attachmentURL(slug, a.ID), "If-None-Match", `"usang"`)
	if r.status != http.StatusNotFound || r.header.Get("Content-Disposition") != "" || r.header.Get("ETag") != "" {
		t.Errorf("the deleted file's link, another file added meanwhile: %d (%q, ETag %q), want a plain 404",
			r.status, r.header.Get("Content-Disposition"), r.header.Get("ETag"))
	}
}

// A link to a file is that file's for good: once a visit's newest file is
// deleted and another uploaded, a bookmarked or shared link to the deleted
// one is a 404, on the page's address and the API's, never the file that
// came after it, which gets an address of its own.
func TestLinkToDeletedFileStaysNotFound(t *testing.T) {
	ts := newTestServer(t)
	const slug = "kunjungan-lampiran-diganti"
	ts.importJSONL(t, visitJSON(slug, banjarRegion, banjarAgency, soloRegion, soloAgency, "")+"\n")
	peny := ts.newMember(t, "penyelenggara-banjar", "penyelenggara@banjarkab.go.id", kb.RolePenyelenggara, banjarAgency, banjarRegion)
	anon := &client{label: "anonim"}
	links := func() []string {
		t.Helper()
		var out []string
		for _, m := range fileLinkRe.FindAllStringSubmatch(ts.getAs(t, peny, "/kunjungan/"+slug).body, -1) {
			if !slices.Contains(out, m[1]) {
				out = append(out, m[1])
			}
		}
		return out
	}
	apiURL := func(pageURL string) string {
		return strings.Replace(pageURL, "/kunjungan/"+slug+"/lampiran/", "/api/v1/visits/"+slug+"/attachments/", 1)
	}

	// Through the page.
	for _, name := range []string{"laporan.pdf", "paparan.pdf"} {
		if r := ts.uploadPage(t, peny, slug, name, append(append([]byte{}, testPDF[:800]...), name...), true); r.status != http.StatusSeeOther {
			t.Fatalf("upload of %s: %s", name, r)
		}
	}
	before := links()
	if len(before) != 2 {
		t.Fatalf("links to the files: %v", before)
	}
	newest := before[1]
	if r := ts.postAs(t, peny, newest+"/hapus", nil); r.status != http.StatusSeeOther {
		t.Fatalf("delete of the newest file: %s", r)
	}
	if r := ts.uploadPage(t, peny, slug, "foto rombongan.png", testPNG, true); r.status != http.StatusSeeOther {
		t.Fatalf("upload after the delete: %s", r)
	}
	after := links()
	if len(after) != 2 || after[0] != before[0] || slices.Contains(after, newest) {
		t.Errorf("links before the delete %v, after the next upload %v: the new file took the deleted one's address", before, after)
	}
	for _, u := range []string{newest, apiURL(newest)} {
		if r := ts.getAs(t, anon, u); r.status != http.StatusNotFound {
			t.Errorf("GET %s, the deleted paparan.pdf: %d %q, want 404", u, r.status, r.header.Get("Content-Disposition"))
		}
	}

	// Through the API.
	var gone, next apiAttachment
	if r := ts.uploadAPI(t, peny, viaToken, slug, "notulen.pdf", testPDF[:900]); r.status != http.StatusCreated || json.Unmarshal([]byte(r.body), &gone) != nil {
		t.Fatalf("API upload: %s", r)
	}
	if r := ts.apiAs(t, peny, viaToken, http.MethodDelete, gone.URL, ""); r.status != http.StatusNoContent {
		t.Fatalf("API delete: %s", r)
	}
	if r := ts.uploadAPI(t, peny, viaToken, slug, "daftar-hadir.pdf", testPDF[:1000]); r.status != http.StatusCreated || json.Unmarshal([]byte(r.body), &next) != nil {
		t.Fatalf("API upload after the delete: %s", r)
	}
	if next.ID == gone.ID {
		t.Errorf("daftar-hadir.pdf took id %d, the deleted notulen.pdf's", gone.ID)
	}
	for _, u := range []string{gone.URL, attachmentURL(slug, gone.ID)} {
		if r := ts.getAs(t, anon, u); r.status != http.StatusNotFound {
			t.Errorf("GET %s, the deleted notulen.pdf: %d %q, want 404", u, r.status, r.header.Get("Content-Disposition"))
		}
	}
}
