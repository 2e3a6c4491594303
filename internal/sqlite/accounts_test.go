package sqlite_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"tiru/internal/kb"
	"tiru/internal/sqlite"
)

// A token's use is written down at most once a minute: an API client that
// calls many times a second must not write to the database each time.
func TestTokenUseIsRecordedOnceAMinute(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	db := openDB(t, sqlite.Options{Now: func() time.Time { return now }})
	who := sqlite.Who{Name: "test"}
	uid := createAni(t, db, who)
	if _, err := db.CreateToken(ctx, who, uid, "cli", "hash-1", "tiru_ab"); err != nil {
		t.Fatal(err)
	}
	lastUsed := func() time.Time {
		t.Helper()
		ts, err := db.ListTokens(ctx, uid)
		if err != nil || len(ts) != 1 {
			t.Fatalf("tokens: %v %v", ts, err)
		}
		return ts[0].LastUsedAt
	}
	use := func() {
		t.Helper()
		u, err := db.TokenUser(ctx, "hash-1")
		if err != nil || u.Email != "ani@banjarkab.go.id" {
			t.Fatalf("TokenUser: %v, %v", u, err)
		}
	}
	use()
	first := now
	if got := lastUsed(); !got.Equal(first) {
		t.Fatalf("last used %v, want %v", got, first)
	}
	now = now.Add(30 * time.Second)
	use()
	if got := lastUsed(); !got.Equal(first) {
		t.Errorf("a use 30 s later rewrote the last-used time: %v", got)
	}
	now = now.Add(45 * time.Second)
	use()
	if got := lastUsed(); !got.Equal(now) {
		t.Errorf("a use 75 s later left the last-used time at %v, want %v", got, now)
	}
}

// The same search saved twice is kept once, under the name given last.
func TestSavingASearchTwiceKeepsOne(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, sqlite.Options{})
	who := sqlite.Who{Name: "test"}
	uid := createAni(t, db, who)
	for _, name := range []string{"wifi", "wifi taman"} {
		if err := db.SaveSearch(ctx, who, uid, name, "q=wifi+gratis"); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SaveSearch(ctx, who, uid, "ktp", "q=ktp"); err != nil {
		t.Fatal(err)
	}
	saved, err := db.SavedSearches(ctx, uid)
	if err != nil {
		t.Fatal(err)
	}
	if len(saved) != 2 || saved[1].Name != "wifi taman" {
		t.Errorf("saved %+v, want two searches, the wifi one named as last given", saved)
	}
}

// A saved search deleted is never replaced under its id: a delete sent
// again from an account page left open elsewhere then removes nothing,
// not the search saved since.
func TestDeletedSavedSearchIDIsNeverReused(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, sqlite.Options{})
	who := sqlite.Who{Name: "test"}
	uid := createAni(t, db, who)
	newest := func() int64 {
		saved, err := db.SavedSearches(ctx, uid)
		if err != nil || len(saved) == 0 {
			t.Fatalf("saved searches: %+v (%v)", saved, err)
		}
		return saved[0].ID
	}
	for _, q := range []string{"q=wifi", "q=ktp"} {
		if err := db.SaveSearch(ctx, who, uid, q, q); err != nil {
			t.Fatal(err)
		}
	}
	gone := newest()
	if err := db.DeleteSavedSearch(ctx, who, uid, gone); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveSearch(ctx, who, uid, "posyandu", "q=posyandu"); err != nil {
		t.Fatal(err)
	}
	if got := newest(); got == gone {
		t.Fatalf("the search saved after deleting %d took its id", gone)
	}
	if err := db.DeleteSavedSearch(ctx, who, uid, gone); !errors.Is(err, kb.ErrNotFound) {
		t.Errorf("deleting %d again: %v, want not found", gone, err)
	}
	if saved, _ := db.SavedSearches(ctx, uid); len(saved) != 2 {
		t.Errorf("after deleting a deleted search again: %d saved, want 2", len(saved))
	}
}

// createAni creates the account the tests of this file act for.
func createAni(t *testing.T, db *sqlite.DB, who sqlite.Who) int64 {
	t.Helper()
	uid, err := db.CreateUser(context.Background(), who, sqlite.NewUser{Email: "ani@banjarkab.go.id", Name: "Ani", Role: "admin", PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	return uid
}
