package indonesian

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// stemTable is the golden table: word → expected stem. Groups follow the
// rule or list that decides the result, so a failure points at the cause.
var stemTable = []struct{ word, want string }{
	// Tala's own worked examples (§3.3 of the research notes).
	{"pelayanan", "layan"}, {"melayani", "layan"}, {"dilayani", "layan"},
	{"layanan", "layan"}, {"kebijakan", "bijak"}, {"pendidikan", "didik"},
	{"mendidik", "didik"}, {"pendidik", "didik"}, {"kesehatan", "sehat"},
	{"menyehatkan", "sehat"}, {"penyederhanaan", "sederhana"},
	{"menyederhanakan", "sederhana"}, {"perizinan", "izin"},
	{"mengizinkan", "izin"}, {"pembangunan", "bangun"}, {"membangun", "bangun"},
	{"dibangun", "bangun"}, {"bangunan", "bangun"}, {"penulis", "tulis"},
	{"ditulis", "tulis"}, {"tulisan", "tulis"}, {"menyapu", "sapu"},
	{"belajar", "ajar"}, {"pelajar", "ajar"}, {"mengajar", "ajar"},
	{"pembelajaran", "ajar"}, {"mempelajari", "ajar"}, {"dipelajari", "ajar"},
	{"pengajar", "ajar"}, {"ajaran", "ajar"}, {"bekerja", "kerja"},
	{"pekerja", "kerja"}, {"pekerjaan", "kerja"}, {"dikerjakan", "kerja"},
	{"bukunya", "buku"}, {"keberhasilan", "hasil"}, {"menghasilkan", "hasil"},
	{"penghasilan", "hasil"}, {"berhasil", "hasil"}, {"pemberdayaan", "daya"},
	{"memberdayakan", "daya"}, {"berdaya", "daya"}, {"diberdayakan", "daya"},
	{"kepulauan", "pulau"}, {"kebersihan", "bersih"},
	{"membersihkan", "bersih"}, {"pembersihan", "bersih"},
	{"berinovasi", "inovasi"},

	// Particles and possessives.
	{"bukankah", "bukan"}, {"itulah", "itu"}, {"merekapun", "mereka"},
	{"rumahku", "rumah"}, {"bukumu", "buku"}, {"programnya", "program"},
	{"usahanya", "usaha"}, {"pentingnya", "penting"},
	{"masalahnya", "masalah"}, {"sekolahnya", "sekolah"},
	{"kendalanya", "kendala"}, {"teknologinya", "teknologi"},
	{"pemerintahnya", "pemerintah"}, {"pemerintahannya", "pemerintah"},
	{"pengelolaannya", "kelola"},

	// First-order prefixes with a suffix, and the confix flags.
	{"kerusakan", "rusak"}, {"merusak", "rusak"}, {"dirusak", "rusak"},
	{"persampahan", "sampah"}, {"pembayaran", "bayar"}, {"membayar", "bayar"},
	{"dibayar", "bayar"}, {"pendaftaran", "daftar"}, {"mendaftar", "daftar"},
	{"didaftarkan", "daftar"}, {"terdaftar", "daftar"},
	{"pengurusan", "urus"}, {"mengurus", "urus"}, {"diurus", "urus"},
	{"pengurus", "urus"}, {"pengaduan", "adu"}, {"mengadu", "adu"},
	{"aduan", "adu"}, {"diadukan", "adu"}, {"mengadukan", "adu"},
	{"laporan", "lapor"}, {"melaporkan", "lapor"}, {"pelaporan", "lapor"},
	{"dilaporkan", "lapor"}, {"pelapor", "lapor"},
	{"penggunaan", "guna"}, {"menggunakan", "guna"}, {"pengguna", "guna"},
	{"digunakan", "guna"}, {"penyediaan", "sedia"}, {"menyediakan", "sedia"},
	{"tersedia", "sedia"}, {"disediakan", "sedia"},
	{"penyelenggaraan", "selenggara"}, {"menyelenggarakan", "selenggara"},
	{"diselenggarakan", "selenggara"}, {"penyelenggara", "selenggara"},
	{"pelaksanaan", "laksana"}, {"melaksanakan", "laksana"},
	{"dilaksanakan", "laksana"}, {"pelaksana", "laksana"},
	{"pemilihan", "pilih"}, {"memilih", "pilih"}, {"pemilih", "pilih"},
	{"pemantauan", "pantau"}, {"memantau", "pantau"}, {"dipantau", "pantau"},
	{"pembukaan", "buka"}, {"terbuka", "buka"}, {"membuka", "buka"},
	{"melakukan", "laku"}, {"dilakukan", "laku"}, {"pemberlakuan", "laku"},
	{"diberlakukan", "laku"}, {"pertemuan", "temu"}, {"menemukan", "temu"},
	{"temuan", "temu"}, {"penemuan", "temu"}, {"pertanyaan", "tanya"},
	{"penggerak", "gerak"}, {"bergerak", "gerak"}, {"menggerakkan", "gerak"},
	{"penindakan", "tindak"}, {"menindak", "tindak"}, {"pencegahan", "cegah"},
	{"mencegah", "cegah"}, {"penyusunan", "susun"}, {"menyusun", "susun"},
	{"persiapan", "siap"}, {"menyiapkan", "siap"}, {"penanganan", "tangan"},
	{"menangani", "tangan"}, {"ditangani", "tangan"}, {"ketentuan", "tentu"},
	{"ditentukan", "tentu"}, {"peraturan", "atur"}, {"mengatur", "atur"},
	{"pengaturan", "atur"}, {"aturan", "atur"}, {"teratur", "atur"},
	{"perubahan", "ubah"}, {"mengubah", "ubah"}, {"perjalanan", "jalan"},
	{"menjalankan", "jalan"}, {"mewujudkan", "wujud"}, {"perwujudan", "wujud"},
	{"perlindungan", "lindung"}, {"melindungi", "lindung"},
	{"bantuan", "bantu"}, {"membantu", "bantu"}, {"dukungan", "dukung"},
	{"mendukung", "dukung"}, {"pendukung", "dukung"}, {"mengikuti", "ikut"},
	{"pencatatan", "catat"}, {"catatan", "catat"}, {"hubungan", "hubung"},
	{"menghubungi", "hubung"}, {"perhubungan", "hubung"},
	{"berhubungan", "hubung"}, {"pelatihan", "latih"}, {"pelatih", "latih"},
	{"latihan", "latih"}, {"pertumbuhan", "tumbuh"}, {"tumbuhan", "tumbuh"},
	{"pengawasan", "awas"}, {"pengawas", "awas"}, {"keamanan", "aman"},
	{"pengamanan", "aman"}, {"mengamankan", "aman"}, {"melanjutkan", "lanjut"},
	{"lanjutan", "lanjut"}, {"berlanjut", "lanjut"},
	{"kesejahteraan", "sejahtera"}, {"menyejahterakan", "sejahtera"},
	{"mensejahterakan", "sejahtera"}, {"petugas", "tugas"},
	{"penugasan", "tugas"}, {"bertugas", "tugas"}, {"ditugaskan", "tugas"},
	{"penanaman", "tanam"}, {"tanaman", "tanam"}, {"penjualan", "jual"},
	{"pembelian", "beli"}, {"pemasaran", "pasar"}, {"memasarkan", "pasar"},
	{"pemesanan", "pesan"}, {"pengusaha", "usaha"}, {"perusahaan", "usaha"},
	{"penyebaran", "sebar"}, {"tersebar", "sebar"}, {"penyaluran", "salur"},
	{"saluran", "salur"}, {"pengangkutan", "angkut"}, {"angkutan", "angkut"},
	{"perkotaan", "kota"}, {"pedesaan", "desa"}, {"perdesaan", "desa"},
	{"kelurahan", "lurah"}, {"kecamatan", "camat"}, {"pertanian", "tani"},
	{"petani", "tani"}, {"perikanan", "ikan"}, {"peternakan", "ternak"},
	{"peternak", "ternak"}, {"perpustakaan", "pustaka"},
	{"kemiskinan", "miskin"}, {"pengentasan", "entas"}, {"kebakaran", "bakar"},
	{"penanggulangan", "tanggulang"}, {"kelahiran", "lahir"},
	{"kematian", "mati"}, {"perkawinan", "kawin"}, {"kemitraan", "mitra"},
	{"ketahanan", "tahan"}, {"menengah", "tengah"}, {"pendapatan", "dapat"},
	{"anggaran", "anggar"}, {"pemberitaan", "berita"},
	{"diberitakan", "berita"}, {"kemerdekaan", "merdeka"},
	{"kedisiplinan", "disiplin"}, {"pendistribusian", "distribusi"},
	{"berdiskusi", "diskusi"}, {"mendiskusikan", "diskusi"},
	{"mendigitalkan", "digital"}, {"berkualitas", "kualitas"},
	{"pemberian", "beri"}, {"memberikan", "beri"}, {"diberikan", "beri"},
	{"pemetaan", "peta"}, {"memetakan", "peta"},

	// Loans that keep their form through ber-, ter-, meng-, di-.
	{"inovasi", "inovasi"}, {"terintegrasi", "integrasi"},
	{"mengintegrasikan", "integrasi"}, {"disosialisasikan", "sosialisasi"},
	{"mensosialisasikan", "sosialisasi"}, {"mengoptimalkan", "optimal"},
	{"berkoordinasi", "koordinasi"}, {"mengkoordinasikan", "koordinasi"},
	{"berkolaborasi", "kolaborasi"}, {"bersinergi", "sinergi"},
	{"teknologi", "teknologi"}, {"berteknologi", "teknologi"},
	{"ekonomi", "ekonomi"}, {"perekonomian", "ekonomi"},
	{"geografi", "geografi"}, {"energi", "energi"}, {"strategi", "strategi"},
	{"perindustrian", "industri"},

	// Changed rule: men- + vowel → t, like Tala's pen- + vowel.
	{"menulis", "tulis"}, {"meningkatkan", "tingkat"},
	{"peningkatan", "tingkat"}, {"ditingkatkan", "tingkat"},
	{"menetapkan", "tetap"}, {"penetapan", "tetap"}, {"ketetapan", "tetap"},
	{"menentukan", "tentu"}, {"penentuan", "tentu"}, {"menanam", "tanam"},
	{"menumbuhkan", "tumbuh"}, {"menanyakan", "tanya"}, {"menerima", "terima"},
	{"penerimaan", "terima"}, {"penerima", "terima"},

	// Snowball's mem-/pem- + vowel → p.
	{"memukul", "pukul"}, {"pemukul", "pukul"}, {"memakai", "pakai"},
	{"pemakaian", "pakai"}, {"memotong", "potong"}, {"pemadam", "padam"},
	{"memutuskan", "putus"}, {"memerintahkan", "perintah"},
	{"memelihara", "pelihara"}, {"pemeliharaan", "pelihara"},
	{"memeriksa", "periksa"}, {"pemeriksaan", "periksa"},

	// Changed rule: second-order prefix after first-order even without a
	// suffix; belajar/pelajar as beginnings; peN-/ter- after ke-.
	{"memperkuat", "kuat"}, {"diperkuat", "kuat"}, {"memperpanjang", "panjang"},
	{"diperpanjang", "panjang"}, {"perpanjangan", "panjang"},
	{"mempermudah", "mudah"}, {"dipermudah", "mudah"},
	{"mempercepat", "cepat"}, {"dipercepat", "cepat"}, {"percepatan", "cepat"},
	{"memperbaiki", "baik"}, {"diperbaiki", "baik"},
	{"memperbarui", "baru"}, {"pembaruan", "baru"}, {"pelajaran", "ajar"},
	{"kependudukan", "penduduk"}, {"penduduk", "penduduk"}, {"kedudukan", "duduk"},
	{"pemerataan", "rata"}, {"perantau", "rantau"}, {"pemberitahuan", "tahu"}, {"mengetahui", "tahu"},
	{"disabilitas", "disabilitas"}, {"difabel", "difabel"}, {"diare", "diare"}, {"direktur", "direktur"}, {"selokan", "selokan"},
	{"kepemimpinan", "pimpin"}, {"pemimpin", "pimpin"},
	{"kepengurusan", "urus"}, {"keterbukaan", "buka"},
	{"ketersediaan", "sedia"}, {"kepemerintahan", "pemerintah"},

	// Recode tables: a root consonant absorbed by the prefix.
	{"mengelola", "kelola"}, {"pengelolaan", "kelola"}, {"pengelola", "kelola"},
	{"mengurangi", "kurang"}, {"pengurangan", "kurang"},
	{"pengembangan", "kembang"}, {"mengembangkan", "kembang"},
	{"pengumpulan", "kumpul"}, {"pengiriman", "kirim"}, {"pengenalan", "kenal"},
	{"pengunjung", "kunjung"}, {"pengendalian", "kendali"},
	{"pengendara", "kendara"}, {"penguatan", "kuat"}, {"mengerjakan", "kerja"},
	{"mengeluh", "keluh"}, {"pengomposan", "kompos"}, {"pengemasan", "kemas"},
	{"pengembalian", "kembali"}, {"pengeluaran", "keluar"},
	{"pengelompokan", "kelompok"}, {"mengoordinasikan", "koordinasi"},
	{"pemohon", "mohon"}, {"memohon", "mohon"}, {"permohonan", "mohon"},
	{"pemanfaatan", "manfaat"}, {"memanfaatkan", "manfaat"},
	{"pemilik", "milik"}, {"memiliki", "milik"}, {"kepemilikan", "milik"},
	{"pemasukan", "masuk"}, {"memasukkan", "masuk"}, {"pemuda", "muda"},
	{"kepemudaan", "muda"}, {"pemukiman", "mukim"}, {"permukiman", "mukim"},
	{"memudahkan", "mudah"}, {"memulai", "mula"}, {"meminta", "minta"},
	{"pemutakhiran", "mutakhir"}, {"pemakaman", "makam"},
	{"pemekaran", "mekar"}, {"pemasyarakatan", "masyarakat"},
	{"penilaian", "nilai"}, {"menilai", "nilai"}, {"menyatakan", "nyata"},
	{"pernyataan", "nyata"}, {"perumahan", "rumah"}, {"perawatan", "rawat"},
	{"perawat", "rawat"}, {"terawat", "rawat"}, {"perencanaan", "rencana"},
	{"perencana", "rencana"}, {"terencana", "rencana"},
	{"peresmian", "resmi"}, {"perekaman", "rekam"},

	// Exceptions.
	{"pemerintahan", "pemerintah"}, {"digitalisasi", "digital"},
	{"antrian", "antre"}, {"antri", "antre"}, {"mengantri", "antre"},
	{"antrean", "antre"}, {"mengantre", "antre"}, {"masukan", "masuk"},
	{"tindakan", "tindak"}, {"gerakan", "gerak"}, {"pergerakan", "gerak"},
	{"keluhan", "keluh"}, {"kendaraan", "kendara"}, {"pelaku", "laku"},
	{"berlaku", "laku"}, {"berperilaku", "perilaku"}, {"bertemu", "temu"},
	{"penemu", "temu"}, {"bertanya", "tanya"}, {"bermasalah", "masalah"},
	{"bersekolah", "sekolah"}, {"mengolah", "olah"}, {"diolah", "olah"},
	{"pengolah", "olah"}, {"pengolahan", "olah"}, {"berkelanjutan", "lanjut"},
	// A root ending in -lah after a prefix keeps its ending; a real
	// particle still goes.
	{"dipilah", "pilah"}, {"memilah", "pilah"}, {"terpilah", "pilah"},
	{"pemilahan", "pilah"}, {"berjumlah", "jumlah"}, {"menghimpun", "himpun"},
	{"melangkah", "langkah"}, {"bantulah", "bantu"}, {"bacalah", "baca"},
	{"keberlanjutan", "lanjut"}, {"terobosan", "terobos"},
	{"menerobos", "terobos"}, {"terapan", "terap"}, {"menerapkan", "terap"},
	{"penerapan", "terap"}, {"diterapkan", "terap"}, {"mengatasi", "atas"},
	{"mengawasi", "awas"}, {"membatasi", "batas"}, {"pesanan", "pesan"},
	{"kemasan", "kemas"}, {"perbaikan", "baik"}, {"rujukan", "rujuk"},

	// Protected words reached from derived forms.
	{"dikelola", "kelola"}, {"kepegawaian", "pegawai"},
	{"mementingkan", "penting"}, {"kepentingan", "penting"},
	{"mempengaruhi", "pengaruh"}, {"berpengaruh", "pengaruh"},
	{"pencapaian", "capai"}, {"mencapai", "capai"}, {"tercapai", "capai"},
	{"menyampaikan", "sampai"}, {"penyelesaian", "selesai"},
	{"perdamaian", "damai"}, {"peneliti", "teliti"},
	{"penelitian", "teliti"}, {"meneliti", "teliti"},
	{"kemandirian", "mandiri"}, {"bekerjasama", "kerjasama"},
	{"memediasi", "mediasi"}, {"permasalahan", "masalah"},
}

