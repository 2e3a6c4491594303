package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"tiru/internal/kb"
)

// Kinds of record, as used in revisions and the search outbox.
const (
	KindInnovation = "innovation"
	KindVisit      = "visit"
	KindAdoption   = "adoption"
)

// agencyID finds or creates the agency named name in region. An empty name
// means no agency.
func (t *Tx) agencyID(ctx context.Context, region, name string) (sql.NullInt64, error) {
	return t.agencyWithUrusan(ctx, region, name, "")
}

// agencyWithUrusan is agencyID that also records the agency's government
// affair when it has none yet, so counterparts in other regions can be
// found: the first innovation an agency runs says what it does.
func (t *Tx) agencyWithUrusan(ctx context.Context, region, name, urusan string) (sql.NullInt64, error) {
	if name == "" {
		return sql.NullInt64{}, nil
	}
	id, _, err := t.findAgency(ctx, region, name)
	if err != nil {
		return sql.NullInt64{}, err
	}
	if id != 0 {
		if urusan != "" {
			if _, err := t.tx.ExecContext(ctx, "UPDATE agencies SET urusan_code = ? WHERE id = ? AND urusan_code = ''", urusan, id); err != nil {
				return sql.NullInt64{}, fmt.Errorf("set agency urusan: %w", err)
			}
		}
		return sql.NullInt64{Int64: id, Valid: true}, nil
	}
	base := kb.Slugify(name)
	if base == "" {
		base = "instansi"
	}
	slug := base
	for i := 2; ; i++ {
		var n int
		if err := t.tx.QueryRowContext(ctx, "SELECT count(*) FROM agencies WHERE slug = ?", slug).Scan(&n); err != nil {
			return sql.NullInt64{}, fmt.Errorf("check agency slug: %w", err)
		}
		if n == 0 {
			break
		}
		slug = fmt.Sprintf("%s-%s", base, strings.ReplaceAll(region, ".", "-"))
		if i > 2 {
			slug = fmt.Sprintf("%s-%d", slug, i)
		}
	}
	res, err := t.tx.ExecContext(ctx, "INSERT INTO agencies (slug, region_code, name, urusan_code, created_at) VALUES (?, ?, ?, ?, ?)", slug, region, name, urusan, t.now)
	if err != nil {
		return sql.NullInt64{}, fmt.Errorf("create agency %q: %w", name, err)
	}
	id, err = res.LastInsertId()
	return sql.NullInt64{Int64: id, Valid: true}, err
}

// findAgency returns the id and stored name of the agency of region that
// name names as kb.SameAgency sees it, or 0 when the region has none: the
// one spelled so (in any ASCII case) first, else the oldest. The comparison is Go's,
// not SQLite's NOCASE, which folds ASCII only: with it a name that the
// permission check took for the organiser's own agency ("Diſkominfo",
// with a long s) made a second agency that looked the same.
func (t *Tx) findAgency(ctx context.Context, region, name string) (int64, string, error) {
	// The name as stored (or in another ASCII case), through the unique
	// index, is every save but one with a variant spelling: the scan
	// below, once per agency name of a record, is for those.
	var (
		id     int64
		stored string
	)
	err := t.tx.QueryRowContext(ctx, "SELECT id, name FROM agencies WHERE region_code = ? AND name = ? COLLATE NOCASE", region, name).Scan(&id, &stored)
	if err == nil {
		return id, stored, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, "", fmt.Errorf("find agency %q: %w", name, err)
	}
	rows, err := t.tx.QueryContext(ctx, "SELECT id, name FROM agencies WHERE region_code = ? ORDER BY id", region)
	if err != nil {
		return 0, "", fmt.Errorf("find agency %q: %w", name, err)
	}
	defer rows.Close()
	key := kb.AgencyKey(name)
	for rows.Next() {
		var n string
		if err := rows.Scan(&id, &n); err != nil {
			return 0, "", fmt.Errorf("find agency %q: %w", name, err)
		}
		if kb.AgencyKey(n) == key {
			return id, n, nil
		}
	}
	if err := rows.Err(); err != nil {
		return 0, "", fmt.Errorf("find agency %q: %w", name, err)
	}
	return 0, "", nil
}

