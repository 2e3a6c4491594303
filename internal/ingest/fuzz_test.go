package ingest_test

// Fuzz targets for the import parser. `go test` runs the seed corpus below
// (and any crasher kept in testdata/fuzz); to search further:
//
//	go test -run '^$' -fuzz FuzzParseJSONLines -fuzztime 20s ./internal/ingest/
//	go test -run '^$' -fuzz FuzzParseMarkdown -fuzztime 20s ./internal/ingest/
//
// The Markdown sanitiser has its own targets in internal/markdown.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"testing"
	"time"

	"tiru/content"
	"tiru/internal/ingest"
	"tiru/internal/kb"
)

// readmeJSONL is the complete example of README.md and docs/format.md.
const readmeJSONL = `{"kind":"innovation","slug":"lapor-jalan-rusak-bandung","title":"Lapor Jalan Rusak lewat Aplikasi","region":"Kota Bandung","agency":"Dinas Sumber Daya Air dan Bina Marga Kota Bandung","urusan":"1.03","urusan_related":["2.16"],"stage":"penerapan","stage_dates":{"uji_coba":"2022-03-01","penerapan":"2023-01-09"},"innovation_type":"digital","form":"pelayanan publik","initiator":"opd","year_started":2022,"summary":"Warga memotret jalan berlubang dan mengirim lokasinya; petugas menambal dalam tujuh hari.","problem":"Laporan jalan rusak tersebar di media sosial dan tidak tercatat.","solution":"Satu formulir di aplikasi kota dengan foto dan titik lokasi.","results":[{"date":"2024-06-30","figure":"1.240 laporan ditangani","note":"semester I 2024"}],"cost_per_year":350000000,"partners":["Telkom Indonesia"],"legal_basis":["Peraturan Wali Kota tentang Pengelolaan Pengaduan"],"prerequisites":"Petugas lapangan yang memantau laporan setiap hari.","contacts":[{"name":"Bidang Jalan","role":"Pengelola aplikasi","email":"jalan@example.go.id"}],"evidence_level":3,"sustainability":"berlanjut","sustainability_verified":"2024-07-01","sources":[{"title":"Laporan kinerja 2024","url":"https://example.go.id/lkj-2024"}],"tags":["jalan rusak","pengaduan","aplikasi"],"language":"id","visibility":"public","body":"## Cara kerja\n\n1. Warga memotret jalan rusak.\n2. Petugas memverifikasi dan menambal."}
{"kind":"visit","slug":"studi-tiru-banjar-ke-bandung-2025","title":"Studi Tiru Kabupaten Banjar ke Kota Bandung","visit_type":"studi tiru","start_date":"2025-02-11","end_date":"2025-02-12","visitor_region":"63.03","visitor_agency":"DKISP Kabupaten Banjar","host_region":"32.73","host_agency":"Dinas Sumber Daya Air dan Bina Marga Kota Bandung","delegation_size":6,"delegation":"Kepala bidang dan lima staf","purpose":"Mempelajari penanganan laporan jalan rusak.","body":"## Catatan\n\nAplikasi dipakai sejak 2022.","innovations":["lapor-jalan-rusak-bandung"],"people_met":[{"name":"Kepala Bidang Jalan","role":"Tuan rumah","agency":"Dinas SDA dan Bina Marga Kota Bandung"}],"follow_ups":[{"action":"Menyusun kajian biaya untuk Banjar","owner":"Kepala Bidang Aplikasi Informatika","due_date":"2025-04-30","status":"terbuka"}],"language":"id","visibility":"public"}
{"kind":"adoption","innovation":"lapor-jalan-rusak-bandung","region":"63.03","status":"dikaji","degree":"adaptasi","visit":"studi-tiru-banjar-ke-bandung-2025","history":[{"status":"diminati","date":"2025-02-12","note":"Setelah kunjungan"},{"status":"dikaji","date":"2025-03-10","note":"Kajian biaya dimulai","by":"DKISP Kabupaten Banjar"}]}
`

const readmeMarkdown = `---
kind: innovation
slug: lapor-jalan-rusak-bandung
title: Lapor Jalan Rusak lewat Aplikasi
region: "32.73"          # quote codes: unquoted 32.70 would be read as a number
stage: uji coba
tags: [jalan rusak, pengaduan]
---
## Cara kerja

Warga memotret jalan rusak …
`

