//go:build !unix

package sqlite

import (
	"errors"
	"os"
)

// tryLock cannot lock here: a backup's partial file is then never taken
// for abandoned, and is left for its owner (see removeAbandonedPartials).
func tryLock(f *os.File) (bool, error) {
	return false, errors.ErrUnsupported
}
