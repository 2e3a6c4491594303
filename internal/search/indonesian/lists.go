package indonesian

import "sort"

// The lists below are the dictionary-free stand-in for a root dictionary.
// Every entry is there because the rules alone get that word wrong in a way
// that separates forms of one root or merges unrelated ones; the tests check
// that each entry is still needed and that every target is itself a fixed
// point of Stem (otherwise the base word and its derived forms would not
// meet). Keep them small: each addition is a maintenance cost.

// protected words are never stemmed, and stemming stops when a residue
// becomes one of them.
var protected = makeSet(
	// Government vocabulary. pemerintah is kept as the root of its family
	// rather than reduced to perintah ("command"), which would merge
	// "government" with "order"; perintah itself loses per-.
	"pemerintah", "perintah", "bupati", "pegawai", "kepala", "ketua",

	// Roots that begin like a prefix. ke-: the rules cut keluarga to luarga,
	// kediri to diri ("self"), kelola to lola.
	"keluarga", "kelompok", "kelola", "kendali", "kendala", "kendara",
	"kemudi", "kembali", "keluar", "kereta", "kelapa", "kediri", "kerjasama",
	// keliling lost its ke- while berkeliling stopped at keliling, so
	// "layanan keliling" and "berkeliling ke desa" missed each other.
	"keliling",
	// me-/mem-: media → dia ("he/she"), mereka → reka, memori → pori.
	"media", "mediasi", "metode", "mekanisme", "merdeka", "mereka", "memori",
	"melayu",
	// pe-/per-/peng-: reached from their own derived forms (pemeliharaan,
	// mempengaruhi), which must stop here.
	"pesisir", "pelihara", "periksa", "pengaruh", "peluang",
	"perilaku", "pemilu",
	// perahu lost its per- (ahu) while berperahu stopped at perahu.
	"perahu",
	// ter-: terapi → api ("fire"), terima → ima.
	"terminal", "terapi", "terima", "terobos",
	// ber-: berita → ita, beranda → anda ("you").
	"berita", "beranda",
	// di- loanwords whose derived forms keep the di- (mendiskusikan,
	// pendistribusian, kedisiplinan), and divisi, which would become visi.
	"digital", "diskusi", "distribusi", "disiplin", "dialog", "divisi",
	"diseminasi", "diskriminasi", "dimensi",

	// Roots ending in -i that is not the suffix -i (Tala's measure counts
	// a diphthong as two vowels, so even two-syllable -ai words qualify).
	// Loans in -logi, -grafi, -nomi, -ergi and -tegi are covered by a rule
	// in stem.go.
	"sampai", "selesai", "damai", "pantai", "sungai", "lantai", "rantai",
	"capai", "pakai", "nilai", "teliti", "mandiri",
	// balai (balai desa, balai kota) became bala ("troops, calamity");
	// tunai (non tunai, "cash") became tuna, the fish; pindai ("scan")
	// became pinda in memindai and dipindai but stayed whole in pemindaian.
	"balai", "tunai", "pindai",
	"industri", "teori",

	// Roots ending in something that looks like a particle or possessive.
	"sekolah", "masalah", "maluku",

	// pe-/di-/se- look like prefixes in these: penduduk → duduk ("sit")
	// merged population records (kependudukan) with kedudukan
	// ("position"); disabilitas, difabel, diare, direktur and selokan
	// lost letters of their roots.
	"penduduk", "disabilitas", "difabel", "diare", "direktur", "direktorat",
	"selokan",

	// per- + empuan leaves empu ("master craftsman"); a core word of the
	// domain (pemberdayaan perempuan) should not share a stem.
	"perempuan",
)

