package search

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	bolterrors "go.etcd.io/bbolt/errors"
)

// ErrLocked means another process (a running `tiru serve`) holds the index.
var ErrLocked = errors.New("the search index is in use by another Tiru process (a running `tiru serve`)")

// ErrNotReady means the index is being (re)built and cannot answer yet.
var ErrNotReady = errors.New("the search index is being rebuilt")

// ErrClosed means the index was closed, or a rebuild could not create it
// again.
var ErrClosed = errors.New("the search index is closed")

const versionKey = "tiru_mapping_version"

// Options configure Open.
type Options struct {
	// LockTimeout bounds the wait for another process's lock (default 500 ms),
	// so a second process fails fast instead of hanging.
	LockTimeout time.Duration
	Synonyms    *Synonyms
	Logger      *slog.Logger
	// Inspect opens an existing index as it is: a missing, unreadable or
	// outdated one is ErrNeedsRebuild and is left untouched (for checks).
	Inspect bool
	// Budget bounds the time of one search (default DefaultBudget); a
	// search that needs longer ends with ErrTooBroad.
	Budget time.Duration
}

// DefaultBudget is how long one search may take. The broadest realistic
// searches take about a third of a second at 100,000 records on two cores;
// a query of two dozen common words can take seconds, and would hold a
// core that long for each request.
const DefaultBudget = 2 * time.Second

// ErrTooBroad means a search did not finish within its time budget.
var ErrTooBroad = errors.New("search took longer than its time budget")

// ErrNeedsRebuild means the index is missing, unreadable or built with
// another mapping, and Inspect forbade replacing it.
var ErrNeedsRebuild = errors.New("the search index is missing, unreadable or outdated; run `tiru reindex` or start `tiru serve`")

// Index is the open search index. It is safe for concurrent use.
type Index struct {
	path    string
	opt     Options
	version string
	log     *slog.Logger

	mu    sync.RWMutex // guards idx against the swap at the end of a rebuild
	idx   bleve.Index
	ready atomic.Bool

	facets facetColumns // facet values of the snapshot searched last

	cores   cores // spare cores, for searches run in parts
	splitAt int   // records from which a search runs in parts (see splitRecords)

	visits  visitWords        // the words that ask for visits
	fields  []string          // the fields the mapping indexes (see withStatistics)
	english analysis.Analyzer // the English fields' analyzer, to tell an English word from a typo
	thes    thesaurus         // the synonym sources' half of the list (see thesaurus)
}

