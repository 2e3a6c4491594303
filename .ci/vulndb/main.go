// Command vulndb turns the OSV entries shipped in the golang.org/x/vulndb
// module (its data/osv/*.json) into a Go vulnerability database in the v1
// layout that `govulncheck -db file:///abs/path` reads:
//
//	index/db.json       {"modified": <newest entry or -modified>}
//	index/modules.json  [{"path", "vulns": [{"id", "modified", "fixed"}]}]
//	index/vulns.json    [{"id", "modified", "aliases"}]
//	ID/<ID>.json        the OSV entry itself (the input bytes, compacted)
//
// The layout is the one govulncheck documents for its database. The indexer
// x/vulndb ships is not used because building it pulls the whole module graph
// (Google Cloud, OpenTelemetry, go-git: ~900 MB). Only the standard library
// and golang.org/x/mod/semver are needed here. The uncompressed .json files
// are all a file:// source uses, so no .json.gz copies are written.
//
// The output goes to OUT.tmp first and is renamed to OUT when complete.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"time"

	"golang.org/x/mod/semver"
)

// entry holds the parts of an OSV entry that the indexes need.
type entry struct {
	ID       string     `json:"id"`
	Modified string     `json:"modified"`
	Aliases  []string   `json:"aliases"`
	Affected []affected `json:"affected"`
}

type affected struct {
	Package struct {
		Name      string `json:"name"`
		Ecosystem string `json:"ecosystem"`
	} `json:"package"`
	Ranges []struct {
		Type   string `json:"type"`
		Events []struct {
			Introduced string `json:"introduced"`
			Fixed      string `json:"fixed"`
		} `json:"events"`
	} `json:"ranges"`
}

type dbMeta struct {
	Modified string `json:"modified"`
}

type module struct {
	Path  string       `json:"path"`
	Vulns []moduleVuln `json:"vulns"`
}

type moduleVuln struct {
	ID       string `json:"id"`
	Modified string `json:"modified"`
	Fixed    string `json:"fixed,omitempty"`
}

type vuln struct {
	ID       string   `json:"id"`
	Modified string   `json:"modified"`
	Aliases  []string `json:"aliases,omitempty"`
}

func main() {
	osvDir := flag.String("osv", "", "directory of OSV entries (x/vulndb's data/osv)")
	outDir := flag.String("out", "", "directory to write the v1 database to (replaced)")
	stamp := flag.String("modified", "", "RFC 3339 time for index/db.json if later than every entry's (e.g. the x/vulndb commit time)")
	flag.Parse()
	if *osvDir == "" || *outDir == "" || flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	n, err := build(*osvDir, *outDir, *stamp)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("vulndb: %d entries written to %s\n", n, *outDir)
}

