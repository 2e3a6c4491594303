package ingest_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"tiru/internal/ingest"
	"tiru/internal/kb"
	"tiru/internal/sqlite"
)

// richJSONL uses every field of the format at least once, with values given
// the way people write them (names, labels, aliases), and records in an order
// that refers forward: the adoption first, then the visit, then innovations.
const richJSONL = `{"kind":"adoption","innovation":"aplikasi-pengaduan","region":"Kab. Banjar","status":"Under review","degree":"sebagian","visit":"banjar-ke-solo-2024","date":"2024-11-05","note":"dikaji","history":[{"status":"diminati","date":"2024-10-22","by":"DKISP"},{"status":"dikaji","date":"2024-11-05","note":"rapat","by":"Kabid IKP"}]}
{"kind":"adoption","innovation":"internet-gratis","region":"Kabupaten Banjar","status":"diminati","date":"2024-10-22"}
{"kind":"visit","slug":"banjar-ke-solo-2024","title":"Studi tiru ke Solo","visit_type":"Studi Tiru","start_date":"2024-10-22","end_date":"2024-10-23","visitor_region":"Kab. Banjar","visitor_agency":"DKISP Kabupaten Banjar","host_region":"Solo","host_agency":"Diskominfo SP Kota Surakarta","delegation_size":38,"delegation":"Kepala DKISP dan 37 awak media","purpose":"Belajar","body":"## Catatan\n\nIsi \"kutipan\" <b>tebal</b> & lain-lain.","innovations":["internet-gratis","aplikasi-pengaduan"],"people_met":[{"name":"Heny Ermawati","role":"Kepala","agency":"Diskominfo SP Kota Surakarta"}],"follow_ups":[{"action":"Minta data","owner":"Kabid TIK","due_date":"2025-03-31"},{"action":"Pelajari alur","status":"In progress"}],"language":"id","visibility":"public"}
{"kind":"innovation","slug":"internet-gratis","title":"Internet Gratis di Ruang Publik","region_code":"Kota Surakarta","agency":"Diskominfo SP Kota Surakarta","urusan":"Komunikasi dan Informatika","urusan_related":["Communication and Informatics","2.15"],"stage":"penerapan","stage_dates":{"inisiatif":"2019-01-01","uji_coba":"2019-06-01","penerapan":"2020-01-01"},"innovation_type":"Digital","form":"Pelayanan publik","initiator":"Perangkat daerah","year_started":2019,"summary":"Wi-Fi gratis di taman.","problem":"Akses internet mahal.","solution":"Kerja sama dengan Telkom.","results":[{"date":"2024-10-22","figure":"100 titik","note":"kira-kira"}],"cost_per_year":1500000000,"partners":["Telkom Indonesia"],"legal_basis":["Perwali Surakarta No. 1 Tahun 2021"],"prerequisites":"Mitra penyedia jaringan.","contacts":[{"name":"Heny","role":"Kepala","email":"heny@example.go.id","phone":"+62 271 1"}],"evidence_level":3,"sustainability":"Continuing","sustainability_verified":"2024-10-22","sources":[{"title":"Berita","url":"https://example.org/berita"}],"tags":["internet","wifi"],"language":"id","visibility":"public","body":"Isi ✓ — unicode\tdan tab"}
{"kind":"innovation","slug":"aplikasi-pengaduan","title":"Aplikasi Pengaduan Warga","region":"Solo","stage":"Uji Coba","visibility":"internal","language":"English"}
`

func TestImportIsOrderIndependent(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	recs := parse(t, "rich.jsonl", richJSONL)
	sum := importRecords(t, db, recs)
	want := ingest.Summary{
		"innovation": {"created": 2},
		"visit":      {"created": 1},
		"adoption":   {"created": 2},
	}
	if !reflect.DeepEqual(sum, want) {
		t.Fatalf("summary = %v, want %v", sum, want)
	}
	v, err := db.GetVisit(ctx, "banjar-ke-solo-2024", kb.Viewer{AllInternal: true})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(v.Innovations, []string{"internet-gratis", "aplikasi-pengaduan"}) || v.VisitorRegion != "63.03" || v.HostRegion != "33.72" {
		t.Errorf("visit = %+v", v.Visit)
	}
	if len(v.Adoptions) != 1 || v.Adoptions[0].Status != "dikaji" || len(v.Adoptions[0].History) != 2 {
		t.Errorf("adoptions triggered by the visit = %+v", v.Adoptions)
	}
	in, err := db.GetInnovation(ctx, "internet-gratis", kb.Viewer{})
	if err != nil {
		t.Fatal(err)
	}
	if in.Region != "33.72" || in.Urusan != "2.16" || in.Form != "pelayanan_publik" || in.CostPerYear != 1500000000 {
		t.Errorf("innovation not normalised: %+v", in.Innovation)
	}
	if s := sum.String(); !strings.Contains(s, "inovasi / innovation: 2 dibuat / created, 0 diubah / updated, 0 tetap / unchanged") {
		t.Errorf("Summary.String() = %q", s)
	}
}

