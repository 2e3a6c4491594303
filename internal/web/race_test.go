package web

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"tiru/internal/kb"
	"tiru/internal/sqlite"
)

// atWrite sends a request with send in the background, holds its save at
// the server's hook once it has read and checked the record slug, runs
// meanwhile, and then lets the save go on to its write; it returns the
// request's answer. Exactly the race a second writer makes, every run.
// Only the first save to reach the hook is held: meanwhile's own passes.
func atWrite(t *testing.T, ts *testServer, slug string, send func() response, meanwhile func()) response {
	t.Helper()
	read, resume := make(chan struct{}), make(chan struct{})
	var held atomic.Bool
	ts.srv.beforeWrite = func(s string) {
		if s == slug && held.CompareAndSwap(false, true) {
			close(read)
			<-resume
		}
	}
	defer func() { ts.srv.beforeWrite = nil }()
	answer := make(chan response, 1)
	go func() { answer <- send() }()
	select {
	case <-read:
	case r := <-answer:
		t.Fatalf("the request answered without reaching its write: %s", r)
	}
	meanwhile()
	close(resume)
	return <-answer
}

// A replacement racing a delete never brings the deleted record back: the
// record's existence is checked again inside the write's transaction. The
// delete is made and committed between the replacement's read and its
// write; before the fix the replacement answered success and the record
// stood again.
func TestReplaceRacingDeleteDoesNotResurrect(t *testing.T) {
	ts := newTestServer(t)
	org := ts.newMember(t, "penyelenggara-banjar", "penyelenggara@banjarkab.go.id", kb.RolePenyelenggara, banjarAgency, banjarRegion)
	const slug = "balapan-simpan-hapus"
	if r := ts.apiAs(t, org, viaToken, http.MethodPost, "/api/v1/innovations", innovationJSON(slug, "Balapan Simpan Hapus", banjarRegion, banjarAgency, "")); r.status != http.StatusCreated {
		t.Fatalf("create: %v", r)
	}
	var del response
	put := atWrite(t, ts, slug, func() response {
		return ts.apiAs(t, org, viaToken, http.MethodPut, "/api/v1/innovations/"+slug,
			innovationJSON(slug, "Balapan Simpan Hapus", banjarRegion, banjarAgency, `,"summary":"Ringkasan baru."`))
	}, func() {
		del = ts.apiAs(t, org, viaToken, http.MethodDelete, "/api/v1/innovations/"+slug, "")
	})
	if del.status != http.StatusNoContent {
		t.Fatalf("delete during the save: %s", del)
	}
	if put.status == http.StatusOK {
		t.Errorf("the save after the delete answered success: %s", put)
	}
	if after := ts.apiAs(t, org, viaToken, http.MethodGet, "/api/v1/innovations/"+slug, ""); after.status != http.StatusNotFound {
		t.Errorf("the deleted record is back: %s", after)
	}
}

// Replacements without a version are last-write-wins: one made between
// another's read and its write does not make the other fail (the actor's
// rights are checked again on the record as stored, not refused because
// it changed), and the later write is what stays.
func TestReplacementsWithoutVersionBothSucceed(t *testing.T) {
	ts := newTestServer(t)
	org := ts.newMember(t, "penyelenggara-banjar", "penyelenggara@banjarkab.go.id", kb.RolePenyelenggara, banjarAgency, banjarRegion)
	const slug = "tulis-bersamaan"
	if r := ts.apiAs(t, org, viaToken, http.MethodPost, "/api/v1/innovations", innovationJSON(slug, "Tulis Bersamaan", banjarRegion, banjarAgency, "")); r.status != http.StatusCreated {
		t.Fatalf("create: %v", r)
	}
	var b response
	a := atWrite(t, ts, slug, func() response {
		return ts.apiAs(t, org, viaToken, http.MethodPut, "/api/v1/innovations/"+slug,
			innovationJSON(slug, "Tulis Bersamaan", banjarRegion, banjarAgency, `,"summary":"Ringkasan yang pertama dibaca."`))
	}, func() {
		b = ts.apiAs(t, org, viaToken, http.MethodPut, "/api/v1/innovations/"+slug,
			innovationJSON(slug, "Tulis Bersamaan", banjarRegion, banjarAgency, `,"summary":"Ringkasan yang menyela."`))
	})
	if a.status != http.StatusOK || b.status != http.StatusOK {
		t.Fatalf("%d and %d, want both replacements to succeed", a.status, b.status)
	}
	if after := ts.apiAs(t, org, viaToken, http.MethodGet, "/api/v1/innovations/"+slug, ""); !strings.Contains(after.body, "Ringkasan yang pertama dibaca.") {
		t.Errorf("the later write is not what stays: %s", after)
	}
}