func jsonlSeeds() []string {
	lines := strings.Split(strings.TrimSpace(readmeJSONL), "\n")
	seeds := []string{
		readmeJSONL,
		lines[0], lines[1], lines[2],
		strings.ReplaceAll(readmeJSONL, "\n", "\r\n"),
		"\xef\xbb\xbf" + lines[0],
		lines[0] + "\n\xef\xbb\xbf" + lines[1], // a BOM only belongs on the first line
		"\n\n  \n" + lines[2] + "\n\n",
		`{"kind":"innovation","slug":"internet-gratis","title":"Internet Gratis","region":"Solo"}`,
		`{"kind":"ADOPTION","innovation":"internet-gratis","region":"Kota Surakarta","status":"Diminati"}`,
		`{"kind":"visit","slug":"k","title":"K","titel":"salah eja"}`,
		`{"kind":"innovation","slug":`,
		`["bukan", "objek"]`,
		`{"kind":"visit"} {"kind":"visit"}`,
		`{"kind":"innovasi","slug":"x"}`,
		`{"kind":null}`, `null`, `{}`, `""`, `0`, `{"kind":"innovation","kind":"visit","slug":"dua-kali"}`,
		`{"kind":"innovation","slug":"besar","title":"B","region":"33.72","year_started":1e309}`,
		`{"kind":"innovation","slug":"besar","title":"B","region":"33.72","cost_per_year":99999999999999999999999}`,
		`{"kind":"innovation","slug":"besar","title":"B","region":"33.72","evidence_level":-9223372036854775809,"year_started":2.5}`,
		`{"kind":"visit","slug":"besar","title":"B","visit_type":"studi_tiru","start_date":"2024-02-30","end_date":"9999-12-31","visitor_region":"63.03","host_region":"00","delegation_size":18446744073709551616}`,
		`{"kind":"innovation","results":[[[[[{}]]]]],"stage_dates":{"a":{"b":[1,2,{"c":null}]}},"contacts":{"name":"x"}}`,
		`{"kind":"innovation","slug":"x","title":` + strings.Repeat("[", 2000) + strings.Repeat("]", 2000) + `}`,
		"{\"kind\":\"innovation\",\"slug\":\"utf\",\"title\":\"\xff\xfe\",\"region\":\"33.72\"}",
		`{"kind":"innovation","slug":"esc","title":"\u0000\ud800\u2028","region":"33.72","body":"<script>alert(1)</script>"}`,
		`{"kind":"innovation","slug":"tag","title":"T","region":"Banjar","tags":["", "  ", "a"],"urusan":"Komunikasi dan Informatika"}`,
		`{"kind":"adoption","innovation":"Bukan Slug","region":"63.03","status":"dikaji","history":[{"status":""}]}`,
		`{"kind":"innovation","slug":"rc","title":"T","region_code":"33.72","region":""}`,
	}
	return seeds
}

func markdownSeeds(f *testing.F) []string {
	seeds := []string{
		readmeMarkdown,
		strings.ReplaceAll(readmeMarkdown, "\n", "\r\n"),
		"\ufeff" + readmeMarkdown,
		"---\nkind: visit\nslug: studi-tiru\ntitle: Studi Tiru\nvisit_type: studi tiru\nstart_date: 2024-10-22\nend_date: 2024-10-22\nvisitor_region: \"63.03\"\nhost_region: Solo\npeople_met:\n  - name: Heny\n    role: Kepala\nfollow_ups:\n  - action: Kaji\n    due_date: 2025-02-28\n    status: terbuka\n---\nCatatan perjalanan.\n",
		"---\nkind: adoption\ninnovation: aplikasi-pengaduan-warga-surakarta\nregion: \"63.03\"\nstatus: diminati\ndate: 2024-10-22\n---\n",
		"---\ntitle: [tidak ditutup\n---\nisi\n",
		"---\ntitle: x\n  nested: : :\n---\n",
		"---\ntitle: x\n",
		"# Tanpa front matter\n",
		"---\n---\n",
		"---\n...\n",
		"---\n- a\n- b\n---\n",
		"---\nbody: di front matter\n---\ndan setelahnya\n",
		"---\nslug: angka\ntitle: Angka\nregion: 33.70\n---\n",
		"---\nslug: besar\ntitle: B\nregion: \"33.72\"\nyear_started: 1e400\ncost_per_year: 0x7fffffffffffffffffff\nevidence_level: .inf\n---\n",
		"---\nslug: x\ntitle: !!binary aGFsbw==\nregion: !!python/object:os.system \"33.72\"\n---\n",
		"---\nresults:\n  - - - - x\n  - {figure: [1, {a: b}]}\nstage_dates: [2024-01-01]\n---\n",
		"---\n? [kunci, kompleks]\n: nilai\n---\n",
		"---\nslug: alias\ntitle: &t Judul\nsummary: *t\nregion: \"33.72\"\n---\n",
		"---\nslug: x\ntitle: \"\xff\"\n---\n",
		"---\nslug: x\ntitle: \"\\u0000\\ud800\"\nregion: \"33.72\"\n---\n<script>alert(1)</script>\n",
		"---\r\nslug: crlf\r\ntitle: CRLF\r\nregion: \"33.72\"\r\n---\r\nisi\r\n",
		"---\ntags:\n- a\n-\n- \"\"\n\tslug: tab\n---\n",
	}
	// The real write-ups shipped with Tiru.
	names, err := fs.Glob(content.Seed(), "*.md")
	if err != nil || len(names) == 0 {
		f.Fatalf("seed files: %v", err)
	}
	sort.Strings(names)
	for _, n := range names {
		b, err := fs.ReadFile(content.Seed(), n)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, string(b))
	}
	return seeds
}