func TestDuplicateSlugNamesBothPlaces(t *testing.T) {
	ref := testRef(t)
	tests := []struct {
		name     string
		files    map[string]string
		at       string // file of the second occurrence
		line     int
		mentions string // where the first one is
	}{
		{
			name: "two files",
			files: map[string]string{
				"a.jsonl": okInnovation + "\n",
				"b.md":    "---\ntitle: Lagi\nslug: internet-gratis\nregion: \"33.72\"\n---\n",
			},
			at: "b.md", line: 3, mentions: "a.jsonl:1",
		},
		{
			name:  "one file",
			files: map[string]string{"a.jsonl": okInnovation + "\n" + `{"kind":"innovation","slug":"lain","title":"L","region":"33.72"}` + "\n" + okInnovation + "\n"},
			at:    "a.jsonl", line: 3, mentions: "a.jsonl:1",
		},
		{
			name: "adoption by the same region under two names",
			files: map[string]string{"a.jsonl": `{"kind":"adoption","innovation":"internet-gratis","region":"Kab. Banjar","status":"diminati"}` + "\n" +
				`{"kind":"adoption","innovation":"internet-gratis","region":"63.03","status":"dikaji"}` + "\n"},
			at: "a.jsonl", line: 2, mentions: "a.jsonl:1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var recs []ingest.Record
			for _, name := range []string{"a.jsonl", "b.md"} {
				if src, ok := tt.files[name]; ok {
					recs = append(recs, parse(t, name, src)...)
				}
			}
			ie := asImportError(t, ingest.Validate(recs, ref))
			p := findProblem(t, ie, tt.at, tt.line)
			if p.Field != "slug" || !strings.Contains(p.Message.ID, tt.mentions) || !strings.Contains(p.Message.EN, tt.mentions) {
				t.Errorf("problem = %s; want it on slug, naming %s", p, tt.mentions)
			}
		})
	}

	// The same slug for an innovation and a visit is no clash.
	recs := parse(t, "c.jsonl", okInnovation+"\n"+`{"kind":"visit","slug":"internet-gratis","title":"K","visit_type":"studi_tiru","start_date":"2024-10-22","end_date":"2024-10-22","visitor_region":"63.03","host_region":"33.72"}`)
	if err := ingest.Validate(recs, ref); err != nil {
		t.Errorf("an innovation and a visit sharing a slug: %v", err)
	}
}

func TestImportIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		src   string
		line  int
		field string
	}{
		{
			// Only the database knows the observed innovation is missing.
			name: "visit observes a missing innovation",
			src: okInnovation + "\n" +
				`{"kind":"innovation","slug":"aplikasi-pengaduan","title":"Aduan","region":"33.72"}` + "\n" +
				`{"kind":"visit","slug":"kunjungan","title":"K","visit_type":"studi_tiru","start_date":"2024-10-22","end_date":"2024-10-22","visitor_region":"63.03","host_region":"33.72","innovations":["internet-gratis","tidak-ada"]}` + "\n",
			line: 3, field: "innovations[1]",
		},
		{
			name: "adoption of a missing innovation",
			src:  okInnovation + "\n" + `{"kind":"adoption","innovation":"tidak-ada","region":"63.03","status":"diminati"}` + "\n",
			line: 2, field: "innovation",
		},
		{
			name: "one invalid record",
			src:  okInnovation + "\n" + `{"kind":"innovation","slug":"aplikasi-pengaduan","title":"Aduan","region":"33.72","evidence_level":6}` + "\n",
			line: 2, field: "evidence_level",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openDB(t)
			// Something already saved must survive a failed import untouched.
			importRecords(t, db, parse(t, "awal.jsonl", `{"kind":"innovation","slug":"internet-gratis","title":"Judul lama","region":"33.72"}`))
			before, beforeExport := tableCounts(t, db), export(t, db)

			_, err := ingest.Import(ctx, db, testRef(t), parse(t, "impor.jsonl", tt.src), "test")
			ie := asImportError(t, err)
			if p := findProblem(t, ie, "impor.jsonl", tt.line); p.Field != tt.field {
				t.Errorf("problem = %s, want it on %s", p, tt.field)
			}
			if after := tableCounts(t, db); !reflect.DeepEqual(after, before) {
				t.Errorf("a failed import changed the database:\nbefore %v\nafter  %v", before, after)
			}
			if got := export(t, db); got != beforeExport {
				t.Errorf("a failed import changed the data:\nbefore %s\nafter  %s", beforeExport, got)
			}
		})
	}
}

