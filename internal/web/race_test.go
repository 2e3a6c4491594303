package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"tiru/internal/kb"
	"tiru/internal/sqlite"
)

// A replacement racing a delete never brings the deleted record back: the
// record's existence is checked again inside the write's transaction.
// The race is a matter of timing, so the runs sweep the delete across the
// save's time; before the fix some of them left the record standing after
// both answered success.
func TestReplaceRacingDeleteDoesNotResurrect(t *testing.T) {
	ts := newTestServer(t)
	org := ts.newMember(t, "penyelenggara-banjar", "penyelenggara@banjarkab.go.id", kb.RolePenyelenggara, banjarAgency, banjarRegion)
	// A long body widens the time between the PUT's read and its write.
	long := strings.Repeat("Uraian panjang tentang layanan ini. ", 20000)
	for i := range 60 {
		slug := fmt.Sprintf("balapan-%d", i)
		if r := ts.apiAs(t, org, viaToken, http.MethodPost, "/api/v1/innovations", innovationJSON(slug, "Balapan Simpan Hapus", banjarRegion, banjarAgency, "")); r.status != http.StatusCreated {
			t.Fatalf("create %s: %v", slug, r)
		}
		var put, del response
		raceRun(i, func() {
			put = ts.apiAs(t, org, viaToken, http.MethodPut, "/api/v1/innovations/"+slug,
				innovationJSON(slug, "Balapan Simpan Hapus", banjarRegion, banjarAgency, fmt.Sprintf(`,"body":%q`, long)))
		}, func() {
			del = ts.apiAs(t, org, viaToken, http.MethodDelete, "/api/v1/innovations/"+slug, "")
		})
		after := ts.apiAs(t, org, viaToken, http.MethodGet, "/api/v1/innovations/"+slug, "")
		if put.status == http.StatusOK && del.status == http.StatusNoContent && after.status == http.StatusOK {
			t.Fatalf("run %d: the save and the delete both succeeded, and the record is back", i)
		}
	}
}

// Replacements without a version are last-write-wins: two sent at once
// both succeed (the actor's rights are checked again on the record as
// stored, not refused because the other changed it).
func TestReplacementsWithoutVersionBothSucceed(t *testing.T) {
	ts := newTestServer(t)
	org := ts.newMember(t, "penyelenggara-banjar", "penyelenggara@banjarkab.go.id", kb.RolePenyelenggara, banjarAgency, banjarRegion)
	const slug = "tulis-bersamaan"
	if r := ts.apiAs(t, org, viaToken, http.MethodPost, "/api/v1/innovations", innovationJSON(slug, "Tulis Bersamaan", banjarRegion, banjarAgency, "")); r.status != http.StatusCreated {
		t.Fatalf("create: %v", r)
	}
	long := strings.Repeat("Uraian panjang tentang layanan ini. ", 20000)
	for i := range 40 {
		var a, b response
		raceRun(i, func() {
			a = ts.apiAs(t, org, viaToken, http.MethodPut, "/api/v1/innovations/"+slug,
				innovationJSON(slug, "Tulis Bersamaan", banjarRegion, banjarAgency, fmt.Sprintf(`,"body":%q`, long)))
		}, func() {
			b = ts.apiAs(t, org, viaToken, http.MethodPut, "/api/v1/innovations/"+slug,
				innovationJSON(slug, "Tulis Bersamaan", banjarRegion, banjarAgency, fmt.Sprintf(`,"summary":"Ringkasan %d."`, i)))
		})
		if a.status != http.StatusOK || b.status != http.StatusOK {
			t.Fatalf("run %d: %d and %d, want both replacements to succeed", i, a.status, b.status)
		}
	}
}

// raceRun runs first and second at once, second a little later in each
// run i (a quarter of a millisecond more each time), so that the runs
// sweep second across the time first takes between reading and writing.
func raceRun(i int, first, second func()) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		first()
	}()
	go func() {
		defer wg.Done()
		time.Sleep(time.Duration(i) * 250 * time.Microsecond)
		second()
	}()
	wg.Wait()
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
		read, resume := make(chan struct{}), make(chan struct{})
		ts.srv.beforeFormWrite = func(s string) {
			if s == slug {
				close(read)
				<-resume
			}
		}
		defer func() { ts.srv.beforeFormWrite = nil }()
		answer := make(chan response, 1)
		go func() { answer <- ts.postAs(t, org, "/inovasi/"+slug+"/ubah", form) }()
		select {
		case <-read:
		case r := <-answer:
			t.Fatalf("the form answered without reaching its write: %s", r)
		}
		err := ts.db.UpdateAs(ctx, sqlite.Who{Name: "test"}, fn)
		close(resume)
		if err != nil {
			t.Fatal(err)
		}
		return <-answer
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
