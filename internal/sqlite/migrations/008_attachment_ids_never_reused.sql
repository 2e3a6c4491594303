-- A file's id is its address (/kunjungan/{slug}/lampiran/{id}, and the
-- API's /attachments/{id}), bookmarked and passed around in chats. Without
-- AUTOINCREMENT SQLite hands out max(id)+1, so once the newest file was
-- deleted the next upload took its id, and an old link to a deleted report
-- opened whatever was uploaded after it. AUTOINCREMENT never hands out an
-- id again; SQLite cannot add it to a table in place, so the table is
-- rebuilt as its documented procedure says (lang_altertable.html, "Making
-- Other Kinds Of Table Schema Changes").
--
-- Foreign keys: the procedure turns them off first, but the runner applies
-- every migration inside a transaction on a connection opened with
-- foreign_keys on, where PRAGMA foreign_keys is ignored. That is harmless
-- here: no table references attachments, so dropping the old table (an
-- implicit DELETE of its rows) cascades into nothing, and each copied row
-- is checked against visits as it is inserted. A rebuild of a table that
-- others reference (visits, say) would cascade-delete their rows this way
-- and needs the runner to turn foreign keys off around it first.
--
-- There are no triggers or views on attachments; its one index is made
-- again below, as 007 made it.
CREATE TABLE attachments_new (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
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

-- Every row keeps its id: links to files that exist keep working.
INSERT INTO attachments_new (id, visit_id, position, name, media_type, size, sha256, data, created_at, created_by)
SELECT id, visit_id, position, name, media_type, size, sha256, data, created_at, created_by FROM attachments;

DROP TABLE attachments;
ALTER TABLE attachments_new RENAME TO attachments;
CREATE INDEX attachments_visit ON attachments (visit_id, position);

-- The next id must be above every id ever handed out, not only above the
-- files still here: the newest files may have been deleted before this
-- migration, and their links are as old as any. The table cannot tell, but
-- the audit log can: every upload and every delete was logged in its own
-- transaction as "id=N size=… sha256=… name=…" (attachmentDetail), and the
-- log is never pruned. Ids it cannot vouch for (a log emptied by hand, a
-- database restored from a backup older than its last uploads) stay
-- unknowable, and may be handed out once more.
DELETE FROM sqlite_sequence WHERE name = 'attachments';
INSERT INTO sqlite_sequence (name, seq) VALUES ('attachments', max(
    coalesce((SELECT max(id) FROM attachments), 0),
    coalesce((SELECT max(CAST(substr(detail, 4, instr(detail, ' ') - 4) AS INTEGER)) FROM audit_log
              WHERE action IN ('visit.attachment_add', 'visit.attachment_delete') AND detail LIKE 'id=% %'), 0)));
