package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"tiru/content"
	"tiru/internal/auth"
	"tiru/internal/ingest"
	"tiru/internal/sqlite"
	"tiru/internal/synthetic"
)

// loadAgency and loadRegion are where the generated innovations that the
// writes update live, so the organiser's token may change them.
const (
	loadAgency = "Dinas Komunikasi dan Informatika Beban Uji"
	loadRegion = "63.03"
)

// seedData writes n synthetic innovations into the data folder in one
// transaction, plus an organiser account for the writes, and prints its
// token.
func seedData(ctx context.Context, out io.Writer, data string, n int, seed uint64, email string) error {
	ref, err := ingest.LoadReference(content.Regions(), content.Aliases(), content.Urusan())
	if err != nil {
		return err
	}
	db, err := sqlite.Open(ctx, filepath.Join(data, "tiru.db"), sqlite.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.SyncReference(ctx, ref.Regions, ref.Urusan); err != nil {
		return err
	}
	start := time.Now()
	var records []ingest.Record
	for i, in := range synthetic.Innovations(seed, n) {
		if i%10 == 0 {
			// A tenth belong to the load agency, for the writes to update.
			in.Region, in.Agency = loadRegion, loadAgency
		}
		records = append(records, ingest.Record{Kind: ingest.KindInnovation, File: "synthetic", Line: i + 1, Innovation: in})
	}
	if _, err := ingest.Import(ctx, db, ref.Ref, records, "load-seed"); err != nil {
		return err
	}
	hash, err := auth.HashPassword("beban uji tidak untuk produksi")
	if err != nil {
		return err
	}
	id, err := db.CreateUser(ctx, sqlite.Who{Name: "load-seed"}, sqlite.NewUser{Email: email, Name: "Load test", Role: "penyelenggara", Agency: loadAgency, Region: loadRegion, PasswordHash: hash})
	if err != nil {
		return err
	}
	secret, err := auth.NewSecret()
	if err != nil {
		return err
	}
	token := "tiru_" + secret
	if _, err := db.CreateToken(ctx, sqlite.Who{Name: "load-seed"}, id, "load test", auth.HashSecret(token), token[:10]); err != nil {
		return err
	}
	fmt.Fprintf(out, "seeded %d innovations into %s in %v\ntoken: %s\n", n, data, time.Since(start).Round(time.Millisecond), token)
	return nil
}