// unchanged must come back exactly as given: too short, not a-z, two
// syllables or fewer, protected, or simply a root the rules leave alone.
var unchanged = []string{
	"dinas", "desa", "peta", "bersih", "media", "kepala", "terminal",
	"pesisir", "internet", "wifi", "telkom", "surakarta", "banjar", "2024",
	"e", "ktp", "umkm", "e-ktp", "anak-anak", "covid19", "Dinas", "kelola",
	"pemerintah", "perintah", "digital", "penting", "sekolah", "masalah",
	"pegawai", "bupati", "ketua", "keluarga", "kelompok", "kereta", "berita",
	"terima", "terapi", "nilai", "pakai", "capai", "sampai", "selesai",
	"pantai", "sungai", "mandiri", "teliti", "perempuan", "kabupaten",
	"provinsi", "sosialisasi", "aplikasi", "informasi", "komunikasi",
	"online", "website", "dashboard", "platform", "koperasi", "posyandu",
	"puskesmas", "stunting", "sanitasi", "transparansi", "akuntabilitas",
	"pariwisata", "masyarakat", "kualitas", "fasilitas", "inovatif",
	"surabaya", "semarang", "jakarta", "bekasi", "sidoarjo", "denpasar",
	"kediri", "maluku", "pemkot", "pemda", "pemilu", "lapor", "adu",
	"kurang", "antre", "terap", "rusak", "izin", "sampah", "bayar", "daftar",
	"urus", "layan", "kelapa", "mereka", "beranda", "divisi", "otonomi",
	"demografi", "café", "jalan", "gizi",
}

