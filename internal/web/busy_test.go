package web

import (
	"context"
	"database/sql"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"tiru/internal/kb"
	"tiru/internal/sqlite"
)

// While another process holds the database (an import from the command
// line), a save is answered 503 with Retry-After and a message saying to
// try again, and a form comes back as typed; it used to be a 500 after
// ten seconds, the form lost.
func TestSaveWhileTheDatabaseIsBusy(t *testing.T) {
	seeded, ref, ix, indexer := seededStore(t)
	db, err := sqlite.Open(context.Background(), seeded.Path(), sqlite.Options{BusyTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	srv, err := New(Config{DB: db, Reference: ref, Search: ix, RequestsPerSecond: -1})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	ts := &testServer{Server: hs, db: db, ref: ref, indexer: indexer, srv: srv}
	org := ts.newMember(t, "penyelenggara-banjar", "penyelenggara@banjarkab.go.id", kb.RolePenyelenggara, banjarAgency, banjarRegion)

	// Another process takes the write lock and keeps it.
	other, err := sql.Open("sqlite3", seeded.Path())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	conn, err := other.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}

	body := innovationJSON("layanan-saat-sibuk", "Layanan Saat Sibuk", banjarRegion, banjarAgency, "")
	r := ts.apiAs(t, org, viaToken, http.MethodPost, "/api/v1/innovations", body)
	if r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") == "" || !strings.Contains(r.body, `"code":"busy"`) {
		t.Errorf("API save while busy: %v, want 503 busy with Retry-After", r)
	}
	form := visitFormValues()
	form.Set("title", "Kunjungan Saat Basis Data Sibuk")
	page := ts.postAs(t, org, "/kunjungan/baru", form)
	if page.status != http.StatusServiceUnavailable || !strings.Contains(page.body, "Basis data sedang sibuk") || !strings.Contains(page.body, "Kunjungan Saat Basis Data Sibuk") {
		t.Errorf("form save while busy: %d, want 503 saying so, with the form as typed", page.status)
	}

	// Once the other process is done, the same save succeeds.
	if _, err := conn.ExecContext(context.Background(), "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	if r := ts.apiAs(t, org, viaToken, http.MethodPost, "/api/v1/innovations", body); r.status != http.StatusCreated {
		t.Errorf("API save once the database is free: %v", r)
	}
}
