package search

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Change is a pending outbox entry: a record that changed.
type Change struct {
	Seq      int64 // outbox position
	Kind     string
	RecordID int64
}

// Source is what the indexer needs from the database.
type Source interface {
	// Pending returns up to limit changes, oldest first.
	Pending(ctx context.Context, limit int) ([]Change, error)
	// Done removes applied changes.
	Done(ctx context.Context, seqs []int64) error
	// DoneUpTo removes every change up to seq, after a full rebuild.
	DoneUpTo(ctx context.Context, seq int64) error
	// LastSeq is the newest change.
	LastSeq(ctx context.Context) (int64, error)
	// Document loads a record as a document; nil when it no longer exists.
	Document(ctx context.Context, kind string, id int64) (*Document, error)
	// Documents calls fn for every record, from one snapshot.
	Documents(ctx context.Context, fn func(*Document) error) error
}

// Indexer keeps the index in step with the database by draining the outbox.
type Indexer struct {
	ix   *Index
	src  Source
	log  *slog.Logger
	wake chan struct{}
	// finish bounds the drain on shutdown (see Run).
	finish time.Duration
}

// NewIndexer returns an indexer; call Run to start it.
func NewIndexer(ix *Index, src Source, log *slog.Logger) *Indexer {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Indexer{ix: ix, src: src, log: log, wake: make(chan struct{}, 1), finish: finishDrain}
}

// SetFinish sets how long Run goes on applying changes once asked to stop
// (default finishDrain); call it before Run.
func (in *Indexer) SetFinish(d time.Duration) { in.finish = d }

// finishDrain is how long Run goes on applying changes once asked to stop.
// The outbox keeps the rest for the next start; draining a large import's
// backlog whole held a restart for most of a minute, past what service
// managers wait before killing.
const finishDrain = 5 * time.Second

// Notify wakes the indexer after a commit; it never blocks the writer.
func (in *Indexer) Notify() {
	select {
	case in.wake <- struct{}{}:
	default:
	}
}

// pollInterval also catches changes made by another process (tiru import
// while the server runs), which cannot notify this one.
const pollInterval = time.Second

// Run rebuilds the index first when it is not ready, then applies changes
// as they come until ctx ends, and then for at most finishDrain more; what
// is still pending is applied on the next start.
func (in *Indexer) Run(ctx context.Context) error {
	var compacting sync.WaitGroup
	defer compacting.Wait()
	// Until the rebuild succeeds searches answer "rebuilding"; each
	// failure is logged, so that the reason is found, and tried again.
	for wait := pollInterval; !in.ix.Ready(); wait = min(2*wait, maxRebuildWait) {
		err := in.rebuild(ctx)
		if err == nil {
			// Changes are applied while the new index is merged: they
			// would otherwise wait for the merge, some seconds at
			// 100,000 records.
			compacting.Go(func() {
				if err := in.compact(ctx); err != nil && ctx.Err() == nil {
					in.log.Warn("search index not compacted; searches stay a little slower until the next rebuild", "error", err)
				}
			})
			break
		}
		in.log.Error("search index rebuild failed; will retry", "error", err, "retry_in", wait.String())
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
	}
	t := time.NewTicker(pollInterval)
	defer t.Stop()
	// A failure that persists (a record that cannot be read) is logged
	// when it starts and when it ends, not every second.
	failing := ""
	for {
		if err := in.Drain(ctx); err != nil && ctx.Err() == nil {
			if err.Error() != failing {
				in.log.Error("search indexing failed; will retry", "error", err)
				failing = err.Error()
			}
		} else if failing != "" {
			in.log.Info("search indexing works again")
			failing = ""
		}
		select {
		case <-ctx.Done():
			// A batch cut short is applied again on the next start,
			// which is harmless (see Drain).
			fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), in.finish)
			defer cancel()
			if err := in.Drain(fctx); err != nil && fctx.Err() == nil {
				return err
			}
			return nil
		case <-in.wake:
		case <-t.C:
		}
	}
}

