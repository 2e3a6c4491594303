package indonesian

import "strings"

// stopWords is a curated list for searching write-ups of regional-government
// innovations, written for this project rather than taken from Tala's
// appendix (the list Bleve's stop_id and Lucene ship). That list removes
// words that carry meaning here: kecil ("usaha kecil"), lalu ("lalu
// lintas"), lama, dekat, sama, and it keeps untuk and secara. The rule used
// here: drop a word only if a searcher would never mean it as the topic.
// Kept on purpose, though some lists drop them: kecil, besar, lalu, lama,
// baru, dekat, sama, umum, usaha, warga, data, baik ("praktik baik"),
// kurang ("kurang mampu"), mohon (root of permohonan), guna (root of
// penggunaan), bersama, mampu, perlu.
//
// Question words are dropped so that a question typed into the search box
// ("bagaimana cara mengurangi antrean KTP") is reduced to its content words.
var stopWords = []string{
	// Conjunctions and connectives.
	"dan", "atau", "serta", "maupun", "ataupun", "tetapi", "tapi", "namun",
	"melainkan", "sedangkan", "sementara", "padahal", "karena", "karna",
	"sebab", "sehingga", "maka", "agar", "supaya", "jika", "kalau",
	"apabila", "bila", "jikalau", "meskipun", "walaupun", "walau",
	"biarpun", "bahwa", "yaitu", "yakni", "adapun", "selain", "bahkan",

	// Prepositions.
	"di", "ke", "dari", "pada", "kepada", "daripada", "untuk", "bagi",
	"buat", "dengan", "oleh", "dalam", "tentang", "mengenai", "terhadap",
	"menurut", "melalui", "antara", "sejak", "hingga", "sampai", "tanpa",
	"atas", "seperti", "sebagai", "secara", "sekitar", "per",

	// Relativisers, copulas, auxiliaries, modals.
	"yang", "adalah", "ialah", "merupakan", "menjadi", "akan", "sudah",
	"telah", "sedang", "masih", "belum", "pernah", "harus", "dapat", "bisa",
	"boleh", "ada", "tidak", "tak", "bukan", "jangan",

	// Demonstratives and deictics.
	"ini", "itu", "tersebut", "sini", "situ", "sana", "begitu", "demikian",
	"inilah", "itulah", "hal",

	// Pronouns.
	"saya", "aku", "kami", "kita", "anda", "kamu", "engkau", "dia", "ia",
	"mereka", "beliau", "dirinya", "kalian",

	// Quantifiers and determiners.
	"para", "sang", "si", "sebuah", "suatu", "seorang", "sesuatu", "semua",
	"segala", "setiap", "tiap", "masing", "beberapa", "sejumlah",
	"berbagai", "lainnya", "lain", "sebagian", "seluruh",

	// Degree and focus adverbs.
	"sangat", "amat", "lebih", "paling", "terlalu", "sekali", "makin",
	"semakin", "hanya", "saja", "juga", "pula", "pun", "lagi", "selalu",
	"sering", "justru", "memang", "tentu", "tentunya", "kemudian",
	"setelah", "sebelum", "sesudah", "ketika", "saat", "selama", "sambil",
	"sendiri",

	// Question words and the "how to" frame (see questionWords).
	"apa", "apakah", "bagaimana", "bagaimanakah", "gimana", "mengapa",
	"kenapa", "kapan", "siapa", "berapa", "mana", "dimana", "manakah",
	"cara", "adakah", "bisakah", "apapun",

	// The frame of a need or a question: "daerah mana yang punya …",
	// "ingin contoh inovasi …". Never what is searched for; as whole
	// tokens only, so milik and kepemilikan stay.
	"punya", "mempunyai", "memiliki", "ingin", "mau", "contoh",

	// Discourse particles and informal spellings common in citizen text.
	"lah", "kah", "dong", "sih", "nih", "deh", "kok", "ya", "yah",
	"nah", "yg", "dgn", "utk", "tdk", "dll", "dsb", "tsb",
	// Chat forms of the function words above ("absen pake selfie",
	// "udah ada belum"): without them, "pake" was respelt "paket".
	"aja", "udah", "udh", "sdh", "blm", "gak", "nggak", "enggak", "ngga",
	"gk", "ga", "gmn", "bgmn", "gitu", "kalo", "krn", "jg", "pake", "pakai",
	"biar", "kayak", "banget",
	// "dapet bantuan". ("usah" and "cuma" are connectives instead: as stop
	// words they emptied "cuma-cuma", free of charge, and stopped "usah"
	// completing to "usaha" while typed.)
	"dapet",
}

// questionWords mark a query typed as a question.
var questionWords = map[string]bool{
	"apa": true, "apakah": true, "bagaimana": true, "bagaimanakah": true, "gimana": true, "mengapa": true,
	"kenapa": true, "kapan": true, "siapa": true, "berapa": true, "mana": true, "dimana": true, "manakah": true,
	"cara": true, "adakah": true, "bisakah": true,
}

// IsQuestionWord reports whether a lower-cased word asks a question
// ("bagaimana", "apakah", "cara" as in "cara mengurangi …").
func IsQuestionWord(w string) bool { return questionWords[w] }

