package sqlite_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"tiru/internal/kb"
	"tiru/internal/sqlite"
)

// addAttachment attaches data to the visit slug in its own transaction.
func addAttachment(t testing.TB, db *sqlite.DB, slug, name, media string, data []byte) (sqlite.Attachment, sqlite.Change, error) {
	t.Helper()
	var (
		a  sqlite.Attachment
		ch sqlite.Change
	)
	ctx := context.Background()
	err := db.UpdateAs(ctx, sqlite.Who{Name: "ani@banjarkab.go.id", IP: "10.0.0.7", RequestID: "uji"}, func(tx *sqlite.Tx) error {
		var err error
		a, ch, err = tx.AddAttachment(ctx, slug, sqlite.NewAttachment{Name: name, MediaType: media, Data: data})
		return err
	})
	return a, ch, err
}

func TestAttachmentRoundTripAndCascade(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, sqlite.Options{})
	raw := rawDB(t, db)
	putVisit(t, db, "ani", newVisit(t, "kunjungan-banjar", nil))
	putVisit(t, db, "ani", newVisit(t, "kunjungan-lain", nil))
	before, err := db.GetVisit(ctx, "kunjungan-banjar", kb.Viewer{AllInternal: true})
	if err != nil {
		t.Fatal(err)
	}

	pdf := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("laporan "), 1000)...)
	a, ch, err := addAttachment(t, db, "kunjungan-banjar", "Laporan Perjalanan.pdf", "application/pdf", pdf)
	if err != nil || ch != sqlite.Created {
		t.Fatalf("AddAttachment = %v, %v", ch, err)
	}
	sum := sha256.Sum256(pdf)
	if a.ID == 0 || a.Position != 1 || a.Size != int64(len(pdf)) || a.SHA256 != hex.EncodeToString(sum[:]) || a.CreatedBy != "ani@banjarkab.go.id" || a.CreatedAt == "" {
		t.Errorf("attachment as stored: %+v", a)
	}
	png := []byte("\x89PNG\r\n\x1a\nfoto")
	b, _, err := addAttachment(t, db, "kunjungan-banjar", "foto.png", "image/png", png)
	if err != nil || b.Position != 2 {
		t.Fatalf("second attachment: %+v %v", b, err)
	}

	// The same file under the same name again is the one already there.
	again, ch, err := addAttachment(t, db, "kunjungan-banjar", "Laporan Perjalanan.pdf", "application/pdf", pdf)
	if err != nil || ch != sqlite.Unchanged || again.ID != a.ID {
		t.Errorf("the same file again: %+v %v %v, want attachment %d unchanged", again, ch, err, a.ID)
	}

	rec, err := db.GetVisit(ctx, "kunjungan-banjar", kb.Viewer{AllInternal: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Attachments) != 2 || rec.Attachments[0] != a || rec.Attachments[1].Name != "foto.png" {
		t.Errorf("visit's attachments: %+v", rec.Attachments)
	}
	// A child of the visit: its version and revision history stay.
	if rec.Version != before.Version || rec.UpdatedAt != before.UpdatedAt {
		t.Errorf("attaching moved the visit from version %d (%s) to %d (%s)", before.Version, before.UpdatedAt, rec.Version, rec.UpdatedAt)
	}
	if n := count(t, raw, "SELECT count(*) FROM revisions WHERE slug = 'kunjungan-banjar'"); n != 1 {
		t.Errorf("%d revisions, want the visit's one", n)
	}
	got, err := db.AttachmentData(ctx, "kunjungan-banjar", a.ID, kb.Viewer{})
	if err != nil || !bytes.Equal(got, pdf) {
		t.Fatalf("AttachmentData: %d bytes, %v", len(got), err)
	}
	meta, err := db.Attachment(ctx, "kunjungan-banjar", a.ID, kb.Viewer{})
	if err != nil || *meta != a {
		t.Errorf("Attachment = %+v, %v", meta, err)
	}
	// Another visit's slug does not reach the file.
	if _, err := db.AttachmentData(ctx, "kunjungan-lain", a.ID, kb.Viewer{}); !errors.Is(err, kb.ErrNotFound) {
		t.Errorf("the file through another visit: %v", err)
	}

	// Each add is in the audit log, about the visit.
	entries, _, err := db.ListAudit(ctx, sqlite.Page{Page: 1, PerPage: 100})
	if err != nil {
		t.Fatal(err)
	}
	adds := 0
	for _, e := range entries {
		if e.Action == sqlite.ActionAttachmentAdd {
			adds++
			if e.Kind != sqlite.KindVisit || e.Ref != "kunjungan-banjar" || e.Actor != "ani@banjarkab.go.id" || e.IP != "10.0.0.7" {
				t.Errorf("audit entry: %+v", e)
			}
		}
	}
	if adds != 2 {
		t.Errorf("%d attachment entries in the audit log, want 2", adds)
	}

	// Delete one: gone, audited, the other kept.
	mustUpdate(t, db, "ani", func(ctx context.Context, tx *sqlite.Tx) error {
		return tx.DeleteAttachment(ctx, "kunjungan-banjar", b.ID)
	})
	if err := db.Update(ctx, "ani", func(tx *sqlite.Tx) error { return tx.DeleteAttachment(ctx, "kunjungan-banjar", b.ID) }); !errors.Is(err, kb.ErrNotFound) {
		t.Errorf("deleting it again: %v", err)
	}
	if err := db.Update(ctx, "ani", func(tx *sqlite.Tx) error { return tx.DeleteAttachment(ctx, "kunjungan-lain", a.ID) }); !errors.Is(err, kb.ErrNotFound) {
		t.Errorf("deleting it through another visit: %v", err)
	}
	entries, _, _ = db.ListAudit(ctx, sqlite.Page{Page: 1, PerPage: 1})
	if name, size, ok := sqlite.ParseAttachmentDetail(entries[0].Detail); entries[0].Action != sqlite.ActionAttachmentDelete || !ok || name != "foto.png" || size != int64(len(png)) {
		t.Errorf("latest audit entry: %+v", entries[0])
	}
	if n := count(t, raw, "SELECT count(*) FROM attachments"); n != 1 {
		t.Errorf("%d attachments stored, want 1", n)
	}

	// Deleting the visit deletes its files.
	mustUpdate(t, db, "ani", func(ctx context.Context, tx *sqlite.Tx) error { return tx.DeleteVisit(ctx, "kunjungan-banjar") })
	if n := count(t, raw, "SELECT count(*) FROM attachments"); n != 0 {
		t.Errorf("%d attachments outlived their visit", n)
	}
	if _, _, err := addAttachment(t, db, "kunjungan-banjar", "x.pdf", "application/pdf", pdf); !errors.Is(err, kb.ErrNotFound) {
		t.Errorf("attaching to a deleted visit: %v", err)
	}
}