func TestStem(t *testing.T) {
	seen := map[string]bool{}
	for _, tc := range stemTable {
		if seen[tc.word] {
			t.Errorf("duplicate table entry %q", tc.word)
		}
		seen[tc.word] = true
		if got := Stem(tc.word); got != tc.want {
			t.Errorf("Stem(%q) = %q, want %q", tc.word, got, tc.want)
		}
	}
}

func TestStemUnchanged(t *testing.T) {
	for _, w := range unchanged {
		if got := Stem(w); got != w {
			t.Errorf("Stem(%q) = %q, want it unchanged", w, got)
		}
	}
}

// families are the property search depends on: every form of a root must
// meet on one stem, whatever that stem is.
var families = [][]string{
	{"lapor", "laporan", "melaporkan", "pelaporan", "dilaporkan", "pelapor", "laporannya"},
	{"adu", "aduan", "pengaduan", "mengadukan", "diadukan", "mengadu"},
	{"layan", "pelayanan", "melayani", "dilayani", "layanan", "pelayanannya"},
	{"kelola", "pengelolaan", "mengelola", "dikelola", "pengelola"},
	{"terap", "penerapan", "menerapkan", "diterapkan", "terapan"},
	{"kurang", "mengurangi", "pengurangan", "berkurang", "kekurangan", "dikurangi"},
	{"antre", "antrean", "antrian", "mengantre", "antri", "mengantri"},
	{"rusak", "kerusakan", "merusak", "dirusak"},
	{"izin", "perizinan", "mengizinkan", "diizinkan"},
	{"inovasi", "berinovasi", "inovasinya"},
	{"sampah", "persampahan"},
	{"bayar", "pembayaran", "membayar", "dibayar"},
	{"daftar", "pendaftaran", "mendaftar", "didaftarkan", "terdaftar"},
	{"urus", "pengurusan", "mengurus", "diurus", "pengurus", "kepengurusan"},
	{"pemerintah", "pemerintahan", "pemerintahnya", "pemerintahannya", "kepemerintahan"},
	{"penduduk", "kependudukan", "kependudukannya"},
	{"rata", "merata", "pemerataan", "meratakan"},
	{"tahu", "mengetahui", "memberitahukan", "pemberitahuan", "beritahu"},
	{"mohon", "pemohon", "permohonan", "memohon"},
	{"digital", "digitalisasi", "mendigitalkan"},
	{"bangun", "pembangunan", "membangun", "dibangun", "bangunan"},
	{"didik", "pendidikan", "mendidik", "pendidik"},
	{"tulis", "penulis", "menulis", "ditulis", "tulisan"},
	{"ajar", "belajar", "pelajar", "pelajaran", "mengajar", "pembelajaran", "mempelajari", "ajaran"},
	{"kerja", "bekerja", "pekerja", "pekerjaan", "dikerjakan", "mengerjakan"},
	{"hasil", "keberhasilan", "menghasilkan", "penghasilan", "berhasil"},
	{"daya", "pemberdayaan", "memberdayakan", "berdaya", "diberdayakan"},
	{"bersih", "kebersihan", "membersihkan", "pembersihan"},
	{"manfaat", "pemanfaatan", "memanfaatkan", "dimanfaatkan", "bermanfaat"},
	{"tingkat", "peningkatan", "meningkatkan", "ditingkatkan"},
	{"nilai", "penilaian", "menilai", "dinilai"},
	{"kembang", "pengembangan", "mengembangkan", "berkembang", "perkembangan", "dikembangkan"},
	{"guna", "penggunaan", "menggunakan", "pengguna", "digunakan"},
	{"sedia", "penyediaan", "menyediakan", "tersedia", "ketersediaan", "disediakan"},
	{"laksana", "pelaksanaan", "melaksanakan", "dilaksanakan", "pelaksana"},
	{"rencana", "perencanaan", "merencanakan", "direncanakan", "perencana"},
	{"rawat", "perawatan", "merawat", "dirawat", "perawat"},
	{"terima", "penerimaan", "menerima", "diterima", "penerima"},
	{"milik", "pemilik", "memiliki", "dimiliki", "kepemilikan"},
	{"masuk", "pemasukan", "memasukkan", "dimasukkan", "masukan"},
	{"buka", "terbuka", "keterbukaan", "membuka", "dibuka", "pembukaan"},
	{"sekolah", "sekolahnya", "bersekolah"},
	{"masalah", "permasalahan", "bermasalah", "masalahnya"},
	{"laku", "pelaku", "berlaku", "melakukan", "dilakukan", "memberlakukan", "pemberlakuan"},
	{"teliti", "peneliti", "penelitian", "meneliti", "diteliti"},
	{"olah", "pengolahan", "mengolah", "diolah", "olahan", "pengolah"},
	{"pilah", "memilah", "dipilah", "terpilah", "pemilahan"},
	{"keliling", "berkeliling", "mengelilingi", "dikelilingi"},
	{"perahu", "berperahu", "perahunya"},
	{"tunggak", "tunggakan", "menunggak"},
	{"pindai", "memindai", "dipindai", "pemindaian"},
	{"balai", "balainya"},
	{"tanya", "pertanyaan", "bertanya", "menanyakan", "ditanyakan"},
	{"temu", "pertemuan", "bertemu", "menemukan", "ditemukan", "penemu", "temuan"},
	{"gerak", "gerakan", "penggerak", "bergerak", "menggerakkan", "pergerakan"},
	{"tindak", "tindakan", "penindakan", "menindak", "ditindak"},
	{"keluh", "keluhan", "mengeluh", "mengeluhkan", "dikeluhkan"},
	{"kendara", "kendaraan", "berkendara", "pengendara"},
	{"pegawai", "kepegawaian"},
	{"mudah", "kemudahan", "mempermudah", "dipermudah", "memudahkan"},
	{"panjang", "perpanjangan", "memperpanjang", "diperpanjang"},
	{"kuat", "penguatan", "memperkuat", "diperkuat", "menguatkan"},
	{"capai", "pencapaian", "mencapai", "tercapai", "capaian"},
	{"pakai", "pemakaian", "memakai", "dipakai"},
	{"selesai", "penyelesaian", "menyelesaikan", "diselesaikan"},
	{"kumpul", "pengumpulan", "mengumpulkan", "dikumpulkan", "terkumpul"},
	{"kunjung", "pengunjung", "mengunjungi", "kunjungan", "dikunjungi"},
	{"kendali", "pengendalian", "mengendalikan", "dikendalikan"},
	{"integrasi", "terintegrasi", "mengintegrasikan", "diintegrasikan"},
	{"tangan", "penanganan", "menangani", "ditangani"},
	{"rumah", "perumahan", "rumahnya"},
	{"rekam", "perekaman", "merekam", "direkam", "rekaman"},
	{"muda", "pemuda", "kepemudaan"},
	{"pimpin", "pemimpin", "kepemimpinan", "memimpin", "dipimpin", "pimpinan"},
	{"lanjut", "keberlanjutan", "berkelanjutan", "melanjutkan", "dilanjutkan", "lanjutan", "berlanjut"},
	{"cepat", "percepatan", "mempercepat", "dipercepat"},
	{"berita", "pemberitaan", "diberitakan"},
	{"pelihara", "pemeliharaan", "memelihara", "dipelihara", "terpelihara"},
	{"periksa", "pemeriksaan", "memeriksa", "diperiksa"},
	{"penting", "kepentingan", "pentingnya", "mementingkan"},
	{"ekonomi", "perekonomian"},
	{"teknologi", "berteknologi", "teknologinya"},
	{"atas", "mengatasi", "diatasi", "teratasi"},
	{"awas", "pengawasan", "mengawasi", "diawasi", "pengawas"},
	{"baik", "perbaikan", "memperbaiki", "diperbaiki"},
	{"kemas", "kemasan", "pengemasan", "mengemas"},
	{"pesan", "pesanan", "pemesanan", "memesan", "dipesan"},
	{"keluar", "pengeluaran", "mengeluarkan", "dikeluarkan"},
	{"kembali", "pengembalian", "mengembalikan", "dikembalikan"},
	{"nyata", "menyatakan", "pernyataan", "kenyataan", "dinyatakan"},
	{"mula", "mulai", "memulai", "dimulai", "permulaan"},
}

