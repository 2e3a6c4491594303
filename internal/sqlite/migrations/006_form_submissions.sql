-- The record forms a save has stored, by the one-time id each form page
-- carries and a digest of what was sent: the same form sent again (a
-- double click, a browser resending after a lost answer) is the save
-- already made, not a second record or a false "changed since you opened
-- it", as long as the record is still at the version that save made.
-- Rows older than a day are removed as new ones are written.
CREATE TABLE form_submissions (
    id         TEXT NOT NULL,
    user_id    INTEGER NOT NULL,
    digest     TEXT NOT NULL,
    kind       TEXT NOT NULL,
    slug       TEXT NOT NULL,
    version    INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (id, user_id)
);
CREATE INDEX form_submissions_created ON form_submissions (created_at);
