-- Indexes for pages at scale, found by a load test over 10,000 innovations.

-- A record's history is shown by slug (it outlives the record, whose id is
-- gone once deleted); without this every page view scanned every revision.
CREATE INDEX revisions_slug ON revisions (kind, slug, id);

-- Lists are newest first with the id breaking ties; an index on updated_at
-- alone left SQLite sorting the whole table for each page.
DROP INDEX innovations_updated;
CREATE INDEX innovations_updated ON innovations (updated_at, id);
DROP INDEX visits_start;
CREATE INDEX visits_start ON visits (start_date, id);

-- What an anonymous reader may see, newest first: counted from this small
-- index instead of every row and its JSON document, and listed in order.
CREATE INDEX innovations_visible ON innovations (visibility, updated_at, id, region_code);