// Open opens the index at path, creating it if needed. fresh reports that
// the index holds nothing trustworthy (it is new, was built with another
// mapping, or could not be read) and must be filled from the database; the
// index then answers ErrNotReady until MarkReady. A lock held by another
// process is ErrLocked.
func Open(path string, opt Options) (ix *Index, fresh bool, err error) {
	if opt.LockTimeout <= 0 {
		opt.LockTimeout = 500 * time.Millisecond
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Synonyms == nil {
		opt.Synonyms = &Synonyms{}
	}
	version, err := MappingVersion()
	if err != nil {
		return nil, false, err
	}
	m, err := newMapping()
	if err != nil {
		return nil, false, err
	}
	thes, err := newThesaurus(opt.Synonyms, m)
	if err != nil {
		return nil, false, err
	}
	ix = &Index{path: path, opt: opt, version: version, log: opt.Logger, cores: newCores(), splitAt: splitRecords,
		visits: newVisitWords(opt.Synonyms), fields: indexedFields(m), english: m.AnalyzerNamed(AnalyzerEN), thes: thes}
	idx, err := openExisting(path, opt.LockTimeout)
	switch {
	case err == nil:
		v, verr := idx.GetInternal([]byte(versionKey))
		if verr == nil && string(v) == version {
			ix.idx = idx
			ix.ready.Store(true)
			return ix, false, nil
		}
		idx.Close()
		if opt.Inspect {
			return nil, false, ErrNeedsRebuild
		}
		if len(v) == 0 {
			// No version recorded: a build stopped before it finished
			// (the version is written last, see MarkReady).
			ix.log.Warn("search index build was not finished; rebuilding")
		} else {
			ix.log.Warn("search index built with another mapping; rebuilding", "have", string(v), "want", version)
		}
	case errors.Is(err, bolterrors.ErrTimeout):
		return nil, false, ErrLocked
	case opt.Inspect:
		return nil, false, ErrNeedsRebuild
	case errors.Is(err, bleve.ErrorIndexPathDoesNotExist), errors.Is(err, bleve.ErrorIndexMetaMissing):
	default:
		ix.log.Warn("search index unreadable; rebuilding", "error", err)
	}
	if err := ix.create(); err != nil {
		return nil, false, err
	}
	return ix, true, nil
}

// openExisting opens the index on disk. Bleve can panic on segment files
// whose bytes are damaged (a bad sector, a torn copy); that is one more way
// for derived data to be unreadable, so it becomes an error and the caller
// rebuilds instead of the server failing to start.
func openExisting(path string, lockTimeout time.Duration) (idx bleve.Index, err error) {
	defer func() {
		if v := recover(); v != nil {
			idx, err = nil, fmt.Errorf("open search index: damaged files: %v", v)
		}
	}()
	return bleve.OpenUsing(path, map[string]interface{}{"bolt_timeout": lockTimeout.String()})
}

// create replaces whatever is at the index path with a new, empty index.
func (ix *Index) create() error {
	if _, err := os.Stat(ix.path); err == nil {
		// Move the old index aside in one rename before deleting it, so a
		// crash during the deletion never leaves half an index at the
		// path. It is derived data, removed once the new index exists.
		aside := ix.path + ".old"
		if err := os.RemoveAll(aside); err != nil {
			return fmt.Errorf("remove old search index: %w", err)
		}
		if err := os.Rename(ix.path, aside); err != nil {
			return fmt.Errorf("move old search index aside: %w", err)
		}
		defer os.RemoveAll(aside)
	}
	m, err := newMapping()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(ix.path), 0o750); err != nil {
		return fmt.Errorf("create index folder: %w", err)
	}
	idx, err := bleve.NewUsing(ix.path, m, scorch.Name, scorch.Name, map[string]interface{}{"bolt_timeout": ix.opt.LockTimeout.String()})
	if err != nil {
		return fmt.Errorf("create search index: %w", err)
	}
	ix.mu.Lock()
	ix.idx = idx
	ix.mu.Unlock()
	return nil
}

// Reset empties the index for a full rebuild; searches answer ErrNotReady
// until MarkReady.
func (ix *Index) Reset() error {
	ix.ready.Store(false)
	ix.mu.Lock()
	if ix.idx != nil {
		ix.idx.Close()
		ix.idx = nil
	}
	ix.mu.Unlock()
	return ix.create()
}

// MarkReady records the mapping version in the index (so a restart trusts
// it) and lets searches through.
func (ix *Index) MarkReady() error {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.idx == nil {
		return ErrClosed
	}
	if err := ix.idx.SetInternal([]byte(versionKey), []byte(ix.version)); err != nil {
		return fmt.Errorf("record index version: %w", err)
	}
	ix.ready.Store(true)
	return nil
}

// Compact merges the index's segments into one and returns once it has.
// A rebuild leaves Bleve's tiers of segments (eleven at 100,000 records),
// and every search looks each of its terms up in each segment and moves
// each term's postings through each: at 100,000 records a search over one
// segment took a sixth less CPU (the merge itself, about 4 s). Searches
// and writes go on meanwhile; segments written later are merged in tiers
// again, as Bleve always does. Until the merge ends the old segments stay
// on disk beside the new one, about half as much space again. Closing the
// index stops a merge under way, which is then left for the next rebuild:
// the index is whole either way.
func (ix *Index) Compact(ctx context.Context) error {
	ix.mu.RLock()
	idx := ix.idx
	ix.mu.RUnlock()
	if idx == nil {
		return ErrClosed
	}
	adv, err := idx.Advanced()
	if err != nil {
		return fmt.Errorf("compact search index: %w", err)
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	// Without options Bleve merges into a single segment.
	if err := s.ForceMerge(ctx, nil); err != nil {
		return fmt.Errorf("compact search index: %w", err)
	}
	return nil
}

// Segments says how many segments the index's current snapshot has.
func (ix *Index) Segments() (int, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.idx == nil {
		return 0, ErrClosed
	}
	r, err := ix.reader()
	if err != nil {
		return 0, fmt.Errorf("open search index snapshot: %w", err)
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return 1, nil
	}
	return len(snap.Segments()), nil
}

// Ready reports whether the index answers searches.
func (ix *Index) Ready() bool { return ix.ready.Load() }

// Close closes the index.
func (ix *Index) Close() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.idx == nil {
		return nil
	}
	err := ix.idx.Close()
	ix.idx = nil
	return err
}

