package auth

import (
	"sync"
	"time"
)

// Throttle limits failed logins per account and per client address: after
// Max failures within Window, further attempts are refused until the oldest
// failure leaves the window. A success clears the account's failures.
type Throttle struct {
	Max    int
	Window time.Duration
	Now    func() time.Time

	mu       sync.Mutex
	failures map[string][]time.Time
	// fullUntil is when, with every key held locked out, the first of
	// them can be freed: until then a new key is not counted without
	// scanning the whole map for room again.
	fullUntil time.Time
}

// NewThrottle returns a throttle allowing max failures per window.
func NewThrottle(max int, window time.Duration) *Throttle {
	return &Throttle{Max: max, Window: window, Now: time.Now, failures: map[string][]time.Time{}}
}

func (t *Throttle) prune(key string, now time.Time) []time.Time {
	list := t.failures[key]
	keep := list[:0]
	for _, at := range list {
		if now.Sub(at) < t.Window {
			keep = append(keep, at)
		}
	}
	if len(keep) == 0 {
		delete(t.failures, key)
		return nil
	}
	t.failures[key] = keep
	return keep
}

// Wait returns how long key must wait before another attempt; zero means
// it may try now.
func (t *Throttle) Wait(key string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.Now()
	list := t.prune(key, now)
	if len(list) < t.Max {
		return 0
	}
	return t.Window - now.Sub(list[0])
}

// Fail records a failed attempt for key.
func (t *Throttle) Fail(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.Now()
	t.prune(key, now)
	t.fail(key, now)
}

// Take is Wait and, when there is no wait, Fail at once: the attempt about
// to be checked counts as a failure from the start, so that attempts sent
// together cannot all pass Wait before the first of them fails (a password
// check takes a fifth of a second, long enough for dozens of guesses). A
// success then calls Reset, or Forgive to take back its own count.
func (t *Throttle) Take(key string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.Now()
	if list := t.prune(key, now); len(list) >= t.Max {
		return t.Window - now.Sub(list[0])
	}
	t.fail(key, now)
	return 0
}

// Forgive takes back the latest attempt Take counted for key, for an
// attempt that turned out not to be a failure.
func (t *Throttle) Forgive(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if list := t.failures[key]; len(list) > 1 {
		t.failures[key] = list[:len(list)-1]
	} else {
		delete(t.failures, key)
	}
}

func (t *Throttle) fail(key string, now time.Time) {
	if _, held := t.failures[key]; !held && len(t.failures) >= maxThrottleKeys {
		if now.Before(t.fullUntil) {
			return
		}
		t.fullUntil = t.shed(now)
		if len(t.failures) >= maxThrottleKeys {
			// Every key held is locked out: the new one is not counted
			// (the per-address throttle and the rate limit still are),
			// so that memory stays bounded.
			return
		}
	}
	t.failures[key] = append(t.failures[key], now)
}

// maxThrottleKeys bounds the memory a throttle holds under an attack from
// many addresses or against many made-up accounts.
const maxThrottleKeys = 100000

// shed makes room: it drops the keys whose failures have all left the
// window, and the keys not locked out. Locked-out keys stay, so that
// flooding the throttle with new keys cannot lift a lockout (it used to
// empty the whole map). It returns the earliest time a key kept can change,
// when its oldest failure leaves the window.
func (t *Throttle) shed(now time.Time) time.Time {
	var next time.Time
	for k := range t.failures {
		list := t.prune(k, now)
		switch {
		case len(list) == 0:
		case len(list) < t.Max:
			delete(t.failures, k)
		default:
			if at := list[0].Add(t.Window); next.IsZero() || at.Before(next) {
				next = at
			}
		}
	}
	return next
}

// Reset clears key's failures, after a successful login.
func (t *Throttle) Reset(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.failures, key)
}