func TestImportTwiceChangesNothing(t *testing.T) {
	db := openDB(t)
	importRecords(t, db, parse(t, "rich.jsonl", richJSONL))
	importRecords(t, db, readSeed(t))
	before := tableCounts(t, db)

	sum := importRecords(t, db, append(parse(t, "rich.jsonl", richJSONL), readSeed(t)...))
	for kind, changes := range sum {
		if changes["created"] != 0 || changes["updated"] != 0 || changes["unchanged"] == 0 {
			t.Errorf("second import of %s: %v, want all unchanged", kind, changes)
		}
	}
	if want := (ingest.Summary{"innovation": {"unchanged": 6}, "visit": {"unchanged": 2}, "adoption": {"unchanged": 6}}); !reflect.DeepEqual(sum, want) {
		t.Errorf("summary = %v, want %v", sum, want)
	}
	if after := tableCounts(t, db); !reflect.DeepEqual(after, before) {
		t.Errorf("an unchanged import wrote rows (revisions or outbox):\nbefore %v\nafter  %v", before, after)
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	ctx := context.Background()
	first := openDB(t)
	importRecords(t, first, parse(t, "rich.jsonl", richJSONL))
	importRecords(t, first, readSeed(t))
	a := export(t, first)
	if n := strings.Count(a, "\n"); n != 14 {
		t.Errorf("export has %d lines, want 14 (6 innovations, 2 visits, 6 adoptions)", n)
	}
	lines := strings.Split(strings.TrimSuffix(a, "\n"), "\n")
	kinds := ""
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, `{"kind":"innovation"`):
			kinds += "i"
		case strings.HasPrefix(l, `{"kind":"visit"`):
			kinds += "v"
		case strings.HasPrefix(l, `{"kind":"adoption"`):
			kinds += "a"
		}
	}
	if kinds != "iiiiiivvaaaaaa" {
		t.Errorf("export order by kind = %q, want innovations, then visits, then adoptions", kinds)
	}
	if strings.Contains(a, `\u003c`) || strings.Contains(a, "region_code") {
		t.Errorf("export escapes HTML or writes the input-only region_code:\n%s", a)
	}

	second := openDB(t)
	sum := importRecords(t, second, parse(t, "export.jsonl", a))
	if sum["innovation"]["created"] != 6 || sum["visit"]["created"] != 2 || sum["adoption"]["created"] != 6 {
		t.Errorf("import of the export: %v", sum)
	}
	if b := export(t, second); b != a {
		t.Fatalf("export → import → export is not byte-identical:\nfirst:\n%s\nsecond:\n%s", a, b)
	}
	// Importing an export into the database it came from changes nothing.
	sum = importRecords(t, first, parse(t, "export.jsonl", a))
	for kind, c := range sum {
		if c["created"]+c["updated"] != 0 {
			t.Errorf("re-importing the export changed %s: %v", kind, c)
		}
	}
	rec, err := second.GetInnovation(ctx, "internet-gratis", kb.Viewer{})
	if err != nil || rec.Body != "Isi ✓ — unicode\tdan tab" {
		t.Errorf("body after round trip = %q, %v", rec.Body, err)
	}
	if _, err := second.GetInnovation(ctx, "aplikasi-pengaduan", kb.Viewer{}); !errors.Is(err, kb.ErrNotFound) {
		t.Errorf("visibility lost in the round trip: internal innovation is public (%v)", err)
	}
}