// Apply indexes docs and deletes ids in one batch; it returns once the batch
// is on disk.
func (ix *Index) Apply(docs []*Document, deletes []string) error {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.idx == nil {
		return ErrClosed
	}
	b := ix.idx.NewBatch()
	for _, d := range docs {
		d.Sum = d.Fingerprint()
		if err := b.Index(DocID(d.Kind, d.ID), d); err != nil {
			return fmt.Errorf("index %s %s: %w", d.Kind, d.Slug, err)
		}
	}
	for _, id := range deletes {
		b.Delete(id)
	}
	if err := ix.idx.Batch(b); err != nil {
		return fmt.Errorf("write index batch: %w", err)
	}
	return nil
}

// loadWorkers is how many batches Load keeps in flight. Bleve analyses a
// batch's documents in parallel but builds its segment on one core, so a
// second batch analysed meanwhile keeps both cores of a small server busy.
const loadWorkers = 2

// Load indexes batches of documents as they arrive on batches, several at a
// time, until the channel is closed; it is the bulk path of a rebuild. On
// the first error it stops and drains the channel, so the sender never
// blocks.
func (ix *Index) Load(batches <-chan []*Document) error {
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
		stop  atomic.Bool
	)
	for range loadWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for docs := range batches {
				if stop.Load() {
					continue
				}
				if err := ix.Apply(docs, nil); err != nil {
					once.Do(func() { first = err })
					stop.Store(true)
				}
			}
		}()
	}
	wg.Wait()
	return first
}

// DocID is the index id of a record: its kind and database id.
func DocID(kind string, id int64) string { return fmt.Sprintf("%s:%d", kind, id) }

// Count returns how many records the index holds.
func (ix *Index) Count() (int, error) {
	ids, err := ix.IDs()
	return len(ids), err
}

// Fingerprints returns the id of every record in the index (not the
// synonym definitions stored beside them) with the Fingerprint of the
// document it was indexed from, for consistency checks.
func (ix *Index) Fingerprints() (map[string]string, error) {
	hits, err := ix.records(fSum)
	if err != nil {
		return nil, fmt.Errorf("list index fingerprints: %w", err)
	}
	out := make(map[string]string, len(hits))
	for _, h := range hits {
		sum, _ := h.Fields[fSum].(string)
		out[h.ID] = sum
	}
	return out, nil
}

// IDs returns the id of every record in the index (not the synonym
// definitions stored beside them), for consistency checks.
func (ix *Index) IDs() (map[string]bool, error) {
	hits, err := ix.records()
	if err != nil {
		return nil, fmt.Errorf("list index ids: %w", err)
	}
	out := make(map[string]bool, len(hits))
	for _, h := range hits {
		out[h.ID] = true
	}
	return out, nil
}

// records returns every record's hit, with the stored fields asked for.
func (ix *Index) records(fields ...string) ([]*search.DocumentMatch, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.idx == nil {
		return nil, ErrClosed
	}
	n, err := ix.idx.DocCount()
	if err != nil {
		return nil, err
	}
	req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), int(n)+1, 0, false)
	req.Fields = fields
	res, err := ix.idx.Search(req)
	if err != nil {
		return nil, err
	}
	return res.Hits, nil
}
