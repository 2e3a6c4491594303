package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"tiru/internal/kb"
)

// Attachment is a file a visit carries (lampiran), without its content:
// what pages and the API list. The content is read only to be sent
// (AttachmentFile).
type Attachment struct {
	ID        int64
	Position  int
	Name      string
	MediaType string
	Size      int64
	SHA256    string // hex, of the content: the download's ETag
	CreatedAt string
	CreatedBy string
}

// NewAttachment is a file to attach to a visit, as kb.CheckAttachment
// accepted it: the name it is kept under and its media type.
type NewAttachment struct {
	Name      string
	MediaType string
	Data      []byte
}

// Audit actions of attachments. They are entries about the visit (kind
// visit, its slug), so the log links the visit while it exists.
const (
	ActionAttachmentAdd    = "visit.attachment_add"
	ActionAttachmentDelete = "visit.attachment_delete"
)

// attachmentCols are the columns of an attachment but its content: a list
// of a visit's files must never read megabytes of blobs.
const attachmentCols = "a.id, a.position, a.name, a.media_type, a.size, a.sha256, a.created_at, a.created_by"

// scanAttachment reads attachmentCols into a, and into more the columns
// the query selects after them.
func scanAttachment(sc interface{ Scan(...any) error }, a *Attachment, more ...any) error {
	return sc.Scan(append([]any{&a.ID, &a.Position, &a.Name, &a.MediaType, &a.Size, &a.SHA256, &a.CreatedAt, &a.CreatedBy}, more...)...)
}

// listAttachments returns the files of a visit in the order they were
// added, without their content.
func listAttachments(ctx context.Context, q querier, visitID int64) ([]Attachment, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+attachmentCols+" FROM attachments a WHERE a.visit_id = ? ORDER BY a.position, a.id", visitID)
	if err != nil {
		return nil, fmt.Errorf("read attachments of visit %d: %w", visitID, err)
	}
	defer rows.Close()
	var out []Attachment
	for rows.Next() {
		var a Attachment
		if err := scanAttachment(rows, &a); err != nil {
			return nil, fmt.Errorf("scan attachment: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read attachments of visit %d: %w", visitID, err)
	}
	return out, nil
}

// Attachment returns the file id of the visit with slug, without its
// content, if the viewer may read the visit; otherwise kb.ErrNotFound, as
// for the visit itself.
func (db *DB) Attachment(ctx context.Context, slug string, id int64, v kb.Viewer) (*Attachment, error) {
	vis, args := visibleSQL(v, "v.visibility", "v.visitor_region", "v.host_region")
	a := &Attachment{}
	err := scanAttachment(db.reader.QueryRowContext(ctx, "SELECT "+attachmentCols+` FROM attachments a JOIN visits v ON v.id = a.visit_id
		WHERE v.slug = ? AND a.id = ? AND `+vis, append([]any{slug, id}, args...)...), a)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("attachment %d of visit %s: %w", id, slug, kb.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read attachment %d of visit %s: %w", id, slug, err)
	}
	return a, nil
}

// AttachmentFile returns the file id of the visit with slug and its
// content, under the same rule as Attachment, from one row read once: a
// download needs both to agree, and a file deleted between two reads would
// send a 404 after the download's headers. (Ids are never reused since
// migration 008, so a link to a deleted file cannot reach a newer one.)
func (db *DB) AttachmentFile(ctx context.Context, slug string, id int64, v kb.Viewer) (*Attachment, []byte, error) {
	vis, args := visibleSQL(v, "v.visibility", "v.visitor_region", "v.host_region")
	a := &Attachment{}
	var data []byte
	err := scanAttachment(db.reader.QueryRowContext(ctx, "SELECT "+attachmentCols+`, a.data FROM attachments a JOIN visits v ON v.id = a.visit_id
		WHERE v.slug = ? AND a.id = ? AND `+vis, append([]any{slug, id}, args...)...), a, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, fmt.Errorf("attachment %d of visit %s: %w", id, slug, kb.ErrNotFound)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read attachment %d of visit %s: %w", id, slug, err)
	}
	return a, data, nil
}

// AttachmentCount is how many files all visits carry, for the export's
// note that they stay behind.
func (db *DB) AttachmentCount(ctx context.Context) (int, error) {
	var n int
	if err := db.reader.QueryRowContext(ctx, "SELECT count(*) FROM attachments").Scan(&n); err != nil {
		return 0, fmt.Errorf("count attachments: %w", err)
	}
	return n, nil
}

