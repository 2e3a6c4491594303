package web

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"tiru/internal/kb"
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