// checkError: a refusal is an *ingest.Error (so kb.ErrInvalid) whose every
// problem names the file and says in both languages what is wrong.
func checkError(t *testing.T, name string, lines int, err error) {
	t.Helper()
	var ie *ingest.Error
	if !errors.As(err, &ie) || !errors.Is(err, kb.ErrInvalid) {
		t.Fatalf("error %v (%T) is not an import error", err, err)
	}
	if len(ie.Problems) == 0 {
		t.Fatal("import error without problems")
	}
	for _, p := range ie.Problems {
		if p.File != name {
			t.Errorf("problem %v names file %q, want %q", p, p.File, name)
		}
		if p.Line < 1 || p.Line > lines+1 {
			t.Errorf("problem %v is on line %d of a %d-line file", p, p.Line, lines)
		}
		if p.Message.ID == "" || p.Message.EN == "" {
			t.Errorf("problem %v lacks a message in one language", p)
		}
	}
	if !strings.Contains(err.Error(), name+":") {
		t.Errorf("Error() does not name the file: %.200s", err.Error())
	}
}

// exportLine writes a record as `tiru export` does.
func exportLine(t *testing.T, r *ingest.Record) []byte {
	t.Helper()
	var line any
	switch r.Kind {
	case ingest.KindInnovation:
		line = struct {
			Kind string `json:"kind"`
			*kb.Innovation
		}{r.Kind, r.Innovation}
	case ingest.KindVisit:
		line = struct {
			Kind string `json:"kind"`
			*kb.Visit
		}{r.Kind, r.Visit}
	default:
		line = struct {
			Kind string `json:"kind"`
			*kb.Adoption
		}{r.Kind, r.Adoption}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(line); err != nil {
		t.Fatalf("encode %s: %v", r.Kind, err)
	}
	return b.Bytes()
}

func validateRecord(r *ingest.Record, ref kb.Reference) error {
	switch r.Kind {
	case ingest.KindInnovation:
		return r.Innovation.Validate(ref)
	case ingest.KindVisit:
		return r.Visit.Validate(ref)
	}
	return r.Adoption.Validate(ref)
}

// checkRecords: parsed records are well formed; validation either passes
// or returns field errors located in the file; a record that passes is
// stable (validating again changes nothing) and survives export and
// import unchanged.
func checkRecords(t *testing.T, name string, lines int, recs []ingest.Record) {
	t.Helper()
	ref := testRef(t)
	for i := range recs {
		r := &recs[i]
		set := 0
		for _, p := range []bool{r.Innovation != nil, r.Visit != nil, r.Adoption != nil} {
			if p {
				set++
			}
		}
		ok := (r.Kind == ingest.KindInnovation && r.Innovation != nil) || (r.Kind == ingest.KindVisit && r.Visit != nil) || (r.Kind == ingest.KindAdoption && r.Adoption != nil)
		if !ok || set != 1 || r.File != name || r.Line < 1 || r.Line > lines+1 {
			t.Fatalf("record %d: kind %q, %d bodies, at %s:%d", i, r.Kind, set, r.File, r.Line)
		}
	}
	if err := ingest.Validate(recs, ref); err != nil {
		checkError(t, name, lines, err)
	}
	// ingest.Validate normalised the records it accepted; check each on
	// its own (a duplicate slug is a problem of the set, not the record).
	for i := range recs {
		r := &recs[i]
		err := validateRecord(r, ref)
		if err != nil {
			if fes := kb.FieldErrors(err); len(fes) == 0 {
				t.Fatalf("validation error %v (%T) has no field errors", err, err)
			}
			continue
		}
		once := exportLine(t, r)
		if err := validateRecord(r, ref); err != nil {
			t.Fatalf("a valid %s fails a second validation: %v\n%s", r.Kind, err, once)
		}
		if twice := exportLine(t, r); !bytes.Equal(once, twice) {
			t.Fatalf("validating again changed the record:\n%s\n%s", once, twice)
		}
		back, err := ingest.ParseJSONLines("ekspor.jsonl", bytes.NewReader(once))
		if err != nil || len(back) != 1 {
			t.Fatalf("the exported line does not import: %v\n%s", err, once)
		}
		if err := validateRecord(&back[0], ref); err != nil {
			t.Fatalf("the exported line does not validate: %v\n%s", err, once)
		}
		if again := exportLine(t, &back[0]); !bytes.Equal(once, again) {
			t.Fatalf("export and import changed the record:\n%s\n%s", once, again)
		}
	}
}

func FuzzParseJSONLines(f *testing.F) {
	for _, s := range jsonlSeeds() {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		const name = "impor/berkas uji.jsonl"
		recs, err := ingest.ParseJSONLines(name, bytes.NewReader(data))
		lines := bytes.Count(data, []byte("\n")) + 1
		if err != nil {
			if recs != nil {
				t.Fatal("records returned with an error")
			}
			checkError(t, name, lines, err)
			return
		}
		checkRecords(t, name, lines, recs)
		// Parse picks the same reader by the file's extension.
		if again, err := ingest.Parse(name, bytes.NewReader(data)); err != nil || len(again) != len(recs) {
			t.Fatalf("Parse disagrees with ParseJSONLines: %d records, %v", len(again), err)
		}
	})
}