// exceptions map whole words to their stem where no rule can get there.
var exceptions = map[string]string{
	// The protected root of the government family (see above).
	"pemerintahan": "pemerintah",
	// A recent loan built on a protected root; not generalised to -isasi,
	// because sosialisasi ("outreach") is not sosial.
	"digitalisasi": "digital",
	// Both spellings are in everyday use; antre is the standard one.
	"antri":   "antre",
	"antrian": "antre",
	// Roots in -k followed by -an lose "kan" instead of "an".
	"masukan":  "masuk",
	"tindakan": "tindak",
	"gerakan":  "gerak",
	"rujukan":  "rujuk",
	// tunggakan ("arrears") became tungga while menunggak gave tunggak.
	"tunggakan": "tunggak",
	// ke- is part of the root, so the rules read a ke-…-an confix.
	"keluhan":   "keluh",
	"kendaraan": "kendara",
	// The root ends in what looks like a particle or possessive, and the
	// inflection step runs before any prefix is seen.
	"pelaku":      "laku",
	"berlaku":     "laku",
	"berperilaku": "perilaku",
	"bertemu":     "temu",
	"penemu":      "temu",
	"bertanya":    "tanya",
	"bermasalah":  "masalah",
	"bersekolah":  "sekolah",
	"menikah":     "nikah",
	// ber- + ke-…-an: Tala has no step for a third affix.
	"berkelanjutan": "lanjut",
	// Roots in -s followed by the suffix -i: Tala keeps every -si so as not
	// to cut loanwords (inovasi, koordinasi), which strands these.
	"atasi":   "atas",
	"awasi":   "awas",
	"batasi":  "batas",
	"lintasi": "lintas",
	// With no first-order prefix the second-order prefix goes first, and
	// then the measure blocks -an (pesanan → sanan), or -kan is taken where
	// -an was meant (perbaikan → bai).
	"pesanan":   "pesan",
	"kemasan":   "kemas",
	"perbaikan": "baik",
	// The prefix's own letters are taken for the root's: pemerataan →
	// ata, perantau → antau, (mem)beritahu(kan) → itahu.
	"pemerataan":     "rata",
	"perantau":       "rantau",
	"beritahu":       "tahu",
	"memberitahu":    "tahu",
	"memberitahukan": "tahu",
	"pemberitahuan":  "tahu",
	"mengetahui":     "tahu",
	// ter- is part of the root; -an is refused after ter-.
	"terobosan": "terobos",
	"terapan":   "terap",
}

// recodeTables undo assimilation at a prefix boundary: they map the residue
// the rules produce to the root, for roots frequent in this domain. They are
// consulted only when the removed prefix was followed by a vowel, so a
// residue that is a real word in its own right (emas "gold", pakan "feed")
// is untouched when it stands alone.
var recodeTables = [...]map[string]string{
	recodeK: {
		"elola": "kelola", "urang": "kurang", "embang": "kembang",
		"umpul": "kumpul", "irim": "kirim", "enal": "kenal",
		"unjung": "kunjung", "endali": "kendali", "endara": "kendara",
		"uat": "kuat", "erja": "kerja", "eluh": "keluh", "emudi": "kemudi",
		"uasa": "kuasa", "ejar": "kejar", "emas": "kemas",
		"embali": "kembali", "ompos": "kompos",
		"oordinasi": "koordinasi", "olaborasi": "kolaborasi",
		"omunikasi": "komunikasi", "onsumsi": "konsumsi",
		"ampanye": "kampanye", "eluar": "keluar", "elompok": "kelompok",
		"eliling": "keliling",
	},
	recodeM: {
		"pohon": "mohon", "panfaat": "manfaat", "pilik": "milik",
		"pula": "mula", "pasuk": "masuk", "pakan": "makan", "puda": "muda",
		"pukim": "mukim", "pudah": "mudah", "paksimal": "maksimal",
		"pinimal": "minimal", "potivasi": "motivasi", "pediasi": "mediasi",
		"ponitor": "monitor", "pinta": "minta", "pasyarakat": "masyarakat",
		"pandiri": "mandiri", "pantap": "mantap", "puat": "muat",
		"pakmur": "makmur", "pusnah": "musnah", "putakhir": "mutakhir",
		"pakam": "makam", "pekar": "mekar", "podernisasi": "modernisasi",
	},
	recodeN: {
		"tilai": "nilai", "tikah": "nikah", "tasihat": "nasihat",
		"tormalisasi": "normalisasi", "tanti": "nanti",
	},
	recodeNy: {
		"sata": "nyata", "sanyi": "nyanyi",
	},
	recodeR: {
		"umah": "rumah", "awat": "rawat", "encana": "rencana",
		"esmi": "resmi", "ekam": "rekam", "agam": "ragam", "ajin": "rajin",
		"emaja": "remaja", "ancang": "rancang", "ekrut": "rekrut",
		"ingkas": "ringkas",
	},
}

// Protected reports whether word is on the protected list: Stem returns it
// unchanged, and stops when a derived form is reduced to it. Stem already
// honours the list; it is exported for analysis chains that want to skip
// the stemmer or mark keywords themselves.
func Protected(word string) bool {
	return isProtected(word)
}

// ProtectedWords returns the protected list, sorted, for building a Bleve
// token map for the keyword_marker filter. Marking them is optional (Stem
// leaves them alone anyway); inflected forms such as "sekolahnya" must not
// be marked, so that Stem can still reduce them to the protected word.
func ProtectedWords() []string {
	out := make([]string, 0, len(protected))
	for w := range protected {
		out = append(out, w)
	}
	sort.Strings(out)
	return out
}

func isProtected(w string) bool {
	_, ok := protected[w]
	return ok
}

// listed reports whether the lists vouch for w as a whole word.
func listed(w string) bool {
	if isProtected(w) {
		return true
	}
	_, ok := exceptions[w]
	return ok
}

func makeSet(words ...string) map[string]struct{} {
	m := make(map[string]struct{}, len(words))
	for _, w := range words {
		m[w] = struct{}{}
	}
	return m
}