// storedAgencyName replaces *name by the stored name of the agency of
// region it names, if there is one, so that a record shows the agency as
// its page does and not a variant typed in another case or with
// look-alike letters.
func (t *Tx) storedAgencyName(ctx context.Context, region string, name *string) error {
	if *name == "" {
		return nil
	}
	id, stored, err := t.findAgency(ctx, region, *name)
	if id != 0 {
		*name = stored
	}
	return err
}

// revise records a revision of a record: which top-level fields changed
// between old and new (both JSON objects; nil old means created, nil new
// means deleted).
func (t *Tx) revise(ctx context.Context, kind string, id int64, slug string, version int, old, new []byte) error {
	changed := changedFields(old, new)
	ch, _ := json.Marshal(changed)
	var doc any
	if new != nil {
		doc = string(new)
	}
	if _, err := t.tx.ExecContext(ctx, `INSERT INTO revisions (kind, record_id, slug, version, author, created_at, changed, doc)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, kind, id, slug, version, t.author, t.now, string(ch), doc); err != nil {
		return fmt.Errorf("record revision of %s %s: %w", kind, slug, err)
	}
	action := kind + ".update"
	switch {
	case old == nil:
		action = kind + ".create"
	case new == nil:
		action = kind + ".delete"
	}
	return t.Audit(ctx, action, kind, slug, strings.Join(changed, ","))
}

func changedFields(old, new []byte) []string {
	var a, b map[string]json.RawMessage
	_ = json.Unmarshal(old, &a)
	_ = json.Unmarshal(new, &b)
	var out []string
	for k, v := range b {
		if w, ok := a[k]; !ok || !bytes.Equal(v, w) {
			out = append(out, k)
		}
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	if out == nil {
		out = []string{}
	}
	return out
}

// PutInnovation creates or updates the innovation with in.Slug. in must
// have passed Validate. Writing a record identical to the stored one changes
// nothing, not even its revision history. An agency the region already has
// under another spelling (kb.SameAgency) is written as it is stored.
func (t *Tx) PutInnovation(ctx context.Context, in *kb.Innovation) (Change, error) {
	if err := t.storedAgencyName(ctx, in.Region, &in.Agency); err != nil {
		return Unchanged, err
	}
	doc, err := json.Marshal(in)
	if err != nil {
		return Unchanged, fmt.Errorf("encode innovation %s: %w", in.Slug, err)
	}
	var (
		id      int64
		version int
		oldDoc  string
	)
	err = t.tx.QueryRowContext(ctx, "SELECT id, version, doc FROM innovations WHERE slug = ?", in.Slug).Scan(&id, &version, &oldDoc)
	exists := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Unchanged, fmt.Errorf("read innovation %s: %w", in.Slug, err)
	}
	if exists && oldDoc == string(doc) {
		return Unchanged, nil
	}
	agency, err := t.agencyWithUrusan(ctx, in.Region, in.Agency, in.Urusan)
	if err != nil {
		return Unchanged, err
	}
	cols := []any{in.Title, in.Region, agency, in.Urusan, in.Stage, in.InnovationType, in.Form, in.YearStarted,
		in.EvidenceLevel, in.Sustainability, in.Language, in.Visibility, in.Summary, string(doc)}
	change := Updated
	if exists {
		version++
		_, err = t.tx.ExecContext(ctx, `UPDATE innovations SET title = ?, region_code = ?, agency_id = ?, urusan_code = ?, stage = ?,
			innovation_type = ?, form = ?, year_started = ?, evidence_level = ?, sustainability = ?, language = ?, visibility = ?,
			summary = ?, doc = ?, version = ?, updated_at = ?, updated_by = ? WHERE id = ?`,
			append(cols, version, t.now, t.author, id)...)
	} else {
		change = Created
		if version, err = t.nextVersion(ctx, KindInnovation, in.Slug); err != nil {
			return Unchanged, err
		}
		var res sql.Result
		res, err = t.tx.ExecContext(ctx, `INSERT INTO innovations (title, region_code, agency_id, urusan_code, stage,
			innovation_type, form, year_started, evidence_level, sustainability, language, visibility, summary, doc,
			slug, version, created_at, updated_at, created_by, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			append(cols, in.Slug, version, t.now, t.now, t.author, t.author)...)
		if err == nil {
			id, err = res.LastInsertId()
		}
	}
	if err != nil {
		return Unchanged, fmt.Errorf("save innovation %s: %w", in.Slug, err)
	}
	var old []byte
	if exists {
		old = []byte(oldDoc)
	}
	if err := t.revise(ctx, KindInnovation, id, in.Slug, version, old, doc); err != nil {
		return Unchanged, err
	}
	if exists {
		if err := t.enqueueObservers(ctx, id); err != nil {
			return Unchanged, err
		}
	}
	return change, t.enqueue(ctx, KindInnovation, id)
}