// maxRebuildWait caps the wait between tries of a failed rebuild.
const maxRebuildWait = time.Minute

// Drain applies every pending change in batches. A record that cannot be
// read stays pending, to be tried again on the next drain, and does not
// hold back the others; Drain then reports it.
func (in *Indexer) Drain(ctx context.Context) error {
	const batch = 500
	for {
		changes, err := in.src.Pending(ctx, batch)
		if err != nil || len(changes) == 0 {
			return err
		}
		var (
			docs     []*Document
			deletes  []string
			seqs     []int64
			seen     = map[string]bool{}
			unread   []string
			firstErr error
		)
		for _, c := range changes {
			id := DocID(c.Kind, c.RecordID)
			if seen[id] {
				seqs = append(seqs, c.Seq)
				continue
			}
			seen[id] = true
			d, err := in.src.Document(ctx, c.Kind, c.RecordID)
			if err != nil {
				unread = append(unread, id)
				firstErr = cmp.Or(firstErr, err)
				continue
			}
			seqs = append(seqs, c.Seq)
			if d == nil {
				deletes = append(deletes, id)
			} else {
				docs = append(docs, d)
			}
		}
		if err := in.ix.Apply(docs, deletes); err != nil {
			return err
		}
		// Acknowledge only after the batch is on disk: a crash in between
		// re-applies the same changes, which is harmless.
		if err := in.src.Done(ctx, seqs); err != nil {
			return err
		}
		if len(unread) > 0 {
			// Reading on would fetch the same unreadable records again.
			return fmt.Errorf("%d records could not be read for the index (%v): %w", len(unread), unread[:min(len(unread), 5)], firstErr)
		}
		if len(changes) < batch {
			return nil
		}
	}
}

// rebuildBatch is how many documents a rebuild writes at a time.
const rebuildBatch = 500

// Rebuild empties the index and fills it from the database, then merges
// what it wrote into one segment (see Index.Compact). Searches answer
// ErrNotReady until the records are in; pages that read the database keep
// working.
func (in *Indexer) Rebuild(ctx context.Context) error {
	if err := in.rebuild(ctx); err != nil {
		return err
	}
	return in.compact(ctx)
}

// compact merges the index into one segment and logs how long it took.
func (in *Indexer) compact(ctx context.Context) error {
	start := time.Now()
	if err := in.ix.Compact(ctx); err != nil {
		return err
	}
	in.log.Info("search index compacted", "seconds", time.Since(start).Seconds())
	return nil
}

// rebuild empties the index and fills it from the database.
func (in *Indexer) rebuild(ctx context.Context) error {
	start := time.Now()
	if in.ix.Ready() {
		if err := in.ix.Reset(); err != nil {
			return err
		}
	}
	upTo, err := in.src.LastSeq(ctx)
	if err != nil {
		return err
	}
	batches := make(chan []*Document, loadWorkers)
	loaded := make(chan error, 1)
	go func() { loaded <- in.ix.Load(batches) }()
	var (
		docs []*Document
		n    int
	)
	err = in.src.Documents(ctx, func(d *Document) error {
		docs = append(docs, d)
		n++
		if len(docs) == rebuildBatch {
			batches <- docs
			docs = nil
		}
		return nil
	})
	if len(docs) > 0 {
		batches <- docs
	}
	close(batches)
	if lerr := <-loaded; err == nil {
		err = lerr
	}
	if err != nil {
		return fmt.Errorf("rebuild search index: %w", err)
	}
	if err := in.ix.MarkReady(); err != nil {
		return err
	}
	// The snapshot was taken after every change up to upTo committed.
	if err := in.src.DoneUpTo(ctx, upTo); err != nil {
		return err
	}
	in.log.Info("search index rebuilt", "documents", n, "seconds", time.Since(start).Seconds())
	return nil
}
