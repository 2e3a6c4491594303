-- Reference data: rewritten from the embedded content at every start.
CREATE TABLE regions (
    code          TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    level         TEXT NOT NULL CHECK (level IN ('nasional', 'provinsi', 'kabupaten', 'kota')),
    province_code TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE urusan (
    code    TEXT PRIMARY KEY,
    name_id TEXT NOT NULL,
    name_en TEXT NOT NULL
) STRICT;

-- Agencies are created on first mention, keyed by region and name.
CREATE TABLE agencies (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    region_code TEXT NOT NULL REFERENCES regions (code),
    name        TEXT NOT NULL,
    urusan_code TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    UNIQUE (region_code, name COLLATE NOCASE)
) STRICT;

-- doc holds the whole record as in the import format; the columns beside it
-- are copies the store writes from doc for filtering, sorting and joins.
CREATE TABLE innovations (
    id              INTEGER PRIMARY KEY,
    slug            TEXT NOT NULL UNIQUE,
    title           TEXT NOT NULL,
    region_code     TEXT NOT NULL REFERENCES regions (code),
    agency_id       INTEGER REFERENCES agencies (id),
    urusan_code     TEXT NOT NULL DEFAULT '',
    stage           TEXT NOT NULL DEFAULT '',
    innovation_type TEXT NOT NULL DEFAULT '',
    form            TEXT NOT NULL DEFAULT '',
    year_started    INTEGER NOT NULL DEFAULT 0,
    evidence_level  INTEGER NOT NULL DEFAULT 0,
    sustainability  TEXT NOT NULL DEFAULT '',
    language        TEXT NOT NULL,
    visibility      TEXT NOT NULL CHECK (visibility IN ('public', 'internal')),
    summary         TEXT NOT NULL DEFAULT '',
    doc             TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL DEFAULT '',
    updated_by      TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX innovations_region ON innovations (region_code);
CREATE INDEX innovations_updated ON innovations (updated_at DESC);
CREATE INDEX innovations_agency ON innovations (agency_id);

CREATE TABLE visits (
    id                INTEGER PRIMARY KEY,
    slug              TEXT NOT NULL UNIQUE,
    title             TEXT NOT NULL,
    visit_type        TEXT NOT NULL,
    start_date        TEXT NOT NULL,
    end_date          TEXT NOT NULL,
    visitor_region    TEXT NOT NULL REFERENCES regions (code),
    visitor_agency_id INTEGER REFERENCES agencies (id),
    host_region       TEXT NOT NULL REFERENCES regions (code),
    host_agency_id    INTEGER REFERENCES agencies (id),
    delegation_size   INTEGER NOT NULL DEFAULT 0,
    language          TEXT NOT NULL,
    visibility        TEXT NOT NULL CHECK (visibility IN ('public', 'internal')),
    doc               TEXT NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    created_by        TEXT NOT NULL DEFAULT '',
    updated_by        TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX visits_visitor ON visits (visitor_region);
CREATE INDEX visits_host ON visits (host_region);
CREATE INDEX visits_start ON visits (start_date DESC);

-- The innovations a visit observed; the visit's doc does not repeat them.
CREATE TABLE visit_innovations (
    visit_id      INTEGER NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
    innovation_id INTEGER NOT NULL REFERENCES innovations (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    PRIMARY KEY (visit_id, innovation_id)
) STRICT;
CREATE INDEX visit_innovations_innovation ON visit_innovations (innovation_id);

CREATE TABLE follow_ups (
    id       INTEGER PRIMARY KEY,
    visit_id INTEGER NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    action   TEXT NOT NULL,
    owner    TEXT NOT NULL DEFAULT '',
    due_date TEXT NOT NULL DEFAULT '',
    status   TEXT NOT NULL
) STRICT;
CREATE INDEX follow_ups_visit ON follow_ups (visit_id, position);
CREATE INDEX follow_ups_due ON follow_ups (status, due_date);

CREATE TABLE adoptions (
    id            INTEGER PRIMARY KEY,
    innovation_id INTEGER NOT NULL REFERENCES innovations (id) ON DELETE CASCADE,
    region_code   TEXT NOT NULL REFERENCES regions (code),
    status        TEXT NOT NULL,
    degree        TEXT NOT NULL DEFAULT '',
    visit_id      INTEGER REFERENCES visits (id) ON DELETE SET NULL,
    status_date   TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (innovation_id, region_code)
) STRICT;
CREATE INDEX adoptions_region ON adoptions (region_code);
CREATE INDEX adoptions_visit ON adoptions (visit_id);

CREATE TABLE adoption_events (
    id          INTEGER PRIMARY KEY,
    adoption_id INTEGER NOT NULL REFERENCES adoptions (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    status      TEXT NOT NULL,
    date        TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    by          TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX adoption_events_adoption ON adoption_events (adoption_id, position);

-- Every change to an innovation, visit or adoption: who, when, which fields,
-- and the record as it became (NULL doc: deleted). No foreign key, so the
-- history outlives the record.
CREATE TABLE revisions (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    record_id  INTEGER NOT NULL,
    slug       TEXT NOT NULL,
    version    INTEGER NOT NULL,
    author     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    changed    TEXT NOT NULL,
    doc        TEXT
) STRICT;
CREATE INDEX revisions_record ON revisions (kind, record_id, version);

-- The search outbox: written in the same transaction as the change, drained
-- by the indexer, so a crash between commit and indexing loses nothing.
CREATE TABLE search_outbox (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT NOT NULL,
    record_id  INTEGER NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