// enqueueObservers queues the visits that observed an innovation for
// reindexing: a visit's search document carries the titles of the public
// innovations it observed, so one made internal, renamed or deleted would
// otherwise stay findable through the visit.
func (t *Tx) enqueueObservers(ctx context.Context, innovation int64) error {
	rows, err := t.tx.QueryContext(ctx, "SELECT visit_id FROM visit_innovations WHERE innovation_id = ?", innovation)
	if err != nil {
		return fmt.Errorf("read visits of innovation %d: %w", innovation, err)
	}
	var visits []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fmt.Errorf("read visits of innovation %d: %w", innovation, err)
		}
		visits = append(visits, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read visits of innovation %d: %w", innovation, err)
	}
	for _, id := range visits {
		if err := t.enqueue(ctx, KindVisit, id); err != nil {
			return err
		}
	}
	return nil
}

// DeleteInnovation removes an innovation, its adoptions and its place in
// visits. Its revisions stay.
func (t *Tx) DeleteInnovation(ctx context.Context, slug string) error {
	var (
		id      int64
		version int
	)
	err := t.tx.QueryRowContext(ctx, "SELECT id, version FROM innovations WHERE slug = ?", slug).Scan(&id, &version)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("innovation %s: %w", slug, kb.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("read innovation %s: %w", slug, err)
	}
	// Before the delete, which takes the innovation out of its visits.
	if err := t.enqueueObservers(ctx, id); err != nil {
		return err
	}
	if _, err := t.tx.ExecContext(ctx, "DELETE FROM innovations WHERE id = ?", id); err != nil {
		return fmt.Errorf("delete innovation %s: %w", slug, err)
	}
	if err := t.revise(ctx, KindInnovation, id, slug, version+1, []byte("{}"), nil); err != nil {
		return err
	}
	return t.enqueue(ctx, KindInnovation, id)
}

// visitDoc is what a visit stores in its doc column: the record without the
// observed innovations and follow-ups, which live in their own tables.
func visitDoc(v *kb.Visit) ([]byte, error) {
	c := *v
	c.Innovations, c.FollowUps = nil, nil
	return json.Marshal(&c)
}

