package sqlite

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing/fstest"
)

// OpenAt opens the database at path with the migrations up to version
// only, as the Tiru that shipped them left it, for tests of what a later
// migration does to such a database.
func OpenAt(ctx context.Context, path string, opt Options, version int) (*DB, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	files := fstest.MapFS{}
	for _, name := range names {
		v, err := strconv.Atoi(strings.SplitN(filepath.Base(name), "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s: %w", name, err)
		}
		if v > version {
			continue
		}
		b, err := migrationFiles.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", name, err)
		}
		files[name] = &fstest.MapFile{Data: b}
	}
	return open(ctx, path, opt, files)
}