// An edit form sent without its version (a script's, or a page with the
// field stripped) is the last write, as through the API, but only while
// the writer may still write the record as stored when the save is made:
// one moved to another agency between the form's read and its write is
// not overwritten by the old agency's organiser, and one deleted then is
// not brought back. The server's hook stops the form right after its read,
// the other write is made and committed there, and only then does the
// form go on to its write.
func TestFormSaveWithoutVersionChecksTheStoredRecord(t *testing.T) {
	ts := newTestServer(t)
	org := ts.newMember(t, "penyelenggara-banjar", "penyelenggara@banjarkab.go.id", kb.RolePenyelenggara, banjarAgency, banjarRegion)
	const otherAgency = "Dinas Kesehatan Kabupaten Banjar"
	ctx := context.Background()
	// meanwhile sends the edit form of slug without its version, runs fn
	// in a write of its own once the form has read the record, and returns
	// the form's answer.
	meanwhile := func(slug string, fn func(tx *sqlite.Tx) error) response {
		t.Helper()
		page := ts.getAs(t, org, "/inovasi/"+slug+"/ubah")
		form := formFields(t, page.body, "/inovasi/"+slug+"/ubah")
		if !form.Has("version") {
			t.Fatalf("the edit form has no version: %s", page)
		}
		form.Del("version")
		form.Set("summary", "Ringkasan dari instansi lama.")
		var err error
		r := atWrite(t, ts, slug, func() response { return ts.postAs(t, org, "/inovasi/"+slug+"/ubah", form) }, func() {
			err = ts.db.UpdateAs(ctx, sqlite.Who{Name: "test"}, fn)
		})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	create := func(slug string) *kb.Innovation {
		t.Helper()
		if r := ts.apiAs(t, org, viaToken, http.MethodPost, "/api/v1/innovations", innovationJSON(slug, "Pindah Instansi", banjarRegion, banjarAgency, "")); r.status != http.StatusCreated {
			t.Fatalf("create %s: %s", slug, r)
		}
		rec, err := ts.db.GetInnovation(ctx, slug, kb.Viewer{AllInternal: true})
		if err != nil {
			t.Fatal(err)
		}
		return &rec.Innovation
	}

	const moved = "pindah-instansi"
	in := create(moved)
	r := meanwhile(moved, func(tx *sqlite.Tx) error {
		in.Agency = otherAgency
		_, err := tx.PutInnovation(ctx, in)
		return err
	})
	after, err := ts.db.GetInnovation(ctx, moved, kb.Viewer{AllInternal: true})
	if err != nil {
		t.Fatal(err)
	}
	if after.Agency != otherAgency || strings.Contains(after.Summary, "instansi lama") {
		t.Fatalf("the old agency's organiser overwrote a record moved to %s: %s; stored agency %q", otherAgency, r, after.Agency)
	}
	if r.status != http.StatusConflict {
		t.Errorf("save during the move: %s, want 409", r)
	} else if !strings.Contains(r.body, "Ringkasan dari instansi lama.") {
		t.Errorf("the refused form did not come back as typed: %s", r)
	}

	const deleted = "hapus-di-tengah"
	create(deleted)
	r = meanwhile(deleted, func(tx *sqlite.Tx) error { return tx.DeleteInnovation(ctx, deleted) })
	if _, err := ts.db.GetInnovation(ctx, deleted, kb.Viewer{AllInternal: true}); !errors.Is(err, kb.ErrNotFound) {
		t.Fatalf("a save racing a delete brought the record back (%v): %s", err, r)
	}
	if r.status != http.StatusNotFound {
		t.Errorf("save during the delete: %s, want 404", r)
	}
}