func TestFamiliesMeet(t *testing.T) {
	for _, fam := range families {
		t.Run(fam[0], func(t *testing.T) {
			want := Stem(fam[0])
			var bad []string
			for _, w := range fam[1:] {
				if got := Stem(w); got != want {
					bad = append(bad, fmt.Sprintf("%s→%s", w, got))
				}
			}
			if len(bad) > 0 {
				t.Errorf("family of %q (stem %q) split: %s", fam[0], want, strings.Join(bad, ", "))
			}
		})
	}
}

// TestFamiliesStayApart guards against the lists over-reaching: words that
// look alike but mean different things must not share a stem.
func TestFamiliesStayApart(t *testing.T) {
	pairs := [][2]string{
		{"pemerintah", "perintah"}, // government / command
		{"kepala", "pala"},         // head / nutmeg
		{"media", "dia"},           // media / he, she
		{"kediri", "diri"},         // city / self
		{"pesisir", "sisir"},       // coast / comb
		{"terapi", "api"},          // therapy / fire
		{"divisi", "visi"},         // division / vision
		{"beranda", "anda"},        // home page / you
		{"perempuan", "empu"},      // woman / master craftsman
		{"keluar", "luar"},         // go out / outside
		{"emas", "kemas"},          // gold / pack
		{"pakan", "makan"},         // feed / eat
		{"tunai", "tuna"},          // cash / tuna
		{"balai", "bala"},          // hall / troops
	}
	for _, p := range pairs {
		if a, b := Stem(p[0]), Stem(p[1]); a == b {
			t.Errorf("Stem(%q) and Stem(%q) both = %q, want them apart", p[0], p[1], a)
		}
	}
}

