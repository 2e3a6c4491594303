package indonesian

import (
	"strings"
	"testing"
)

func TestStopWords(t *testing.T) {
	ws := StopWords()
	if n := len(ws); n < 100 || n > 250 {
		t.Errorf("stop list has %d words, want 100–250", n)
	}
	set := map[string]bool{}
	for _, w := range ws {
		if set[w] {
			t.Errorf("duplicate stop word %q", w)
		}
		set[w] = true
		if w != strings.ToLower(strings.TrimSpace(w)) || w == "" {
			t.Errorf("stop word %q is not a trimmed lower-case token", w)
		}
	}
	for _, w := range []string{
		"yang", "dan", "di", "ke", "dari", "untuk", "dengan", "pada", "ini",
		"itu", "adalah", "atau", "secara", "oleh", "akan", "juga", "ada",
		"tidak", "sudah", "telah", "dalam", "sebagai", "bagi", "para", "serta",
		"agar", "karena", "namun", "tetapi", "hal", "cara", "bagaimana", "apa",
		"apakah", "gimana", "bisa", "aja", "udah", "gak", "pake",
	} {
		if !set[w] {
			t.Errorf("function word %q missing from the stop list", w)
		}
	}
	for _, w := range []string{
		"kecil", "lalu", "lama", "dekat", "sama", "baru", "umum", "besar",
		"usaha", "warga", "data", "baik", "kurang", "mohon", "guna", "lintas",
		"layanan", "desa", "publik",
	} {
		if set[w] {
			t.Errorf("domain word %q must not be a stop word", w)
		}
	}
	ws[0] = "mutated"
	if StopWords()[0] == "mutated" {
		t.Error("StopWords returns shared storage")
	}
}

// TestQuestionReducesToContent checks the intended effect on a typical
// query typed as a question.
func TestQuestionReducesToContent(t *testing.T) {
	stop := map[string]bool{}
	for _, w := range StopWords() {
		stop[w] = true
	}
	for q, want := range map[string]string{
		"bagaimana cara mengurangi antrean ktp":            "mengurangi antrean ktp",
		"apakah ada inovasi untuk usaha kecil di desa":     "inovasi usaha kecil desa",
		"gimana cara mengatasi kemacetan lalu lintas":      "mengatasi kemacetan lalu lintas",
		"apa saja layanan yang bisa diakses secara daring": "layanan diakses daring",
		"data warga yang sudah lama tidak diperbarui":      "data warga lama diperbarui",
		"daerah mana yang punya internet gratis di taman":  "daerah internet gratis taman",
		"saya ingin contoh inovasi kepemilikan rumah":      "inovasi kepemilikan rumah",
	} {
		var kept []string
		for _, tok := range strings.Fields(q) {
			if !stop[tok] {
				kept = append(kept, tok)
			}
		}
		if got := strings.Join(kept, " "); got != want {
			t.Errorf("%q → %q, want %q", q, got, want)
		}
	}
}

// The active verbs of a need are recognised in their meN- forms, and the
// few nouns that say the change asked for as the verb does; the other
// nouns of the same roots are topics.
func TestIsNeedVerb(t *testing.T) {
	for _, w := range []string{"mengurangi", "menurunkan", "meningkatkan", "mempercepat", "mempermudah", "memperbaiki",
		"mencegah", "mengatasi", "menangani", "melayani", "mengurus", "menyederhanakan", "mengoptimalkan",
		"mendapatkan", "memperoleh", "membuat", "menjaga", "melindungi",
		"penanganan", "peningkatan", "pengurangan", "penurunan", "percepatan"} {
		if !IsNeedVerb(w) {
			t.Errorf("%s: not a need verb", w)
		}
	}
	for _, w := range []string{"pencegahan", "pelayanan", "antrean", "stunting", "menara",
		"melaporkan", "menerapkan", "kurang", "pendapatan", "pembuatan", "penjagaan", "perlindungan"} {
		if IsNeedVerb(w) {
			t.Errorf("%s: taken for a need verb", w)
		}
	}
}

// Words saying a need is hard are recognised in their forms.
func TestIsDifficulty(t *testing.T) {
	for _, w := range []string{"sulit", "kesulitan", "susah", "kesusahan", "rumit", "berbelit", "sukar", "lambat", "ribet", "jarang"} {
		if !IsDifficulty(w) {
			t.Errorf("%s: not a difficulty", w)
		}
	}
	for _, w := range []string{"izin", "pupuk", "lama", "mudah", "sulung"} {
		if IsDifficulty(w) {
			t.Errorf("%s: taken for a difficulty", w)
		}
	}
}