// stopSet holds stopWords for lookups; it is never written after start.
var stopSet = func() map[string]bool {
	m := make(map[string]bool, len(stopWords))
	for _, w := range stopWords {
		m[w] = true
	}
	return m
}()

// IsStopWord reports whether a lower-cased word is on the stop list.
func IsStopWord(w string) bool { return stopSet[w] }

// StopWords returns a copy of the curated Indonesian stop list, for a Bleve
// token map feeding a stop_tokens filter. It is applied before the stemmer,
// so it removes exact tokens only: dropping "ada" does not affect
// "pengadaan".
func StopWords() []string {
	out := make([]string, len(stopWords))
	copy(out, stopWords)
	return out
}

// needVerbRoots are the roots of the verbs that say what change a need
// asks for, or that it be served: "cara mengurangi antrean KTP",
// "bagaimana menangani keluhan warga", "menurunkan stunting". Write-ups
// describe the solution ("antrean online", "pencegahan stunting") and
// seldom repeat the verb, so such a verb orders results but is not what
// they must contain.
var needVerbRoots = map[string]bool{
	"kurang": true, "turun": true, "tingkat": true, "tambah": true, "banyak": true, "cepat": true,
	"mudah": true, "sederhana": true, "pangkas": true, "tekan": true, "baik": true, "kuat": true,
	"optimal": true, "cegah": true, "atas": true, "tangan": true, "layan": true, "urus": true,
	"bantu": true, "dukung": true, "dorong": true, "kembang": true, "wujud": true,
	// Getting and making: "cara mendapatkan beasiswa", "membuat ppid desa".
	"dapat": true, "oleh": true, "buat": true,
	// Keeping safe: "bagaimana menjaga keselamatan pelajar".
	"jaga": true, "lindung": true,
}

// needNounRoots are the roots whose peN-…-an nouns name the change asked
// for as the verb does ("penanganan genangan", "peningkatan PAD",
// "percepatan izin"). Unlike "pelayanan" or "pencegahan", write-ups seldom
// use them for what they are about.
var needNounRoots = map[string]bool{"tangan": true, "kurang": true, "turun": true, "tingkat": true, "cepat": true}

// IsNeedVerb reports whether a lower-cased word is the active verb of a
// need ("mengurangi", "mempercepat", "melayani"), or one of the few nouns
// that say the same ("penanganan"). Only the meN- forms of most verbs
// count: "pencegahan" and "pelayanan" are what a write-up is about.
func IsNeedVerb(w string) bool {
	if strings.HasPrefix(w, "pe") && needNounRoots[Stem(w)] {
		return true
	}
	return strings.HasPrefix(w, "me") && needVerbRoots[Stem(w)]
}

// difficultyRoots are the roots of the words that say a need is hard:
// "warga sulit mengurus izin", "petani kesulitan pupuk". Like the verb of a
// need, they frame what is asked (permits, fertiliser) and are seldom in
// the write-up that answers it.
var difficultyRoots = map[string]bool{"sulit": true, "susah": true, "sukar": true, "rumit": true, "belit": true,
	// "izin lambat", "urus akta ribet", "dokter jarang datang". Not "lama",
	// which is as often "old" ("kota lama") as "slow".
	"lambat": true, "ribet": true, "jarang": true}

// IsDifficulty reports whether a lower-cased word says that something is
// hard to do ("sulit", "kesulitan", "berbelit").
func IsDifficulty(w string) bool { return difficultyRoots[Stem(w)] }

// connectives say how a thing is done, not what it is: "tpp berbasis
// kinerja", "lapor lewat wa", "absensi menggunakan aplikasi". A write-up
// about performance-based allowances need not say "berbasis".
var connectives = map[string]bool{"berbasis": true, "berbasiskan": true, "menggunakan": true, "memakai": true,
	"lewat": true, "via": true, "memanfaatkan": true,
	// The passive and chat forms: "aplikasi yang dipakai pemkot solo",
	// "gmn cara bikin ppid desa".
	"dipakai": true, "digunakan": true, "dimanfaatkan": true, "bikin": true,
	// The means asked for: a write-up about an online queue may never say
	// "aplikasi" ("aplikasi antrian"), and nearly a quarter of write-ups
	// do, just short of being common and optional.
	"aplikasi": true, "app": true, "sistem": true, "platform": true,
	// "About": "kunjungan ke surabaya soal sampah". Not a stop word, so
	// that "bank soal" still ranks question banks first.
	"soal": true,
	// What a visit led to: "tindak lanjut studi tiru banjar ke solo" asks
	// for the visit, whose follow-ups are listed without the words.
	"tindak": true, "lanjut": true,
	// Chat words that only frame: "ga usah antri di samsat", "wisatawan
	// cuma lewat".
	"usah": true, "cuma": true}

// IsConnective reports whether a lower-cased word only links what is
// asked for to how ("berbasis", "lewat", "menggunakan").
func IsConnective(w string) bool { return connectives[w] }

// IsCatalogueWord reports whether a lower-cased word names what the whole
// knowledge base holds ("inovasi", "berinovasi", "innovation"): in
// "inovasi kalsel" it frames the question, and a write-up need not say it
// to be an answer.
func IsCatalogueWord(w string) bool {
	return w == "innovation" || w == "innovations" || Stem(w) == "inovasi"
}
