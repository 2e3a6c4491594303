package web

import (
	"sync"
	"time"
)

// newTokenTTL bounds how long a freshly made API token waits, in memory,
// for the page that shows it once: that page is the redirect right after
// the form, so a few minutes is plenty, and a secret should not linger.
const newTokenTTL = 10 * time.Minute

// totpRevealTTL bounds how long the current password, typed to see the
// second-factor key, lets its session see the key and confirm it with a
// code: long enough to install an authenticator app, short enough that a
// browser left signed in afterwards does not show the key to whoever sits
// down at it next.
const totpRevealTTL = 15 * time.Minute

// sessionStash keeps short-lived state that must not travel through the
// browser: an API token waiting to be shown once on the page the form
// redirects to, keyed by the hash of the session id (the key the sessions
// table uses), the second-factor secret being set up, keyed by the
// account and its password (see totpSetupKey), and, under the session
// again, which of those secrets the session has typed the password to see.
// Never by anything the client chooses.
//
// It lives in memory because the sessions table has no room for it (and
// neither thing should be written to disk before it is confirmed). A
// restart forgets it: a second-factor setup then starts again with a new
// key, and a token not yet shown is never shown (its owner revokes it and
// makes another). Tiru runs as one process, so no other instance needs it.
type sessionStash struct {
	mu  sync.Mutex
	m   map[string]*stashEntry
	now func() time.Time
}

type stashEntry struct {
	totpSecret, totpURL string
	totpAt              time.Time
	newToken            string
	tokenAt             time.Time
	// revealedSetup and revealedSecret are the setup (see totpSetupKey)
	// and the secret the session typed the password to see, at
	// revealedAt.
	revealedSetup, revealedSecret string
	revealedAt                    time.Time
}

// empty reports whether the entry holds nothing left to keep.
func (e *stashEntry) empty() bool {
	return e.totpSecret == "" && e.newToken == "" && e.revealedSecret == ""
}

func newSessionStash() *sessionStash {
	return &sessionStash{m: map[string]*stashEntry{}, now: time.Now}
}

// entry returns the session's entry, creating it; the caller holds mu.
func (st *sessionStash) entry(session string) *stashEntry {
	e := st.m[session]
	if e == nil {
		e = &stashEntry{}
		st.m[session] = e
	}
	return e
}

// sweep drops what has outlived its use; the caller holds mu. No session
// lives longer than sessionAbsolute, so neither does its setup.
func (st *sessionStash) sweep(now time.Time) {
	for k, e := range st.m {
		if e.totpSecret != "" && now.Sub(e.totpAt) > sessionAbsolute {
			e.totpSecret, e.totpURL = "", ""
		}
		if e.newToken != "" && now.Sub(e.tokenAt) > newTokenTTL {
			e.newToken = ""
		}
		if e.revealedSecret != "" && now.Sub(e.revealedAt) > totpRevealTTL {
			e.revealedSetup, e.revealedSecret = "", ""
		}
		if e.empty() {
			delete(st.m, k)
		}
	}
}

// pendingTOTP returns the second-factor secret (and its otpauth link) this
// session is setting up, if any.
func (st *sessionStash) pendingTOTP(session string) (secret, url string, ok bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	e := st.m[session]
	if e == nil || e.totpSecret == "" || st.now().Sub(e.totpAt) > sessionAbsolute {
		return "", "", false
	}
	return e.totpSecret, e.totpURL, true
}

func (st *sessionStash) setPendingTOTP(session, secret, url string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	now := st.now()
	st.sweep(now)
	e := st.entry(session)
	e.totpSecret, e.totpURL, e.totpAt = secret, url, now
}

// clearTOTP ends a setup, confirmed or cancelled.
func (st *sessionStash) clearTOTP(session string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if e := st.m[session]; e != nil {
		e.totpSecret, e.totpURL = "", ""
		if e.empty() {
			delete(st.m, session)
		}
	}
}

// revealTOTP records that the session typed the account's password to see
// the secret of the setup.
func (st *sessionStash) revealTOTP(session, setup, secret string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	now := st.now()
	st.sweep(now)
	e := st.entry(session)
	e.revealedSetup, e.revealedSecret, e.revealedAt = setup, secret, now
}

// totpRevealed reports whether the session typed the password, within
// totpRevealTTL, to see this very secret of this setup: a new key (the
// setup cancelled and begun again) or a new password asks for it again.
func (st *sessionStash) totpRevealed(session, setup, secret string) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	e := st.m[session]
	return e != nil && e.revealedSecret != "" && e.revealedSetup == setup && e.revealedSecret == secret &&
		st.now().Sub(e.revealedAt) <= totpRevealTTL
}

// hideTOTP forgets that the session saw a secret, once its setup is
// confirmed or cancelled.
func (st *sessionStash) hideTOTP(session string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if e := st.m[session]; e != nil {
		e.revealedSetup, e.revealedSecret = "", ""
		if e.empty() {
			delete(st.m, session)
		}
	}
}

// putNewToken keeps a token just made until the session's next account
// page shows it.
func (st *sessionStash) putNewToken(session, token string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	now := st.now()
	st.sweep(now)
	e := st.entry(session)
	e.newToken, e.tokenAt = token, now
}

// takeNewToken returns the token waiting to be shown and forgets it, so it
// is shown once.
func (st *sessionStash) takeNewToken(session string) (string, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	e := st.m[session]
	if e == nil || e.newToken == "" {
		return "", false
	}
	token, fresh := e.newToken, st.now().Sub(e.tokenAt) <= newTokenTTL
	e.newToken = ""
	if e.empty() {
		delete(st.m, session)
	}
	if !fresh {
		return "", false
	}
	return token, true
}

// forget drops everything of a session that ended.
func (st *sessionStash) forget(session string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	delete(st.m, session)
}
