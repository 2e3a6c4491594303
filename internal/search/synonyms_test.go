package search

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"tiru/internal/kb"
)

// A member marked "=" is a synonym as written, but its root does not stand
// in for the group: "meeting" finds "pertemuan", not every "temuan"
// (finding) or "menemukan" (to find) that shares its stem.
func TestSynonymAsWritten(t *testing.T) {
	syn, err := ParseSynonyms(strings.NewReader("# rapat\nrapat, =pertemuan, meeting\n"))
	if err != nil {
		t.Fatal(err)
	}
	if eq := syn.equivalents("meeting"); !slices.Contains(eq, "pertemuan") || !slices.Contains(eq, "rapat") {
		t.Errorf("equivalents of meeting: %v", eq)
	}
	ix, _, err := Open(filepath.Join(t.TempDir(), "index.bleve"), Options{Synonyms: syn})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := ix.MarkReady(); err != nil {
		t.Fatal(err)
	}
	b := testBuilder(t)
	var docs []*Document
	for i, tx := range [][2]string{
		{"Forum warga", "Rapat warga tiap bulan."},
		{"Forum perangkat", "Pertemuan perangkat desa tiap bulan."},
		{"Audit kas", "Tim menemukan selisih kas; temuan dilaporkan."},
	} {
		in := &kb.Innovation{Slug: []string{"rapat", "pertemuan", "temuan"}[i], Title: tx[0], Summary: tx[1], Region: "63.03", Language: "id", Visibility: "public"}
		docs = append(docs, b.Innovation(int64(i+1), in, "2024-10-22T00:00:00Z", nil))
	}
	if err := ix.Apply(docs, nil); err != nil {
		t.Fatal(err)
	}
	got := slugs(mustSearch(t, ix, Request{Query: "meeting"}).Hits)
	slices.Sort(got)
	if !slices.Equal(got, []string{"pertemuan", "rapat"}) {
		t.Errorf("meeting found %v, want pertemuan and rapat only", got)
	}
}

func TestSynonymListErrors(t *testing.T) {
	for _, bad := range []string{"aduan\n", "kk, =kartu keluarga\n"} {
		_, err := ParseSynonyms(strings.NewReader("# list\n" + bad))
		if err == nil || !strings.Contains(err.Error(), "line 2") {
			t.Errorf("%q: error %v, want one naming line 2", bad, err)
		}
	}
}