// PutVisit creates or updates the visit with v.Slug, including which
// innovations it observed and its follow-ups. v must have passed Validate;
// an observed innovation that does not exist is a validation error. Its
// agencies are written as PutInnovation writes an innovation's.
func (t *Tx) PutVisit(ctx context.Context, v *kb.Visit) (Change, error) {
	if err := t.storedAgencyName(ctx, v.VisitorRegion, &v.VisitorAgency); err != nil {
		return Unchanged, err
	}
	if err := t.storedAgencyName(ctx, v.HostRegion, &v.HostAgency); err != nil {
		return Unchanged, err
	}
	doc, err := visitDoc(v)
	if err != nil {
		return Unchanged, fmt.Errorf("encode visit %s: %w", v.Slug, err)
	}
	innovationIDs := make([]int64, len(v.Innovations))
	verr := &kb.ValidationError{}
	seen := map[string]bool{}
	for i, s := range v.Innovations {
		if seen[s] {
			verr.Errors = append(verr.Errors, kb.FieldError{Field: fmt.Sprintf("innovations[%d]", i),
				Message: kb.Text{ID: "inovasi \"" + s + "\" disebut dua kali", EN: "innovation \"" + s + "\" is listed twice"}})
			continue
		}
		seen[s] = true
		err := t.tx.QueryRowContext(ctx, "SELECT id FROM innovations WHERE slug = ?", s).Scan(&innovationIDs[i])
		if errors.Is(err, sql.ErrNoRows) {
			verr.Errors = append(verr.Errors, kb.FieldError{Field: fmt.Sprintf("innovations[%d]", i),
				Message: kb.Text{ID: "inovasi \"" + s + "\" tidak ditemukan", EN: "innovation \"" + s + "\" not found"}})
		} else if err != nil {
			return Unchanged, fmt.Errorf("find innovation %s: %w", s, err)
		}
	}
	if len(verr.Errors) > 0 {
		return Unchanged, verr
	}
	full, err := json.Marshal(v)
	if err != nil {
		return Unchanged, fmt.Errorf("encode visit %s: %w", v.Slug, err)
	}
	var (
		id      int64
		version int
		oldDoc  string
	)
	err = t.tx.QueryRowContext(ctx, "SELECT id, version, doc FROM visits WHERE slug = ?", v.Slug).Scan(&id, &version, &oldDoc)
	exists := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Unchanged, fmt.Errorf("read visit %s: %w", v.Slug, err)
	}
	var oldFull []byte
	if exists {
		old, err := loadVisit(ctx, t.tx, id, oldDoc)
		if err != nil {
			return Unchanged, err
		}
		if oldFull, err = json.Marshal(&old.Visit); err != nil {
			return Unchanged, fmt.Errorf("encode visit %s: %w", v.Slug, err)
		}
		if bytes.Equal(oldFull, full) {
			return Unchanged, nil
		}
	}
	visitorAgency, err := t.agencyID(ctx, v.VisitorRegion, v.VisitorAgency)
	if err != nil {
		return Unchanged, err
	}
	hostAgency, err := t.agencyID(ctx, v.HostRegion, v.HostAgency)
	if err != nil {
		return Unchanged, err
	}
	cols := []any{v.Title, v.VisitType, v.StartDate, v.EndDate, v.VisitorRegion, visitorAgency, v.HostRegion, hostAgency,
		v.DelegationSize, v.Language, v.Visibility, string(doc)}
	change := Updated
	if exists {
		version++
		_, err = t.tx.ExecContext(ctx, `UPDATE visits SET title = ?, visit_type = ?, start_date = ?, end_date = ?,
			visitor_region = ?, visitor_agency_id = ?, host_region = ?, host_agency_id = ?, delegation_size = ?, language = ?,
			visibility = ?, doc = ?, version = ?, updated_at = ?, updated_by = ? WHERE id = ?`,
			append(cols, version, t.now, t.author, id)...)
	} else {
		change = Created
		if version, err = t.nextVersion(ctx, KindVisit, v.Slug); err != nil {
			return Unchanged, err
		}
		var res sql.Result
		res, err = t.tx.ExecContext(ctx, `INSERT INTO visits (title, visit_type, start_date, end_date, visitor_region,
			visitor_agency_id, host_region, host_agency_id, delegation_size, language, visibility, doc, slug, version,
			created_at, updated_at, created_by, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			append(cols, v.Slug, version, t.now, t.now, t.author, t.author)...)
		if err == nil {
			id, err = res.LastInsertId()
		}
	}
	if err != nil {
		return Unchanged, fmt.Errorf("save visit %s: %w", v.Slug, err)
	}
	if _, err := t.tx.ExecContext(ctx, "DELETE FROM visit_innovations WHERE visit_id = ?", id); err != nil {
		return Unchanged, fmt.Errorf("save visit %s innovations: %w", v.Slug, err)
	}
	for i, iid := range innovationIDs {
		if _, err := t.tx.ExecContext(ctx, "INSERT INTO visit_innovations (visit_id, innovation_id, position) VALUES (?, ?, ?)", id, iid, i); err != nil {
			return Unchanged, fmt.Errorf("save visit %s innovations: %w", v.Slug, err)
		}
	}
	if _, err := t.tx.ExecContext(ctx, "DELETE FROM follow_ups WHERE visit_id = ?", id); err != nil {
		return Unchanged, fmt.Errorf("save visit %s follow-ups: %w", v.Slug, err)
	}
	for i, f := range v.FollowUps {
		if _, err := t.tx.ExecContext(ctx, "INSERT INTO follow_ups (visit_id, position, action, owner, due_date, status) VALUES (?, ?, ?, ?, ?, ?)",
			id, i, f.Action, f.Owner, f.DueDate, f.Status); err != nil {
			return Unchanged, fmt.Errorf("save visit %s follow-ups: %w", v.Slug, err)
		}
	}
	if err := t.revise(ctx, KindVisit, id, v.Slug, version, oldFull, full); err != nil {
		return Unchanged, err
	}
	return change, t.enqueue(ctx, KindVisit, id)
}

// SeenBy fits a visit's observed innovations, as sent by an editor who
// sees only some records, to what that editor may write: an innovation
// the editor may not read is reported as not found, as reading it would
// be (so a slug does not reveal that a record exists), and the stored
// visit's links to innovations the editor cannot see are kept. The API
// hands the editor a visit without those, and a client may send a record
// back as it got it; replacing the links wholesale dropped them.
func (t *Tx) SeenBy(ctx context.Context, v *kb.Visit, viewer kb.Viewer) error {
	if viewer.AllInternal {
		return nil
	}
	vis, args := innovationVisibleSQL(viewer, "innovations")
	verr := &kb.ValidationError{}
	for i, s := range v.Innovations {
		var n int
		if err := t.tx.QueryRowContext(ctx, "SELECT count(*) FROM innovations WHERE slug = ? AND "+vis, append([]any{s}, args...)...).Scan(&n); err != nil {
			return fmt.Errorf("find innovation %s: %w", s, err)
		}
		if n == 0 {
			verr.Errors = append(verr.Errors, kb.FieldError{Field: fmt.Sprintf("innovations[%d]", i),
				Message: kb.Text{ID: "inovasi \"" + s + "\" tidak ditemukan", EN: "innovation \"" + s + "\" not found"}})
		}
	}
	if len(verr.Errors) > 0 {
		return verr
	}
	seen, args := innovationVisibleSQL(viewer, "i")
	rows, err := t.tx.QueryContext(ctx, `SELECT i.slug, `+seen+` FROM visit_innovations vi JOIN visits v ON v.id = vi.visit_id
		JOIN innovations i ON i.id = vi.innovation_id WHERE v.slug = ? ORDER BY vi.position`,
		append(args, v.Slug)...)
	if err != nil {
		return fmt.Errorf("read innovations of visit %s: %w", v.Slug, err)
	}
	defer rows.Close()
	// The links the editor cannot see keep their places among the others:
	// the stored order is walked, each unseen link kept where it stands and
	// each seen place taken by the next link the editor sent, then the
	// rest of those. Appended at the end, a save of the unchanged visit
	// reordered it.
	sent := v.Innovations
	var merged []string
	for rows.Next() {
		var s string
		var visible bool
		if err := rows.Scan(&s, &visible); err != nil {
			return fmt.Errorf("read innovations of visit %s: %w", v.Slug, err)
		}
		switch {
		case !visible:
			merged = append(merged, s)
		case len(sent) > 0:
			merged = append(merged, sent[0])
			sent = sent[1:]
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read innovations of visit %s: %w", v.Slug, err)
	}
	v.Innovations = append(merged, sent...)
	return nil
}

// DeleteVisit removes a visit with its follow-ups; adoptions it triggered
// keep their history but lose the link. Its revisions stay.
func (t *Tx) DeleteVisit(ctx context.Context, slug string) error {
	var (
		id      int64
		version int
	)
	err := t.tx.QueryRowContext(ctx, "SELECT id, version FROM visits WHERE slug = ?", slug).Scan(&id, &version)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("visit %s: %w", slug, kb.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("read visit %s: %w", slug, err)
	}
	if _, err := t.tx.ExecContext(ctx, "DELETE FROM visits WHERE id = ?", id); err != nil {
		return fmt.Errorf("delete visit %s: %w", slug, err)
	}
	if err := t.revise(ctx, KindVisit, id, slug, version+1, []byte("{}"), nil); err != nil {
		return err
	}
	return t.enqueue(ctx, KindVisit, id)
}

// PutAdoption creates or replaces the adoption of a.Innovation by a.Region,
// history included. a must have passed Validate.
// Adoption returns region's adoption of the innovation with slug as stored,
// or nil when the region has none. Read in the transaction, a step added to
// its history cannot race another step: read before it, the history of two
// steps sent at once kept only the step written last.
func (t *Tx) Adoption(ctx context.Context, slug, region string) (*kb.Adoption, error) {
	var id int64
	err := t.tx.QueryRowContext(ctx, `SELECT ad.id FROM adoptions ad JOIN innovations i ON i.id = ad.innovation_id
		WHERE i.slug = ? AND ad.region_code = ?`, slug, region).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find adoption of %s by %s: %w", slug, region, err)
	}
	rec, err := loadAdoption(ctx, t.tx, id)
	if err != nil {
		return nil, err
	}
	return &rec.Adoption, nil
}

func (t *Tx) PutAdoption(ctx context.Context, a *kb.Adoption) (Change, error) {
	var (
		innovationID int64
		owner        string
	)
	err := t.tx.QueryRowContext(ctx, "SELECT id, region_code FROM innovations WHERE slug = ?", a.Innovation).Scan(&innovationID, &owner)
	if errors.Is(err, sql.ErrNoRows) {
		return Unchanged, kb.Invalid("innovation", "inovasi \""+a.Innovation+"\" tidak ditemukan", "innovation \""+a.Innovation+"\" not found")
	}
	if err != nil {
		return Unchanged, fmt.Errorf("find innovation %s: %w", a.Innovation, err)
	}
	if a.Region == owner {
		// Replication is one region taking up another's innovation; the
		// owner's own progress is the innovation's stage.
		return Unchanged, kb.Invalid("region", "wilayah ini pemilik inovasinya; adopsi dicatat untuk wilayah lain yang meniru (tahap inovasi di wilayahnya sendiri ada di halaman inovasi)",
			"this region owns the innovation; adoptions are for other regions that take it up (its own progress is the innovation's stage)")
	}
	var visitID sql.NullInt64
	if a.Visit != "" {
		err := t.tx.QueryRowContext(ctx, "SELECT id FROM visits WHERE slug = ?", a.Visit).Scan(&visitID)
		if errors.Is(err, sql.ErrNoRows) {
			return Unchanged, kb.Invalid("visit", "kunjungan \""+a.Visit+"\" tidak ditemukan", "visit \""+a.Visit+"\" not found")
		}
		if err != nil {
			return Unchanged, fmt.Errorf("find visit %s: %w", a.Visit, err)
		}
	}
	full, err := json.Marshal(a)
	if err != nil {
		return Unchanged, fmt.Errorf("encode adoption: %w", err)
	}
	var id int64
	err = t.tx.QueryRowContext(ctx, "SELECT id FROM adoptions WHERE innovation_id = ? AND region_code = ?", innovationID, a.Region).Scan(&id)
	exists := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Unchanged, fmt.Errorf("read adoption: %w", err)
	}
	var oldFull []byte
	var version int
	if exists {
		old, err := loadAdoption(ctx, t.tx, id)
		if err != nil {
			return Unchanged, err
		}
		oldFull, _ = json.Marshal(old.Adoption)
		if bytes.Equal(oldFull, full) {
			return Unchanged, nil
		}
		if err := t.tx.QueryRowContext(ctx, "SELECT coalesce(max(version), 0) FROM revisions WHERE kind = ? AND record_id = ?", KindAdoption, id).Scan(&version); err != nil {
			return Unchanged, fmt.Errorf("read adoption version: %w", err)
		}
	}
	version++
	change := Updated
	if exists {
		_, err = t.tx.ExecContext(ctx, `UPDATE adoptions SET status = ?, degree = ?, visit_id = ?, status_date = ?, note = ?, updated_at = ? WHERE id = ?`,
			a.Status, a.Degree, visitID, a.Date, a.Note, t.now, id)
	} else {
		change = Created
		var res sql.Result
		res, err = t.tx.ExecContext(ctx, `INSERT INTO adoptions (innovation_id, region_code, status, degree, visit_id, status_date, note, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, innovationID, a.Region, a.Status, a.Degree, visitID, a.Date, a.Note, t.now, t.now)
		if err == nil {
			id, err = res.LastInsertId()
		}
	}
	if err != nil {
		return Unchanged, fmt.Errorf("save adoption of %s by %s: %w", a.Innovation, a.Region, err)
	}
	if _, err := t.tx.ExecContext(ctx, "DELETE FROM adoption_events WHERE adoption_id = ?", id); err != nil {
		return Unchanged, fmt.Errorf("save adoption history: %w", err)
	}
	for i, e := range a.History {
		if _, err := t.tx.ExecContext(ctx, "INSERT INTO adoption_events (adoption_id, position, status, date, note, by) VALUES (?, ?, ?, ?, ?, ?)",
			id, i, e.Status, e.Date, e.Note, e.By); err != nil {
			return Unchanged, fmt.Errorf("save adoption history: %w", err)
		}
	}
	if err := t.revise(ctx, KindAdoption, id, a.Innovation+"@"+a.Region, version, oldFull, full); err != nil {
		return Unchanged, err
	}
	// Adoption counts and statuses are facets of the innovation's document.
	return change, t.enqueue(ctx, KindInnovation, innovationID)
}

