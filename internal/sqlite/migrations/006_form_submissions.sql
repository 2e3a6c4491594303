-- The record forms a save has stored, by the one-time id each form page
-- carries and a digest of what was sent: the same form sent again (a
-- double click, a browser resending after a lost answer) is the save
-- already made, not a second record or a false "changed since you opened
-- it". Rows older than a day are removed as new ones are written.
CREATE TABLE form_submissions (
    id         TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    digest     TEXT NOT NULL,
    kind       TEXT NOT NULL,
    slug       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX form_submissions_created ON form_submissions (created_at);