func TestStemLight(t *testing.T) {
	cases := []struct{ word, want string }{
		{"programnya", "program"}, {"bukankah", "bukan"}, {"itulah", "itu"},
		{"rumahku", "rumah"}, {"bukumu", "buku"}, {"merekapun", "mereka"},
		{"pelayanannya", "pelayanan"}, {"pelayanan", "pelayanan"},
		{"melaporkan", "melaporkan"}, {"sekolah", "sekolah"},
		{"sekolahnya", "sekolah"}, {"pelaku", "pelaku"}, {"pelakunya", "pelaku"},
		{"masalah", "masalah"}, {"berlaku", "berlaku"}, {"buku", "buku"},
		{"kepalanya", "kepala"}, {"2024", "2024"}, {"ktp", "ktp"},
		{"dipilah", "dipilah"}, {"bacalah", "baca"},
	}
	for _, tc := range cases {
		if got := StemLight(tc.word); got != tc.want {
			t.Errorf("StemLight(%q) = %q, want %q", tc.word, got, tc.want)
		}
	}
}

// TestProtectedEntriesNeeded keeps the protected list honest: each word must
// be one the bare rules would change, and Stem must leave it alone.
func TestProtectedEntriesNeeded(t *testing.T) {
	for _, w := range ProtectedWords() {
		if !Protected(w) {
			t.Errorf("Protected(%q) = false for a listed word", w)
		}
		if got := Stem(w); got != w {
			t.Errorf("Stem(%q) = %q, want protected word unchanged", w, got)
		}
		if raw := stem(w, false); raw == w {
			t.Errorf("protected %q is not needed: the rules already leave it alone", w)
		}
	}
	if Protected("pelayanan") {
		t.Error(`Protected("pelayanan") = true`)
	}
}