// Exists reports whether a record of kind (innovation or visit) has slug,
// inside the transaction, so a create cannot race another create.
func (t *Tx) Exists(ctx context.Context, kind, slug string) (bool, error) {
	return exists(ctx, t.tx, kind, slug)
}

// InnovationVisible reports whether an innovation with slug exists that v
// may read: for the check a visit's write makes again (see SeenBy), made
// first so that a form can name every problem at once. An innovation v may
// not read is answered as one that does not exist.
func (db *DB) InnovationVisible(ctx context.Context, slug string, v kb.Viewer) (bool, error) {
	vis, args := innovationVisibleSQL(v, "innovations")
	var n int
	if err := db.reader.QueryRowContext(ctx, "SELECT count(*) FROM innovations WHERE slug = ? AND "+vis, append([]any{slug}, args...)...).Scan(&n); err != nil {
		return false, fmt.Errorf("check innovation %s: %w", slug, err)
	}
	return n > 0, nil
}

// InnovationsTitled returns the slugs of at most limit innovations v may
// read whose title is title, in any case: an organiser names what the
// delegation saw by its title, as the visit's write-up does, not by the
// address of its page.
func (db *DB) InnovationsTitled(ctx context.Context, title string, v kb.Viewer, limit int) ([]string, error) {
	vis, args := innovationVisibleSQL(v, "innovations")
	rows, err := db.reader.QueryContext(ctx, "SELECT slug FROM innovations WHERE title = ? COLLATE NOCASE AND "+vis+" ORDER BY slug LIMIT ?",
		append(append([]any{title}, args...), limit)...)
	if err != nil {
		return nil, fmt.Errorf("innovations titled %q: %w", title, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var slug string
		if err := rows.Scan(&slug); err != nil {
			return nil, fmt.Errorf("innovations titled %q: %w", title, err)
		}
		out = append(out, slug)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("innovations titled %q: %w", title, err)
	}
	return out, nil
}

// recordTable is the table that holds records of kind.
func recordTable(kind string) (string, error) {
	switch kind {
	case KindInnovation:
		return "innovations", nil
	case KindVisit:
		return "visits", nil
	}
	return "", fmt.Errorf("unknown kind %q", kind)
}

func exists(ctx context.Context, q querier, kind, slug string) (bool, error) {
	table, err := recordTable(kind)
	if err != nil {
		return false, err
	}
	var n int
	if err := q.QueryRowContext(ctx, "SELECT count(*) FROM "+table+" WHERE slug = ?", slug).Scan(&n); err != nil {
		return false, fmt.Errorf("check %s %s: %w", kind, slug, err)
	}
	return n > 0, nil
}

// Version returns the stored version of a record (0 when there is none),
// read in the transaction: a check against it there cannot race with
// another save.
func (t *Tx) Version(ctx context.Context, kind, slug string) (int, error) {
	return version(ctx, t.tx, kind, slug)
}

func version(ctx context.Context, q querier, kind, slug string) (int, error) {
	table, err := recordTable(kind)
	if err != nil {
		return 0, err
	}
	var v int
	err = q.QueryRowContext(ctx, "SELECT version FROM "+table+" WHERE slug = ?", slug).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read version of %s %s: %w", kind, slug, err)
	}
	return v, nil
}