func build(osvDir, outDir, stamp string) (int, error) {
	names, err := filepath.Glob(filepath.Join(osvDir, "*.json"))
	if err != nil {
		return 0, err
	}
	if len(names) == 0 {
		return 0, fmt.Errorf("no OSV entries (*.json) in %s", osvDir)
	}
	sort.Strings(names)

	tmp := filepath.Clean(outDir) + ".tmp"
	if err := os.RemoveAll(tmp); err != nil {
		return 0, err
	}
	for _, d := range []string{"index", "ID"} {
		if err := os.MkdirAll(filepath.Join(tmp, d), 0o755); err != nil {
			return 0, err
		}
	}

	var newest time.Time
	if stamp != "" {
		if newest, err = time.Parse(time.RFC3339, stamp); err != nil {
			return 0, fmt.Errorf("-modified: %w", err)
		}
	}
	modules := map[string]*module{}
	vulns := map[string]*vuln{}
	for _, name := range names {
		raw, err := os.ReadFile(name)
		if err != nil {
			return 0, err
		}
		var e entry
		if err := json.Unmarshal(raw, &e); err != nil {
			return 0, fmt.Errorf("%s: %w", name, err)
		}
		if e.ID == "" || filepath.Base(name) != e.ID+".json" {
			return 0, fmt.Errorf("%s: entry id %q does not match the file name", name, e.ID)
		}
		if _, dup := vulns[e.ID]; dup {
			return 0, fmt.Errorf("%s: id %s appears twice", name, e.ID)
		}
		mod, err := time.Parse(time.RFC3339, e.Modified)
		if err != nil {
			return 0, fmt.Errorf("%s: modified: %w", name, err)
		}
		mod = mod.UTC()
		if mod.After(newest) {
			newest = mod
		}
		modified := mod.Format(time.RFC3339)

		vulns[e.ID] = &vuln{ID: e.ID, Modified: modified, Aliases: e.Aliases}
		// One index row per "affected" item, as x/vulndb does (an entry
		// listing a module twice appears twice under it).
		for _, a := range e.Affected {
			if a.Package.Ecosystem != "Go" || a.Package.Name == "" {
				return 0, fmt.Errorf("%s: affected package %q in ecosystem %q", name, a.Package.Name, a.Package.Ecosystem)
			}
			m := modules[a.Package.Name]
			if m == nil {
				m = &module{Path: a.Package.Name, Vulns: []moduleVuln{}}
				modules[a.Package.Name] = m
			}
			m.Vulns = append(m.Vulns, moduleVuln{ID: e.ID, Modified: modified, Fixed: latestFixed(a)})
		}

		var buf bytes.Buffer
		if err := json.Compact(&buf, raw); err != nil {
			return 0, fmt.Errorf("%s: %w", name, err)
		}
		if err := os.WriteFile(filepath.Join(tmp, "ID", e.ID+".json"), buf.Bytes(), 0o644); err != nil {
			return 0, err
		}
	}

	mods := make([]*module, 0, len(modules))
	for _, m := range modules {
		sort.SliceStable(m.Vulns, func(i, j int) bool { return m.Vulns[i].ID < m.Vulns[j].ID })
		mods = append(mods, m)
	}
	sort.Slice(mods, func(i, j int) bool { return mods[i].Path < mods[j].Path })
	vs := make([]*vuln, 0, len(vulns))
	for _, v := range vulns {
		vs = append(vs, v)
	}
	sort.Slice(vs, func(i, j int) bool { return vs[i].ID < vs[j].ID })

	for file, v := range map[string]any{
		"db.json":      dbMeta{Modified: newest.UTC().Format(time.RFC3339)},
		"modules.json": mods,
		"vulns.json":   vs,
	} {
		b, err := json.Marshal(v)
		if err != nil {
			return 0, err
		}
		if err := os.WriteFile(filepath.Join(tmp, "index", file), b, 0o644); err != nil {
			return 0, err
		}
	}

	if err := os.RemoveAll(outDir); err != nil && !errors.Is(err, os.ErrNotExist) {
		return 0, err
	}
	return len(vs), os.Rename(tmp, outDir)
}

// latestFixed is the version from which the module is no longer affected:
// the highest "fixed" event of the entry's SEMVER ranges, or "" when none is
// fixed or some range introduces the vulnerability again after that
// version. govulncheck skips reading an entry for a module version at or
// above it, so "" (always read it) is the safe answer.
func latestFixed(a affected) string {
	var fixed, introduced string
	higher := func(v, than string) bool { return than == "" || semver.Compare("v"+v, "v"+than) > 0 }
	for _, r := range a.Ranges {
		if r.Type != "SEMVER" {
			continue
		}
		for _, e := range r.Events {
			if e.Fixed != "" && higher(e.Fixed, fixed) {
				fixed = e.Fixed
			}
			if e.Introduced != "" && e.Introduced != "0" && higher(e.Introduced, introduced) {
				introduced = e.Introduced
			}
		}
	}
	if fixed == "" || (introduced != "" && higher(introduced, fixed)) {
		return ""
	}
	return fixed
}