// Editing the synonym list and restarting changes search without a
// reindex: an index opened again takes the new list into its stemmed
// fields too, where Bleve expands one-word synonyms. With the group taken
// out, "pengaduan" must no longer find a record that only says
// "keluhannya" (found through the stems adu and keluh).
func TestEditedSynonymsReachAnExistingIndex(t *testing.T) {
	path := filepath.Join(t.TempDir(), "index.bleve")
	open := func(list string) *Index {
		t.Helper()
		syn, err := ParseSynonyms(strings.NewReader(list))
		if err != nil {
			t.Fatal(err)
		}
		ix, fresh, err := Open(path, Options{Synonyms: syn})
		if err != nil {
			t.Fatal(err)
		}
		if fresh {
			if err := ix.MarkReady(); err != nil {
				t.Fatal(err)
			}
		}
		return ix
	}
	ix := open("pengaduan, keluhan\nwifi, hotspot\n")
	b := testBuilder(t)
	if err := ix.Apply([]*Document{innovationDoc(b, 1, "kotak-saran", "63.03", "Kotak saran", "Warga menyampaikan keluhannya lewat kotak saran.")}, nil); err != nil {
		t.Fatal(err)
	}
	if got := slugs(mustSearch(t, ix, Request{Query: "pengaduan"}).Hits); len(got) != 1 {
		t.Fatalf("with the group, pengaduan found %v", got)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix = open("wifi, hotspot\n")
	defer ix.Close()
	if got := slugs(mustSearch(t, ix, Request{Query: "pengaduan"}).Hits); len(got) != 0 {
		t.Errorf("after the group was taken out and the server restarted, pengaduan still found %v", got)
	}
}

// Another form of a one-word member names its group, wordings of several
// words included: "mengadukan" asks for "laporan warga" as "aduan" does.
// A member marked "=" stands only for itself.
func TestOtherFormOfAMemberNamesItsGroup(t *testing.T) {
	syn, err := ParseSynonyms(strings.NewReader("aduan, pengaduan, laporan warga\nrapat, =pertemuan, meeting of staff\n"))
	if err != nil {
		t.Fatal(err)
	}
	alts := func(words ...string) []string {
		var out []string
		for _, sp := range syn.spans(words) {
			out = append(out, sp.alts...)
		}
		return out
	}
	for _, w := range []string{"aduan", "mengadukan", "diadukan"} {
		if got := alts(w, "jalan"); !slices.Contains(got, "laporan warga") {
			t.Errorf("%s jalan: wordings %v, want laporan warga among them", w, got)
		}
	}
	if got := alts("temuan", "audit"); len(got) != 0 {
		t.Errorf("temuan audit: wordings %v, want none (pertemuan is as written only)", got)
	}
}

// An English plural the list does not name reaches the group of its
// singular: "schools" finds a write-up that says "sekolah", as "school" does.
func TestEnglishPluralReachesItsSingularsGroup(t *testing.T) {
	for w, want := range map[string]string{
		"schools": "school", "villages": "village", "buses": "bus", "subsidies": "subsidy",
		"churches": "church", "times": "time", "kasus": "", "gratis": "", "kelas": "kela", "address": "", "bus": "",
	} {
		if got := englishSingulars(w); (want == "" && len(got) != 0) || (want != "" && (len(got) == 0 || got[0] != want)) {
			t.Errorf("englishSingulars(%q) = %q, want %q first", w, got, want)
		}
	}
	// An -es plural whose singular ends in e reaches it too.
	syn, err := ParseSynonyms(strings.NewReader("rumah, house\nbus, bis\nukuran, size\n"))
	if err != nil {
		t.Fatal(err)
	}
	for w, want := range map[string]string{"houses": "rumah", "buses": "bis", "sizes": "ukuran"} {
		if got := syn.equivalents(w); !slices.Contains(got, want) {
			t.Errorf("equivalents of %s: %v, want %s among them", w, got, want)
		}
	}
	ix := filledIndex(t,
		[2]string{"Tabungan Siswa", "Siswa menabung botol plastik di bank sampah sekolah."},
		[2]string{"Bank Sampah", "Bank sampah warga menimbang sampah; bank sampah induk membeli plastik."},
	)
	res := mustSearch(t, ix, Request{Query: "waste bank at schools"})
	if len(res.Hits) == 0 || res.Hits[0].Slug != "s0" {
		t.Errorf("waste bank at schools: top %v, want s0", slugs(res.Hits))
	}
}

// Another form of a one-word member reaches the group's one-word members
// in the exact fields too, as the member does: "kebocoran" finds a write-up
// that says "leaks", which the stemmed fields (holding only the stems of
// inflected words) do not hold. A member marked "=" is reached only as
// written.
func TestOtherFormOfAMemberReachesItsOneWordSynonyms(t *testing.T) {
	syn, err := ParseSynonyms(strings.NewReader("bocor, leak, leaks\nrapat, =pertemuan, meeting\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := syn.equivalents("kebocoran"); !slices.Contains(got, "leaks") || !slices.Contains(got, "bocor") {
		t.Errorf("equivalents of kebocoran: %v, want bocor and leaks among them", got)
	}
	if got := syn.equivalents("temuan"); len(got) != 0 {
		t.Errorf("equivalents of temuan: %v, want none (pertemuan is as written only)", got)
	}
	ix := openTestIndex(t)
	b := testBuilder(t)
	en := b.Innovation(1, &kb.Innovation{Slug: "meter", Title: "Smart Water Meters at Perumda Air Minum Ambon", Region: "81.71", Language: "en", Visibility: "public",
		Summary: "The utility's meters flag leaks in the mains, and crews repair them within days."}, "2024-10-22T00:00:00Z", nil)
	docs := []*Document{en,
		innovationDoc(b, 2, "gratis", "33.12", "Sambungan Air Minum Gratis", "Air minum mengalir ke rumah warga miskin; air bersih tanpa biaya sambung."),
	}
	if err := ix.Apply(docs, nil); err != nil {
		t.Fatal(err)
	}
	if got := slugs(mustSearch(t, ix, Request{Query: "kebocoran air"}).Hits); len(got) == 0 || got[0] != "meter" {
		t.Errorf("kebocoran air found %v, want the write-up about leaks first", got)
	}
}
