-- A saved search is deleted by its id, from the account page. Without
-- AUTOINCREMENT SQLite hands out max(id)+1, so once the newest search was
-- deleted the next one saved took its id, and a delete sent from an
-- account page left open in another tab removed that newer search instead
-- of nothing. The table is rebuilt with AUTOINCREMENT as 008 rebuilt
-- attachments (see there for foreign keys: nothing references this table).
-- Ids of searches deleted before this migration are not known; the next
-- id starts above those still kept.
CREATE TABLE saved_searches_new (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    query      TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

INSERT INTO saved_searches_new (id, user_id, name, query, created_at)
SELECT id, user_id, name, query, created_at FROM saved_searches;

DROP TABLE saved_searches;
ALTER TABLE saved_searches_new RENAME TO saved_searches;
CREATE INDEX saved_searches_user ON saved_searches (user_id, id);