// TestExceptionsNeeded: each exception must correct the rules, and its
// target must be a fixed point, or the base word would not meet its forms.
func TestExceptionsNeeded(t *testing.T) {
	for k, v := range exceptions {
		if raw := stem(k, false); raw == v {
			t.Errorf("exception %q→%q is not needed: the rules give it", k, v)
		}
		if got := Stem(k); got != v {
			t.Errorf("Stem(%q) = %q, want exception %q", k, got, v)
		}
		if got := Stem(v); got != v {
			t.Errorf("exception target %q is not a fixed point: Stem gives %q", v, got)
		}
	}
}

func TestRecodeTargetsAreFixedPoints(t *testing.T) {
	for class, table := range recodeTables {
		for k, v := range table {
			if got := Stem(v); got != v {
				t.Errorf("recode class %d %q→%q: target stems to %q", class, k, v, got)
			}
		}
	}
}

func TestProtectedWordsSortedCopy(t *testing.T) {
	ws := ProtectedWords()
	if len(ws) != len(protected) {
		t.Fatalf("ProtectedWords has %d words, want %d", len(ws), len(protected))
	}
	for i := 1; i < len(ws); i++ {
		if ws[i-1] >= ws[i] {
			t.Errorf("ProtectedWords not sorted at %q, %q", ws[i-1], ws[i])
		}
	}
	ws[0] = "mutated"
	if ProtectedWords()[0] == "mutated" {
		t.Error("ProtectedWords returns shared storage")
	}
}

func FuzzStem(f *testing.F) {
	for _, tc := range stemTable {
		f.Add(tc.word)
	}
	for _, w := range []string{"", "a", "me", "meng", "menge", "peny", "pelajar", "belajar",
		"bexer", "kepen", "kah", "nya", "iiiii", "mmmmmm", "ñandu", "\xff\xfe", "ke-pala"} {
		f.Add(w)
	}
	f.Fuzz(func(t *testing.T, w string) {
		for name, fn := range map[string]func(string) string{"Stem": Stem, "StemLight": StemLight} {
			got := fn(w)
			if utf8.ValidString(w) && !utf8.ValidString(got) {
				t.Fatalf("%s(%q) = %q, not valid UTF-8", name, w, got)
			}
			if w != "" && got == "" {
				t.Fatalf("%s(%q) returned an empty string", name, w)
			}
			if len(got) > len(w)+1 {
				t.Fatalf("%s(%q) = %q grew the word", name, w, got)
			}
		}
	})
}

func BenchmarkStem(b *testing.B) {
	words := make([]string, len(stemTable))
	for i, tc := range stemTable {
		words[i] = tc.word
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Stem(words[i%len(words)])
	}
}
