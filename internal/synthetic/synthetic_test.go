package synthetic

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"

	"tiru/content"
	"tiru/internal/ingest"
)

func TestInnovationsValidate(t *testing.T) {
	ref, err := ingest.LoadReference(content.Regions(), content.Aliases(), content.Urusan())
	if err != nil {
		t.Fatal(err)
	}
	ins := Innovations(7, 400)
	slugs := map[string]bool{}
	words := 0
	for _, in := range ins {
		if err := in.Validate(ref.Ref); err != nil {
			b, _ := json.MarshalIndent(in, "", " ")
			t.Fatalf("%v\n%s", err, b)
		}
		if slugs[in.Slug] {
			t.Fatalf("duplicate slug %s", in.Slug)
		}
		slugs[in.Slug] = true
		words += wordCount(in.Summary, in.Problem, in.Solution, in.Prerequisites, in.Body)
		for _, r := range in.Results {
			words += wordCount(r.Figure, r.Note)
		}
	}
	avg := words / len(ins)
	t.Logf("average %d words a write-up", avg)
	if avg < 250 || avg > 380 {
		t.Errorf("average write-up has %d words, want about 300", avg)
	}
	for _, v := range Visits(7, 50, ins) {
		if err := v.Validate(ref.Ref); err != nil {
			b, _ := json.MarshalIndent(v, "", " ")
			t.Fatalf("%v\n%s", err, b)
		}
	}
}

func wordCount(s ...string) int {
	n := 0
	for _, x := range s {
		n += len(strings.Fields(x))
	}
	return n
}

func TestDeterministic(t *testing.T) {
	a, b := Innovations(42, 30), Innovations(42, 60)
	if !reflect.DeepEqual(a, b[:30]) {
		t.Fatal("the same seed must give the same records, whatever n")
	}
	c := Innovations(43, 30)
	if reflect.DeepEqual(a, c) {
		t.Fatal("another seed must give other records")
	}
}

// TestZipf checks that word frequencies fall off like a power law: the
// commonest words are far more frequent than the median word, and most
// words are rare.
func TestZipf(t *testing.T) {
	freq := map[string]int{}
	for _, in := range Innovations(1, 300) {
		for _, w := range strings.FieldsFunc(strings.ToLower(in.Summary+" "+in.Problem+" "+in.Solution+" "+in.Body), func(r rune) bool {
			return !(r >= 'a' && r <= 'z')
		}) {
			freq[w]++
		}
	}
	counts := make([]int, 0, len(freq))
	for _, c := range freq {
		counts = append(counts, c)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(counts)))
	t.Logf("%d distinct words; ranks 1, 10, 100, 1000: %d %d %d %d", len(counts), counts[0], counts[9], counts[99], counts[min(999, len(counts)-1)])
	if len(counts) < 1500 {
		t.Errorf("only %d distinct words", len(counts))
	}
	if counts[0] < 20*counts[len(counts)/2] {
		t.Errorf("top word %d vs median %d: not Zipf-like", counts[0], counts[len(counts)/2])
	}
}

func TestVocabulary(t *testing.T) {
	v := New(1).Vocabulary()
	if len(v) < 1200 {
		t.Errorf("vocabulary of %d words; want over 1,200 before names, regions and numbers", len(v))
	}
	for _, w := range []string{"melaporkan", "pelaporan", "pelayanan", "menerapkan", "penerapan", "mengelola", "kesehatan", "perizinan"} {
		if i := sort.SearchStrings(v, w); i == len(v) || v[i] != w {
			t.Errorf("vocabulary lacks %q", w)
		}
	}
}
