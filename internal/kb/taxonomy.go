package kb

import (
	"strings"
	"unicode"
)

// Term is one value of a closed vocabulary: a stable key stored in the
// database and used in the API, with labels in both languages.
type Term struct {
	Key string `json:"key"`
	ID  string `json:"label_id"`
	EN  string `json:"label_en"`
}

// Label returns the term's label in the given language.
func (t Term) Label(lang string) string { return Text{ID: t.ID, EN: t.EN}.In(lang) }

// Taxonomy is an ordered closed vocabulary.
type Taxonomy struct {
	Name  string // the field it belongs to, for messages
	Terms []Term
}

// foldKey reduces a key or label to lower-case letters and digits separated by
// single spaces, so "uji_coba", "Uji Coba" and "uji-coba" all meet.
func foldKey(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.TrimSpace(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		default:
			space = true
		}
	}
	return b.String()
}

// Parse finds the term whose key or label (in either language) matches s, in
// any case and with spaces, hyphens or underscores between words.
func (t Taxonomy) Parse(s string) (Term, bool) {
	f := foldKey(s)
	if f == "" {
		return Term{}, false
	}
	for _, term := range t.Terms {
		if foldKey(term.Key) == f || foldKey(term.ID) == f || foldKey(term.EN) == f {
			return term, true
		}
	}
	return Term{}, false
}

// Get returns the term with exactly this key.
func (t Taxonomy) Get(key string) (Term, bool) {
	for _, term := range t.Terms {
		if term.Key == key {
			return term, true
		}
	}
	return Term{}, false
}

// Keys lists the keys in order, for messages and the API schema.
func (t Taxonomy) Keys() []string {
	keys := make([]string, len(t.Terms))
	for i, term := range t.Terms {
		keys[i] = term.Key
	}
	return keys
}

// Label returns the label of key in lang, or the key itself when unknown.
func (t Taxonomy) Label(key, lang string) string {
	if term, ok := t.Get(key); ok {
		return term.Label(lang)
	}
	return key
}

// normalize validates an optional taxonomy field in place and records an error
// naming the allowed keys when the value is not in the vocabulary.
func (t Taxonomy) normalize(v *ValidationError, field string, value *string, required bool) {
	if strings.TrimSpace(*value) == "" {
		*value = ""
		if required {
			v.add(field, "wajib diisi", "is required")
		}
		return
	}
	term, ok := t.Parse(*value)
	if !ok {
		keys := strings.Join(t.Keys(), ", ")
		v.add(field, "nilai \""+clip(*value, 40)+"\" tidak dikenal; pilih salah satu: "+keys,
			"unknown value \""+clip(*value, 40)+"\"; use one of: "+keys)
		return
	}
	*value = term.Key
}

// The vocabularies of Tiru. They are functions rather than package variables
// so that no caller can change them for everyone else.

// Stages is the IGA innovation stage.
func Stages() Taxonomy {
	return Taxonomy{Name: "stage", Terms: []Term{
		{"inisiatif", "Inisiatif", "Initiative"},
		{"uji_coba", "Uji coba", "Trial"},
		{"penerapan", "Penerapan", "Implementation"},
	}}
}

// InnovationTypes says whether an innovation is digital.
func InnovationTypes() Taxonomy {
	return Taxonomy{Name: "innovation_type", Terms: []Term{
		{"digital", "Digital", "Digital"},
		{"non_digital", "Non-digital", "Non-digital"},
	}}
}

// Forms is the IGA form of an innovation.
func Forms() Taxonomy {
	return Taxonomy{Name: "form", Terms: []Term{
		{"tata_kelola", "Tata kelola pemerintahan daerah", "Governance"},
		{"pelayanan_publik", "Pelayanan publik", "Public service"},
		{"lainnya", "Bentuk lainnya", "Other"},
	}}
}

// Initiators is who started an innovation.
func Initiators() Taxonomy {
	return Taxonomy{Name: "initiator", Terms: []Term{
		{"kepala_daerah", "Kepala daerah", "Regional head"},
		{"anggota_dprd", "Anggota DPRD", "Council member"},
		{"opd", "Perangkat daerah", "Regional agency"},
		{"asn", "ASN", "Civil servant"},
		{"masyarakat", "Masyarakat", "Citizens"},
	}}
}

// Sustainabilities is whether an innovation is still running.
func Sustainabilities() Taxonomy {
	return Taxonomy{Name: "sustainability", Terms: []Term{
		{"berlanjut", "Berlanjut", "Continuing"},
		{"stagnan", "Stagnan", "Stagnant"},
		{"berhenti", "Berhenti", "Stopped"},
	}}
}

// VisitTypes is the kind of a visit.
func VisitTypes() Taxonomy {
	return Taxonomy{Name: "visit_type", Terms: []Term{
		{"studi_tiru", "Studi tiru", "Replication study visit"},
		{"studi_banding", "Studi banding", "Comparative study visit"},
		{"kunjungan_kerja", "Kunjungan kerja", "Working visit"},
		{"bimbingan_teknis", "Bimbingan teknis", "Technical guidance"},
		{"lainnya", "Lainnya", "Other"},
	}}
}

// FollowUpStatuses is the state of a follow-up action of a visit.
func FollowUpStatuses() Taxonomy {
	return Taxonomy{Name: "status", Terms: []Term{
		{"terbuka", "Terbuka", "Open"},
		{"berjalan", "Sedang berjalan", "In progress"},
		{"selesai", "Selesai", "Done"},
		{"batal", "Dibatalkan", "Cancelled"},
	}}
}

// AdoptionStatuses is the replication pipeline, in order, then its exits.
func AdoptionStatuses() Taxonomy {
	return Taxonomy{Name: "status", Terms: []Term{
		{"diminati", "Diminati", "Shortlisted"},
		{"dikaji", "Dikaji", "Under review"},
		{"dikunjungi", "Dikunjungi", "Visited"},
		{"surat_minat", "Surat minat", "Letter of interest"},
		{"disepakati", "Disepakati", "Agreed"},
		{"perencanaan", "Perencanaan", "Planning"},
		{"uji_coba", "Uji coba", "Trial"},
		{"diterapkan", "Diterapkan", "Implemented"},
		{"melembaga", "Melembaga", "Institutionalised"},
		{"ditunda", "Ditunda", "Deferred"},
		{"tidak_dilanjutkan", "Tidak dilanjutkan", "Not continued"},
		{"dihentikan", "Dihentikan", "Stopped"},
	}}
}

// AdoptionDegrees is how completely an innovation was replicated.
func AdoptionDegrees() Taxonomy {
	return Taxonomy{Name: "degree", Terms: []Term{
		{"penuh", "Penuh", "Full"},
		{"sebagian", "Sebagian", "Partial"},
		{"adaptasi", "Diadaptasi", "Adapted"},
	}}
}

// Languages is the language a write-up is written in.
func Languages() Taxonomy {
	return Taxonomy{Name: "language", Terms: []Term{
		{"id", "Bahasa Indonesia", "Indonesian"},
		{"en", "Bahasa Inggris", "English"},
	}}
}

// Visibilities says who may read a record.
func Visibilities() Taxonomy {
	return Taxonomy{Name: "visibility", Terms: []Term{
		{"public", "Publik", "Public"},
		{"internal", "Internal", "Internal"},
	}}
}

// clip shortens s for quoting in a message, so a huge bad value does not
// become a huge error message.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