// nextVersion is the version a new record with slug starts at: 1, or, when
// a deleted record had the slug, the one after its last revision, so that
// the slug's history reads in order ("versi 1, versi 2 dihapus, versi 3"
// rather than starting again at 1).
func (t *Tx) nextVersion(ctx context.Context, kind, slug string) (int, error) {
	var last int
	if err := t.tx.QueryRowContext(ctx, "SELECT coalesce(max(version), 0) FROM revisions WHERE kind = ? AND slug = ?", kind, slug).Scan(&last); err != nil {
		return 0, fmt.Errorf("read versions of %s %s: %w", kind, slug, err)
	}
	return last + 1, nil
}

// submissionKeep is how long a form's submission is remembered.
const submissionKeep = 24 * 60 * 60

// Submitted returns the slug of the record that the form submission id,
// sent by userID with these contents (digest), already saved; ok is false
// when it saved none, or when the record has changed or gone since (then
// sending the form again is a save of its own, refused as stale or made
// anew as any other). The same id with other contents is a new save too.
func (db *DB) Submitted(ctx context.Context, id string, userID int64, digest string) (slug string, ok bool, err error) {
	return submitted(ctx, db.reader, id, userID, digest, db.now().Unix())
}

// Submitted is DB.Submitted inside the transaction, so that two copies of
// one form sent at once find each other.
func (t *Tx) Submitted(ctx context.Context, id string, userID int64, digest string) (slug string, ok bool, err error) {
	return submitted(ctx, t.tx, id, userID, digest, t.unix)
}

