package sqlite_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
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
	_, got, err := db.AttachmentFile(ctx, "kunjungan-banjar", a.ID, kb.Viewer{})
	if err != nil || !bytes.Equal(got, pdf) {
		t.Fatalf("AttachmentFile: %d bytes, %v", len(got), err)
	}
	meta, err := db.Attachment(ctx, "kunjungan-banjar", a.ID, kb.Viewer{})
	if err != nil || *meta != a {
		t.Errorf("Attachment = %+v, %v", meta, err)
	}
	// Another visit's slug does not reach the file.
	if _, _, err := db.AttachmentFile(ctx, "kunjungan-lain", a.ID, kb.Viewer{}); !errors.Is(err, kb.ErrNotFound) {
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
		if _, _, err := db.AttachmentFile(ctx, "kunjungan-internal", id, v); !errors.Is(err, kb.ErrNotFound) {
			t.Errorf("viewer %+v reads an internal visit's file: %v", v, err)
		}
	}
	for _, v := range []kb.Viewer{{Region: "63.03"}, {Region: "33.72"}, {AllInternal: true}} {
		if _, _, err := db.AttachmentFile(ctx, "kunjungan-internal", id, v); err != nil {
			t.Errorf("viewer %+v cannot read the file: %v", v, err)
		}
	}
}

// A file's id is its address (/kunjungan/{slug}/lampiran/{id}): once a
// file is deleted, no later file may take its id, or an old link to the
// deleted report opens whatever came after it. SQLite's default hands the
// newest id out again as soon as its row is gone; so it must not, after a
// reopen, in a backup's copy, or for a visit deleted and made anew under
// the same slug.
func TestDeletedAttachmentIDIsNeverReused(t *testing.T) {
	ctx := context.Background()
	const slug = "kunjungan-banjar"
	db := openDB(t, sqlite.Options{})
	putVisit(t, db, "ani", newVisit(t, slug, nil))
	// The ids each database has handed out: the backup's copy goes its
	// own way from the moment it is made.
	used := map[*sqlite.DB]map[int64]string{db: {}}
	add := func(db *sqlite.DB, name string) sqlite.Attachment {
		t.Helper()
		a, ch, err := addAttachment(t, db, slug, name, "application/pdf", []byte("%PDF-1.7\n"+name))
		if err != nil || ch != sqlite.Created {
			t.Fatalf("add %s: %v %v", name, ch, err)
		}
		if before, ok := used[db][a.ID]; ok {
			t.Errorf("%s took id %d, which %s had", name, a.ID, before)
		}
		used[db][a.ID] = name
		return a
	}
	del := func(db *sqlite.DB, a sqlite.Attachment) {
		t.Helper()
		mustUpdate(t, db, "ani", func(ctx context.Context, tx *sqlite.Tx) error { return tx.DeleteAttachment(ctx, slug, a.ID) })
		if _, err := db.Attachment(ctx, slug, a.ID, kb.Viewer{}); !errors.Is(err, kb.ErrNotFound) {
			t.Errorf("the deleted %s (id %d) still reads: %v", a.Name, a.ID, err)
		}
	}

	add(db, "laporan.pdf")
	newest := add(db, "paparan.pdf")
	del(db, newest)
	del(db, add(db, "notulen.pdf"))
	if _, err := db.Attachment(ctx, slug, newest.ID, kb.Viewer{}); !errors.Is(err, kb.ErrNotFound) {
		t.Errorf("the link to the deleted paparan.pdf reads another file: %v", err)
	}

	// A backup carries which ids were handed out, and so does a reopen
	// (the restored copy is opened anew).
	dest := filepath.Join(t.TempDir(), "cadangan.db")
	if err := sqlite.Backup(ctx, db.Path(), dest); err != nil {
		t.Fatal(err)
	}
	restored := openPath(t, dest, sqlite.Options{})
	used[restored] = maps.Clone(used[db])
	del(restored, add(restored, "foto.pdf"))
	add(restored, "daftar-hadir.pdf")

	// The visit deleted and made again: the same addresses, new files.
	mustUpdate(t, db, "ani", func(ctx context.Context, tx *sqlite.Tx) error { return tx.DeleteVisit(ctx, slug) })
	putVisit(t, db, "ani", newVisit(t, slug, nil))
	add(db, "laporan-baru.pdf")
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
	_, got, err := restored.AttachmentFile(ctx, "kunjungan-banjar", a.ID, kb.Viewer{})
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("the backup's copy of the file: %d bytes, %v", len(got), err)
	}
	rec, err := restored.GetVisit(ctx, "kunjungan-banjar", kb.Viewer{})
	if err != nil || len(rec.Attachments) != 1 || rec.Attachments[0] != a {
		t.Errorf("the backup's visit: %+v %v", rec, err)
	}
}