func TestSeedImportsCleanly(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	recs := readSeed(t)
	if err := ingest.Validate(recs, testRef(t)); err != nil {
		t.Fatalf("seed does not validate:\n%v", err)
	}
	sum := importRecords(t, db, readSeed(t))
	if want := (ingest.Summary{"innovation": {"created": 4}, "visit": {"created": 1}, "adoption": {"created": 4}}); !reflect.DeepEqual(sum, want) {
		t.Errorf("seed summary = %v, want %v", sum, want)
	}
	const slug = "kunjungan-dkisp-banjar-ke-diskominfo-surakarta-2024"
	v, err := db.GetVisit(ctx, slug, kb.Viewer{})
	if err != nil {
		t.Fatalf("seed visit: %v", err)
	}
	if len(v.Innovations) != 4 || len(v.Observed) != 4 {
		t.Errorf("seed visit observed %v, want 4 innovations", v.Innovations)
	}
	if v.VisitorRegion != "63.03" || v.HostRegion != "33.72" || v.StartDate != "2024-10-22" || v.VisitType != "studi_tiru" {
		t.Errorf("seed visit = %+v", v.Visit)
	}
	if !strings.Contains(v.Delegation, "37") {
		t.Errorf("delegation %q should mention the 37 journalists", v.Delegation)
	}
	ads, err := db.ListAdoptionsByRegion(ctx, "63.03", kb.Viewer{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ads) != 4 {
		t.Fatalf("%d adoptions by 63.03, want 4", len(ads))
	}
	observed := map[string]bool{}
	for _, s := range v.Innovations {
		observed[s] = true
	}
	for _, a := range ads {
		if a.Status != "diminati" || a.Visit != slug || !observed[a.Innovation] || len(a.History) != 1 {
			t.Errorf("adoption %+v: want status diminati, triggered by the seed visit, for an observed innovation, with one history entry", a.Adoption)
		}
	}
	if len(v.Adoptions) != 4 {
		t.Errorf("the seed visit lists %d adoptions it triggered, want 4", len(v.Adoptions))
	}
}

func TestExportOfLargeValidRecordsImports(t *testing.T) {
	tests := []struct {
		name   string
		change func(*kb.Innovation)
	}{
		{"quote-heavy body", func(in *kb.Innovation) { in.Body = strings.Repeat(`"`, 700<<10) }},
		{"full body and many sources", func(in *kb.Innovation) {
			in.Body = strings.Repeat("a", kb.MaxBody)
			for i := range kb.MaxList {
				in.Sources = append(in.Sources, kb.Source{Title: strings.Repeat("t", 300), URL: "https://example.org/" + strings.Repeat("p", 1900) + strings.Repeat("x", i%10)})
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			in := &kb.Innovation{Slug: "besar", Title: "Besar", Region: "33.72"}
			tt.change(in)
			if err := in.Validate(testRef(t)); err != nil {
				t.Fatalf("the record is not valid, so the test is wrong: %v", err)
			}
			db := openDB(t)
			if err := db.Update(ctx, "test", func(tx *sqlite.Tx) error { _, err := tx.PutInnovation(ctx, in); return err }); err != nil {
				t.Fatal(err)
			}
			out := export(t, db)
			if _, err := ingest.ParseJSONLines("export.jsonl", strings.NewReader(out)); err != nil {
				t.Fatalf("the export of a valid record (%d bytes) cannot be imported: %.200v", len(out), err)
			}
		})
	}
}

// Visits' files do not travel in the export, and an import that updates a
// visit leaves its files as they are: the format has no field for them,
// so their absence from a line says nothing about them.
func TestImportKeepsAVisitsAttachments(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	importRecords(t, db, readSeed(t))
	const slug = "kunjungan-dkisp-banjar-ke-diskominfo-surakarta-2024"
	pdf := []byte("%PDF-1.4\nlaporan perjalanan\n")
	err := db.Update(ctx, "test", func(tx *sqlite.Tx) error {
		_, _, err := tx.AddAttachment(ctx, slug, sqlite.NewAttachment{Name: "laporan.pdf", MediaType: "application/pdf", Data: pdf})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if _, err := ingest.Export(ctx, db, &out); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "laporan.pdf") || strings.Contains(out.String(), "attachments") {
		t.Error("the export carries the visit's file")
	}
	// The visit exported, changed and imported again: updated, file kept.
	var line string
	for _, l := range strings.Split(out.String(), "\n") {
		if strings.Contains(l, `"slug":"`+slug+`"`) {
			var v map[string]any
			if err := json.Unmarshal([]byte(l), &v); err != nil {
				t.Fatal(err)
			}
			v["purpose"] = "Tujuan yang diperbarui."
			b, _ := json.Marshal(v)
			line = string(b)
		}
	}
	sum := importRecords(t, db, parse(t, "ubah.jsonl", line))
	if sum[sqlite.KindVisit][sqlite.Updated.String()] != 1 {
		t.Fatalf("import summary: %v", sum)
	}
	rec, err := db.GetVisit(ctx, slug, kb.Viewer{AllInternal: true})
	if err != nil || rec.Purpose != "Tujuan yang diperbarui." || len(rec.Attachments) != 1 || rec.Attachments[0].Name != "laporan.pdf" {
		t.Fatalf("after the import: %+v %v", rec, err)
	}
}