func FuzzParseMarkdown(f *testing.F) {
	for _, s := range markdownSeeds(f) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		const name = "impor/tulisan uji.md"
		lines := bytes.Count(data, []byte("\n")) + 1
		rec, err := ingest.ParseMarkdown(name, data)
		if err != nil {
			if rec != nil {
				t.Fatal("a record returned with an error")
			}
			checkError(t, name, lines, err)
			return
		}
		checkRecords(t, name, lines, []ingest.Record{*rec})
	})
}

// TestFrontMatterAliasesCannotExhaustMemory is the "billion laughs": YAML
// anchors and aliases nest, each level multiplying the expansion.
func TestFrontMatterAliasesCannotExhaustMemory(t *testing.T) {
	var b strings.Builder
	b.WriteString("---\nslug: bom\ntitle: Bom\nregion: \"33.72\"\na0: &a0 [\"xxxxxxxx\",\"xxxxxxxx\",\"xxxxxxxx\",\"xxxxxxxx\",\"xxxxxxxx\",\"xxxxxxxx\",\"xxxxxxxx\",\"xxxxxxxx\",\"xxxxxxxx\"]\n")
	for i := 1; i <= 5; i++ {
		p := fmt.Sprintf("*a%d", i-1)
		fmt.Fprintf(&b, "a%d: &a%d [%s]\n", i, i, strings.Repeat(p+",", 8)+p)
	}
	b.WriteString("---\n")
	start := time.Now()
	_, err := ingest.ParseMarkdown("bom.md", []byte(b.String()))
	if took := time.Since(start); took > 200*time.Millisecond {
		t.Errorf("a %d-byte file took %v to parse", b.Len(), took)
	}
	if err == nil || !strings.Contains(err.Error(), "bom.md:") {
		t.Errorf("a front matter bomb was not refused with the file's name: %v", err)
	}
}

// Deep nesting made the YAML library's memory grow with the square of the
// depth (a 200 KB file took 15 GB). It is refused from the lexer's tokens,
// naming the file and line, as is a front matter past its size bound.
func TestDeepFrontMatterIsRefused(t *testing.T) {
	for name, front := range map[string]string{
		"flow.md":  "summary: " + strings.Repeat("[", 2000) + strings.Repeat("]", 2000) + "\n",
		"block.md": "tags:\n" + strings.Repeat("- ", 2000) + "x\n",
		"big.md":   "summary: " + strings.Repeat("kata ", 60000) + "\n",
	} {
		data := "---\nslug: dalam\ntitle: Dalam\nregion: \"33.72\"\n" + front + "---\nisi\n"
		_, err := ingest.ParseMarkdown(name, []byte(data))
		want := "bersarang terlalu dalam"
		if name == "big.md" {
			want = "front matter terlalu besar"
		}
		if err == nil || !strings.Contains(err.Error(), name+":") || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q with the file's name", name, err, want)
		}
	}
	// A record's ordinary nesting (a visit's people and follow-ups) passes.
	ok := "---\nkind: visit\nslug: kunjungan-uji\ntitle: Uji\npeople_met:\n  - name: Ani\n    role: Kabid\nfollow_ups:\n  - action: Kirim surat\n    status: terbuka\n---\nisi\n"
	if _, err := ingest.ParseMarkdown("ok.md", []byte(ok)); err != nil && strings.Contains(err.Error(), "bersarang") {
		t.Errorf("an ordinary visit is refused as nested: %v", err)
	}
}