func submitted(ctx context.Context, q querier, id string, userID int64, digest string, now int64) (string, bool, error) {
	var (
		kind, slug string
		saved      int
	)
	err := q.QueryRowContext(ctx, "SELECT kind, slug, version FROM form_submissions WHERE id = ? AND user_id = ? AND digest = ? AND created_at > ?",
		id, userID, digest, now-submissionKeep).Scan(&kind, &slug, &saved)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read form submission: %w", err)
	}
	current, err := version(ctx, q, kind, slug)
	if err != nil {
		return "", false, err
	}
	return slug, current == saved, nil
}

// RecordSubmission remembers that the form submission id, sent by userID,
// saved the record of kind with slug at its version now, and forgets
// those past submissionKeep. It is keyed by account too, so an id copied
// from another account's page replaces nothing of theirs.
func (t *Tx) RecordSubmission(ctx context.Context, id string, userID int64, digest, kind, slug string) error {
	version, err := t.Version(ctx, kind, slug)
	if err != nil {
		return err
	}
	if _, err := t.tx.ExecContext(ctx, "DELETE FROM form_submissions WHERE created_at <= ?", t.unix-submissionKeep); err != nil {
		return fmt.Errorf("forget old form submissions: %w", err)
	}
	if _, err := t.tx.ExecContext(ctx, `INSERT OR REPLACE INTO form_submissions (id, user_id, digest, kind, slug, version, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, id, userID, digest, kind, slug, version, t.unix); err != nil {
		return fmt.Errorf("record form submission: %w", err)
	}
	return nil
}
