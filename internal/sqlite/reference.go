package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"tiru/internal/kb"
)

// SyncReference makes the regions and urusan tables equal to the embedded
// reference data. Rows still referenced are updated, never deleted, so a
// region dropped from the list cannot orphan stored records.
func (db *DB) SyncReference(ctx context.Context, regions []kb.Region, urusan []kb.Urusan) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		rs, err := tx.PrepareContext(ctx, `INSERT INTO regions (code, name, level, province_code) VALUES (?, ?, ?, ?)
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level, province_code = excluded.province_code
			WHERE (name, level, province_code) IS NOT (excluded.name, excluded.level, excluded.province_code)`)
		if err != nil {
			return fmt.Errorf("prepare regions: %w", err)
		}
		defer rs.Close()
		for _, r := range regions {
			if _, err := rs.ExecContext(ctx, r.Code, r.Name, r.Level, r.ProvinceCode); err != nil {
				return fmt.Errorf("region %s: %w", r.Code, err)
			}
		}
		us, err := tx.PrepareContext(ctx, `INSERT INTO urusan (code, name_id, name_en) VALUES (?, ?, ?)
			ON CONFLICT (code) DO UPDATE SET name_id = excluded.name_id, name_en = excluded.name_en
			WHERE (name_id, name_en) IS NOT (excluded.name_id, excluded.name_en)`)
		if err != nil {
			return fmt.Errorf("prepare urusan: %w", err)
		}
		defer us.Close()
		for _, u := range urusan {
			if _, err := us.ExecContext(ctx, u.Code, u.NameID, u.NameEN); err != nil {
				return fmt.Errorf("urusan %s: %w", u.Code, err)
			}
		}
		return nil
	})
}
