-- The files a visit carries (lampiran): its travel report, slides, photos.
-- Kept here rather than in files beside the database, so that an upload is
-- one transaction (all of it or none, whatever crashes when), and `tiru
-- backup` copies them with everything else. The visit's doc does not hold
-- them, and pages read every column but data. Deleting a visit deletes
-- its files.
CREATE TABLE attachments (
    id         INTEGER PRIMARY KEY,
    visit_id   INTEGER NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    name       TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size       INTEGER NOT NULL CHECK (size > 0),
    sha256     TEXT NOT NULL,
    data       BLOB NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX attachments_visit ON attachments (visit_id, position);