// A database as Tiru left it before attachment ids were made never to be
// reused (migration 008), with files deleted between and after those kept:
// the rebuild keeps every file under its id, byte for byte, keeps the
// table's rules, cascades into nothing, and the next file gets an id above
// every one ever handed out, the deleted newest included.
func TestAttachmentIDMigrationKeepsFilesAndSkipsOldIDs(t *testing.T) {
	ctx := context.Background()
	const slug = "kunjungan-banjar"
	path := filepath.Join(t.TempDir(), "tiru.db")
	old, err := sqlite.OpenAt(ctx, path, sqlite.Options{}, 7)
	if err != nil {
		t.Fatal(err)
	}
	ref := testRef(t)
	if err := old.SyncReference(ctx, ref.Regions, ref.Urusan); err != nil {
		t.Fatal(err)
	}
	putVisit(t, old, "ani", newVisit(t, slug, nil))
	putVisit(t, old, "ani", newVisit(t, "kunjungan-lain", nil, func(v *kb.Visit) {
		v.FollowUps = []kb.FollowUp{{Action: "Menyusun kajian", Status: "terbuka"}}
	}))
	files := map[int64][]byte{}
	for i := 1; i <= 6; i++ {
		// Binary content, NUL bytes and all, so a copy that went through
		// text would show.
		data := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{byte(i), 0, 0xff}, 1000*i)...)
		a, _, err := addAttachment(t, old, slug, fmt.Sprintf("foto-%d.png", i), "image/png", data)
		if err != nil {
			t.Fatal(err)
		}
		if a.ID != int64(i) {
			t.Fatalf("file %d took id %d", i, a.ID)
		}
		files[a.ID] = data
	}
	for _, id := range []int64{3, 4, 6} {
		mustUpdate(t, old, "ani", func(ctx context.Context, tx *sqlite.Tx) error { return tx.DeleteAttachment(ctx, slug, id) })
		delete(files, id)
	}
	if v, err := old.SchemaVersion(ctx); err != nil || v != 7 {
		t.Fatalf("the old database is at version %d (%v), want 7", v, err)
	}
	before, err := old.GetVisit(ctx, slug, kb.Viewer{AllInternal: true})
	if err != nil {
		t.Fatal(err)
	}
	old.Close()
	tables := "SELECT (SELECT count(*) FROM visits), (SELECT count(*) FROM follow_ups), (SELECT count(*) FROM revisions), (SELECT count(*) FROM audit_log)"
	var counts [2][4]int
	{
		r, err := sql.Open("sqlite3", path+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		if err := r.QueryRow(tables).Scan(&counts[0][0], &counts[0][1], &counts[0][2], &counts[0][3]); err != nil {
			t.Fatal(err)
		}
		r.Close()
	}

	db := openPath(t, path, sqlite.Options{})
	if v, err := db.SchemaVersion(ctx); err != nil || v < 8 {
		t.Fatalf("schema version %d (%v) after the upgrade, want 8 or later", v, err)
	}
	rdb := rawDB(t, db)
	if err := rdb.QueryRow(tables).Scan(&counts[1][0], &counts[1][1], &counts[1][2], &counts[1][3]); err != nil {
		t.Fatal(err)
	}
	if counts[0] != counts[1] {
		t.Errorf("visits, follow-ups, revisions, audit entries: %v before the upgrade, %v after", counts[0], counts[1])
	}
	after, err := db.GetVisit(ctx, slug, kb.Viewer{AllInternal: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(before.Attachments, after.Attachments) {
		t.Errorf("files before the upgrade:\n%+v\nafter:\n%+v", before.Attachments, after.Attachments)
	}
	var ids []int64
	for _, a := range after.Attachments {
		ids = append(ids, a.ID)
	}
	if !slices.Equal(ids, []int64{1, 2, 5}) {
		t.Errorf("ids after the upgrade: %v, want [1 2 5]", ids)
	}
	for id, want := range files {
		if _, got, err := db.AttachmentFile(ctx, slug, id, kb.Viewer{}); err != nil || !bytes.Equal(got, want) {
			t.Errorf("file %d after the upgrade: %d bytes, %v; want %d bytes as stored", id, len(got), err, len(want))
		}
	}

	// The table keeps its rules and its index, and nothing is left over.
	var schema, index string
	if err := rdb.QueryRow("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'attachments'").Scan(&schema); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"id         INTEGER PRIMARY KEY AUTOINCREMENT", "REFERENCES visits (id) ON DELETE CASCADE", "CHECK (size > 0)", "created_by TEXT NOT NULL DEFAULT ''", ") STRICT"} {
		if !strings.Contains(schema, want) {
			t.Errorf("the rebuilt table lacks %q:\n%s", want, schema)
		}
	}
	if err := rdb.QueryRow("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'attachments_visit'").Scan(&index); err != nil ||
		index != "CREATE INDEX attachments_visit ON attachments (visit_id, position)" {
		t.Errorf("the visit index after the upgrade: %q, %v", index, err)
	}
	if n := count(t, rdb, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'attachments_new%'"); n != 0 {
		t.Error("the rebuild left its new table's name behind")
	}
	if n := count(t, rdb, "SELECT count(*) FROM pragma_foreign_key_check"); n != 0 {
		t.Errorf("%d foreign key violations after the upgrade", n)
	}
	if err := db.IntegrityCheck(ctx); err != nil {
		t.Error(err)
	}

	// The next file: above 6, the newest file ever, deleted before the
	// upgrade, which only the audit log remembers.
	a, _, err := addAttachment(t, db, slug, "laporan.pdf", "application/pdf", []byte("%PDF-1.7\nlaporan"))
	if err != nil {
		t.Fatal(err)
	}
	if a.ID <= 6 {
		t.Errorf("the first file after the upgrade took id %d, one handed out before", a.ID)
	}
	// The rules hold, not only read: an empty file, a file of no visit, a
	// size in words are refused; and the visit's files go with it.
	w, err := sql.Open("sqlite3", path+"?_busy_timeout=5000&_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for _, bad := range []struct{ why, visit, size string }{
		{"an empty file", "(SELECT id FROM visits LIMIT 1)", "0"},
		{"a file of no visit", "999999", "3"},
		{"a size in words", "(SELECT id FROM visits LIMIT 1)", "'tiga'"},
	} {
		if _, err := w.Exec(`INSERT INTO attachments (visit_id, position, name, media_type, size, sha256, data, created_at)
			VALUES (` + bad.visit + `, 9, 'x.pdf', 'application/pdf', ` + bad.size + `, '', x'00', '')`); err == nil {
			t.Errorf("%s was stored after the upgrade", bad.why)
		}
	}
	mustUpdate(t, db, "ani", func(ctx context.Context, tx *sqlite.Tx) error { return tx.DeleteVisit(ctx, slug) })
	if n := count(t, rdb, "SELECT count(*) FROM attachments"); n != 0 {
		t.Errorf("%d files outlived their deleted visit after the upgrade", n)
	}
}
