package web

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// pagesToValidate are the pages a reader can reach, with the records and
// states (empty lists, errors, filters) that change their markup.
var pagesToValidate = []string{
	"/", "/inovasi", "/inovasi?province=33&stage=penerapan", "/inovasi?urusan=1.01", "/inovasi/aplikasi-pengaduan-warga-surakarta",
	"/inovasi/lengkap", "/kunjungan", "/kunjungan/" + seedVisit, "/kunjungan?type=studi_banding", "/wilayah", "/wilayah?q=banjar",
	"/wilayah?q=zzzz", "/wilayah/63.03", "/wilayah/33", "/wilayah/00", "/instansi/diskominfo-sp-kota-surakarta", "/tidak-ada",
	"/cari", "/cari?q=pengaduan+warga", "/cari?q=surakarta&kind=innovation&province=33", "/cari?q=pengaduanxx+surakartta", "/cari?q=zzzz&stage=uji_coba",
	"/inovasi?page=999", "/kunjungan?page=50", "/cari?q=pengaduan&page=999", "/sandi-baru/tidak-berlaku",
	"/replikasi", "/replikasi?status=ditunda&province=63", "/replikasi?province=11", "/replikasi?diam=1", "/replikasi?region=63.03&status=dikaji",
	"/kunjungan/dengan-lampiran",
}

// TestPagesAreValidHTML runs the W3C Nu HTML Checker over every page in
// both languages when CI has installed it (TIRU_VNU_JAR names vnu.jar).
func TestPagesAreValidHTML(t *testing.T) {
	jar := os.Getenv("TIRU_VNU_JAR")
	if jar == "" {
		t.Skip("TIRU_VNU_JAR not set; .ci/run installs vnu-jar and sets it")
	}
	ts := newTestServer(t)
	ts.importJSONL(t, `{"kind":"innovation","slug":"lengkap","title":"Semua kolom","region":"Solo","agency":"Diskominfo SP Kota Surakarta","urusan":"2.16","urusan_related":["2.20"],"stage":"uji coba","stage_dates":{"uji_coba":"2023-01-02"},"innovation_type":"digital","form":"pelayanan publik","initiator":"opd","year_started":2023,"summary":"s","problem":"p\n\n| a | b |\n|---|---|\n| 1 | 2 |","solution":"s","results":[{"date":"2024-01-01","figure":"10 laporan"}],"cost_per_year":2500000000,"partners":["Telkom"],"legal_basis":["Perwali 1/2023"],"prerequisites":"x","contacts":[{"name":"A","role":"B","email":"a@b.id","phone":"1"}],"evidence_level":3,"sustainability":"berlanjut","sustainability_verified":"2024-10-22","sources":[{"title":"t","url":"https://example.org"}],"tags":["a"],"body":"# Judul\n\n<script>x</script>\n\n- a\n- b\n\n`+"```go\\nx := 1\\n```"+`"}`+"\n")
	// A visit with files of each kind shown differently: an image with its
	// preview, a document without.
	ts.importJSONL(t, visitJSON("dengan-lampiran", banjarRegion, banjarAgency, soloRegion, soloAgency, "")+"\n")
	ts.attach(t, "dengan-lampiran", "Laporan <perjalanan> & catatan.pdf", "application/pdf", testPDF)
	ts.attach(t, "dengan-lampiran", "foto rombongan.png", "image/png", testPNG)
	dir := t.TempDir()
	for _, lang := range []string{"id", "en"} {
		for i, p := range pagesToValidate {
			sep := "?"
			if strings.Contains(p, "?") {
				sep = "&"
			}
			status, _, body := ts.get(t, p+sep+"lang="+lang)
			if status >= 500 {
				t.Fatalf("%s: status %d", p, status)
			}
			name := filepath.Join(dir, lang+"-"+strings.Trim(strings.NewReplacer("/", "_", "?", "_", "&", "_", "=", "_").Replace(p), "_")+".html")
			if i == 0 {
				name = filepath.Join(dir, lang+"-home.html")
			}
			if err := os.WriteFile(name, []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	out, err := exec.Command("java", "-jar", jar, "--errors-only", "--format", "gnu", "--skip-non-html", dir).CombinedOutput()
	if err != nil {
		t.Fatalf("the Nu HTML Checker found errors:\n%s", out)
	}
}

// vnuJar is the Nu HTML Checker's jar, or skips the test when CI has not
// installed it.
func vnuJar(t *testing.T) string {
	t.Helper()
	jar := os.Getenv("TIRU_VNU_JAR")
	if jar == "" {
		t.Skip("TIRU_VNU_JAR not set; .ci/run installs vnu-jar and sets it")
	}
	return jar
}

// checkHTML runs the Nu HTML Checker over pages (file name → page) and
// fails the test on any error.
func checkHTML(t *testing.T, jar string, pages map[string]string) {
	t.Helper()
	dir := t.TempDir()
	for name, body := range pages {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := exec.Command("java", "-jar", jar, "--errors-only", "--format", "gnu", dir).CombinedOutput(); err != nil {
		t.Fatalf("the Nu HTML Checker found errors:\n%s", out)
	}
}
