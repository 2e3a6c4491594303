// Package searchsource connects the search index to the database: it is the
// one place that knows both, so that neither imports the other.
package searchsource

import (
	"bytes"
	"context"
	"fmt"

	"tiru/content"
	"tiru/internal/ingest"
	"tiru/internal/markdown"
	"tiru/internal/search"
	"tiru/internal/sqlite"
)

// Source lets the search indexer read records from the database.
type Source struct {
	db      *sqlite.DB
	builder *search.Builder
}

// New returns a source over db, building documents with the reference data.
func New(db *sqlite.DB, ref *ingest.ReferenceData) *Source {
	aliases := map[string][]string{}
	for _, a := range ref.Aliases {
		aliases[a.Code] = append(aliases[a.Code], a.Alias)
	}
	return &Source{db: db, builder: &search.Builder{Ref: ref.Ref, Plain: markdown.Plain, Aliases: aliases}}
}

// Pending returns up to limit queued changes, oldest first (search.Source).
func (s *Source) Pending(ctx context.Context, limit int) ([]search.Change, error) {
	entries, err := s.db.Outbox(ctx, limit)
	out := make([]search.Change, len(entries))
	for i, e := range entries {
		out[i] = search.Change{Seq: e.ID, Kind: e.Kind, RecordID: e.RecordID}
	}
	return out, err
}

// Done removes applied changes from the queue (search.Source).
func (s *Source) Done(ctx context.Context, seqs []int64) error { return s.db.AckOutbox(ctx, seqs) }

// DoneUpTo removes every queued change up to seq, after a rebuild that
// read the database once they had all committed (search.Source).
func (s *Source) DoneUpTo(ctx context.Context, seq int64) error {
	return s.db.AckOutboxUpTo(ctx, seq)
}

// LastSeq is the newest queued change's number (search.Source).
func (s *Source) LastSeq(ctx context.Context) (int64, error) {
	last, _, _, err := s.db.OutboxState(ctx)
	return last, err
}

func (s *Source) document(r *sqlite.IndexRecord) *search.Document {
	if r.Innovation != nil {
		adopters := make([]search.Adopter, len(r.Adoptions))
		for i, a := range r.Adoptions {
			adopters[i] = search.Adopter{Region: a.Region, Status: a.Status}
		}
		return s.builder.Innovation(r.ID, r.Innovation, r.UpdatedAt, adopters)
	}
	titles := make([]string, len(r.Observed))
	for i, o := range r.Observed {
		titles[i] = o.Title
	}
	return s.builder.Visit(r.ID, r.Visit, r.UpdatedAt, titles, r.Files...)
}

// Document builds the index document of one record; nil when the record
// no longer exists, so the index drops it (search.Source).
func (s *Source) Document(ctx context.Context, kind string, id int64) (*search.Document, error) {
	r, err := s.db.RecordForIndex(ctx, kind, id)
	if err != nil || r == nil {
		return nil, err
	}
	return s.document(r), nil
}

// Documents calls fn with the document of every record, for a rebuild
// (search.Source).
func (s *Source) Documents(ctx context.Context, fn func(*search.Document) error) error {
	return s.db.EachRecordForIndex(ctx, func(r *sqlite.IndexRecord) error { return fn(s.document(r)) })
}

// Synonyms parses the embedded synonym list.
func Synonyms() (*search.Synonyms, error) {
	syn, err := search.ParseSynonyms(bytes.NewReader(content.Synonyms()))
	if err != nil {
		return nil, fmt.Errorf("load synonyms: %w", err)
	}
	return syn, nil
}