// AddAttachment attaches a file to the visit with slug and records it in
// the audit log. The same content under the same name already attached
// (a form sent twice, a script retrying) is that attachment, returned with
// Unchanged. A visit holds at most kb.MaxAttachments files; past that the
// error is both kb.ErrConflict and a field error on "file".
//
// The visit's own row is left as it is: its version, which forms and the
// API check before a save, does not move, so adding a photo while someone
// edits the trip notes does not make their save a conflict.
func (t *Tx) AddAttachment(ctx context.Context, slug string, f NewAttachment) (Attachment, Change, error) {
	visitID, err := t.visitID(ctx, slug)
	if err != nil {
		return Attachment{}, Unchanged, err
	}
	sum := sha256.Sum256(f.Data)
	a := Attachment{Name: f.Name, MediaType: f.MediaType, Size: int64(len(f.Data)), SHA256: hex.EncodeToString(sum[:]), CreatedAt: t.now, CreatedBy: t.author}
	var existing Attachment
	err = scanAttachment(t.tx.QueryRowContext(ctx, "SELECT "+attachmentCols+" FROM attachments a WHERE a.visit_id = ? AND a.sha256 = ? AND a.name = ?",
		visitID, a.SHA256, a.Name), &existing)
	switch {
	case err == nil:
		return existing, Unchanged, nil
	case !errors.Is(err, sql.ErrNoRows):
		return Attachment{}, Unchanged, fmt.Errorf("read attachments of visit %s: %w", slug, err)
	}
	var count, last int
	if err := t.tx.QueryRowContext(ctx, "SELECT count(*), coalesce(max(position), 0) FROM attachments WHERE visit_id = ?", visitID).Scan(&count, &last); err != nil {
		return Attachment{}, Unchanged, fmt.Errorf("count attachments of visit %s: %w", slug, err)
	}
	if count >= kb.MaxAttachments {
		n := strconv.Itoa(kb.MaxAttachments)
		return Attachment{}, Unchanged, errors.Join(kb.ErrConflict, kb.Invalid("file",
			"Lampiran ditolak: kunjungan ini sudah punya "+n+" lampiran, batasnya; hapus yang tidak perlu dulu",
			"Attachment refused: this visit already has "+n+" attachments, the limit; delete one it does not need first"))
	}
	a.Position = last + 1
	res, err := t.tx.ExecContext(ctx, `INSERT INTO attachments (visit_id, position, name, media_type, size, sha256, data, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, visitID, a.Position, a.Name, a.MediaType, a.Size, a.SHA256, f.Data, a.CreatedAt, a.CreatedBy)
	if err != nil {
		return Attachment{}, Unchanged, fmt.Errorf("save attachment of visit %s: %w", slug, err)
	}
	if a.ID, err = res.LastInsertId(); err != nil {
		return Attachment{}, Unchanged, fmt.Errorf("save attachment of visit %s: %w", slug, err)
	}
	// The visit's document holds its files' names (see search.Builder).
	if err := t.enqueue(ctx, KindVisit, visitID); err != nil {
		return Attachment{}, Unchanged, err
	}
	return a, Created, t.Audit(ctx, ActionAttachmentAdd, KindVisit, slug, attachmentDetail(a))
}

// DeleteAttachment removes the file id from the visit with slug and
// records it in the audit log; kb.ErrNotFound when the visit has no such
// file. The visit's version stays, as for AddAttachment.
func (t *Tx) DeleteAttachment(ctx context.Context, slug string, id int64) error {
	visitID, err := t.visitID(ctx, slug)
	if err != nil {
		return err
	}
	var a Attachment
	err = scanAttachment(t.tx.QueryRowContext(ctx, "SELECT "+attachmentCols+" FROM attachments a WHERE a.visit_id = ? AND a.id = ?", visitID, id), &a)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("attachment %d of visit %s: %w", id, slug, kb.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("read attachment %d of visit %s: %w", id, slug, err)
	}
	if _, err := t.tx.ExecContext(ctx, "DELETE FROM attachments WHERE id = ?", id); err != nil {
		return fmt.Errorf("delete attachment %d of visit %s: %w", id, slug, err)
	}
	if err := t.enqueue(ctx, KindVisit, visitID); err != nil {
		return err
	}
	return t.Audit(ctx, ActionAttachmentDelete, KindVisit, slug, attachmentDetail(a))
}

// attachmentDetail is an attachment's audit detail: the fixed fields
// first, the name (which may hold spaces) last, for ParseAttachmentDetail.
func attachmentDetail(a Attachment) string {
	return fmt.Sprintf("id=%d size=%d sha256=%s name=%s", a.ID, a.Size, a.SHA256, a.Name)
}

// ParseAttachmentDetail reads back the detail of an attachment's audit
// entry: the file's name and size.
func ParseAttachmentDetail(detail string) (name string, size int64, ok bool) {
	var id int64
	var sum string
	if _, err := fmt.Sscanf(detail, "id=%d size=%d sha256=%s", &id, &size, &sum); err != nil {
		return "", 0, false
	}
	_, name, ok = strings.Cut(detail, " name=")
	return name, size, ok
}

// visitID is the id of the visit with slug, in the transaction.
func (t *Tx) visitID(ctx context.Context, slug string) (int64, error) {
	var id int64
	err := t.tx.QueryRowContext(ctx, "SELECT id FROM visits WHERE slug = ?", slug).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("visit %s: %w", slug, kb.ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("read visit %s: %w", slug, err)
	}
	return id, nil
}