func TestAttachmentLimitAndVisibility(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, sqlite.Options{})
	raw := rawDB(t, db)
	putVisit(t, db, "ani", newVisit(t, "kunjungan-internal", nil, func(v *kb.Visit) { v.Visibility = "internal" }))
	for i := range kb.MaxAttachments {
		if _, _, err := addAttachment(t, db, "kunjungan-internal", fmt.Sprintf("foto-%02d.png", i), "image/png", []byte(fmt.Sprintf("\x89PNG\r\n\x1a\n%d", i))); err != nil {
			t.Fatalf("attachment %d: %v", i, err)
		}
	}
	_, _, err := addAttachment(t, db, "kunjungan-internal", "satu-lagi.png", "image/png", []byte("\x89PNG\r\n\x1a\nlagi"))
	fes := kb.FieldErrors(err)
	if !errors.Is(err, kb.ErrConflict) || len(fes) != 1 || fes[0].Field != "file" || !strings.Contains(fes[0].Message.ID, "20 lampiran") {
		t.Errorf("attachment past the limit: %v", err)
	}
	if n := count(t, raw, "SELECT count(*) FROM attachments"); n != kb.MaxAttachments {
		t.Errorf("%d attachments stored, want %d", n, kb.MaxAttachments)
	}
	rec, err := db.GetVisit(ctx, "kunjungan-internal", kb.Viewer{Region: "33.72"})
	if err != nil || len(rec.Attachments) != kb.MaxAttachments {
		t.Fatalf("the host region reads the visit: %v", err)
	}
	id := rec.Attachments[0].ID
	for _, v := range []kb.Viewer{{}, {Region: "32.73"}} {
		if _, err := db.Attachment(ctx, "kunjungan-internal", id, v); !errors.Is(err, kb.ErrNotFound) {
			t.Errorf("viewer %+v reads an internal visit's file: %v", v, err)
		}
		if _, err := db.AttachmentData(ctx, "kunjungan-internal", id, v); !errors.Is(err, kb.ErrNotFound) {
			t.Errorf("viewer %+v reads an internal visit's file: %v", v, err)
		}
	}
	for _, v := range []kb.Viewer{{Region: "63.03"}, {Region: "33.72"}, {AllInternal: true}} {
		if _, err := db.AttachmentData(ctx, "kunjungan-internal", id, v); err != nil {
			t.Errorf("viewer %+v cannot read the file: %v", v, err)
		}
	}
}

// A backup is a copy of the database, files and all.
func TestBackupKeepsAttachments(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, sqlite.Options{})
	putVisit(t, db, "ani", newVisit(t, "kunjungan-banjar", nil))
	data := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte{0, 1, 2, 0xff}, 300000)...)
	a, _, err := addAttachment(t, db, "kunjungan-banjar", "laporan.pdf", "application/pdf", data)
	if err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "cadangan.db")
	if err := sqlite.Backup(ctx, db.Path(), dest); err != nil {
		t.Fatal(err)
	}
	restored := openPath(t, dest, sqlite.Options{})
	got, err := restored.AttachmentData(ctx, "kunjungan-banjar", a.ID, kb.Viewer{})
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("the backup's copy of the file: %d bytes, %v", len(got), err)
	}
	rec, err := restored.GetVisit(ctx, "kunjungan-banjar", kb.Viewer{})
	if err != nil || len(rec.Attachments) != 1 || rec.Attachments[0] != a {
		t.Errorf("the backup's visit: %+v %v", rec, err)
	}
}
