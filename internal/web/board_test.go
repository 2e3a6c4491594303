package web

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"tiru/internal/kb"
)

// The adoption board shows leadership how many adoptions stand at each
// step and which stalled, the latest moves, and visit follow-ups not yet
// done with the overdue ones first; a reader sees only what they may read.
func TestAdoptionBoard(t *testing.T) {
	ts := newTestServer(t)
	ts.importJSONL(t, innovationJSON("rahasia-banjar", "Judul Rahasia Banjar", banjarRegion, banjarAgency, `,"visibility":"internal"`)+"\n"+
		`{"kind":"adoption","innovation":"rahasia-banjar","region":"63.71","status":"dikaji"}`+"\n"+
		`{"kind":"adoption","innovation":"aplikasi-pengaduan-warga-surakarta","region":"32.73","status":"ditunda","note":"Anggaran belum ada"}`+"\n"+
		visitJSON("kunjungan-tindak-lanjut", banjarRegion, banjarAgency, soloRegion, soloAgency,
			`,"follow_ups":[{"action":"Kirim surat minat","due_date":"2099-01-31","status":"terbuka"},{"action":"Susun kajian biaya","due_date":"2025-03-31","status":"berjalan"},{"action":"Sudah beres","due_date":"2025-02-20","status":"selesai"}]`)+"\n")
	_, _, page := ts.get(t, "/replikasi")
	for _, want := range []string{"Papan replikasi", "1 di antaranya mandek", "Anggaran belum ada", "Kota Bandung", "Susun kajian biaya", "lewat tenggat"} {
		if !strings.Contains(page, want) {
			t.Errorf("the board lacks %q", want)
		}
	}
	if strings.Contains(page, "Judul Rahasia Banjar") || strings.Contains(page, "Sudah beres") {
		t.Error("the board shows an internal innovation's adoption, or a finished follow-up")
	}
	if i, j := strings.Index(page, "Susun kajian biaya"), strings.Index(page, "Kirim surat minat"); i < 0 || j < 0 || i > j {
		t.Error("the overdue follow-up is not listed first")
	}
	_, _, stalled := ts.get(t, "/replikasi?status=ditunda")
	if !strings.Contains(stalled, "Anggaran belum ada") || strings.Contains(stalled, "Internet Gratis") && strings.Contains(stalled, "Diminati") {
		t.Error("filtered by status, the board lists other steps")
	}
	_, _, banjar := ts.get(t, "/replikasi?province=63")
	if strings.Contains(banjar, "Anggaran belum ada") {
		t.Error("filtered by Kalimantan Selatan, the board lists Bandung's adoption")
	}
}

// A visit's page marks its open follow-ups past their due date, as the
// board does; done ones are not late.
func TestVisitPageMarksOverdueFollowUps(t *testing.T) {
	ts := newTestServer(t)
	ts.importJSONL(t, `{"kind":"visit","slug":"kunker-tenggat","title":"Kunker Tenggat","visit_type":"kunjungan_kerja","start_date":"2025-01-10","end_date":"2025-01-11",`+
		`"visitor_region":"63.03","host_region":"33.72","visibility":"public","follow_ups":[`+
		`{"action":"Susun kajian","owner":"Bappeda","due_date":"2025-02-28","status":"terbuka"},`+
		`{"action":"Kirim surat","owner":"DKISP","due_date":"2025-02-28","status":"selesai"}]}`+"\n")
	_, _, body := ts.get(t, "/kunjungan/kunker-tenggat")
	if n := strings.Count(body, "lewat tenggat"); n != 1 {
		t.Errorf("%d follow-ups marked overdue, want the open one only", n)
	}
}

// An adoption under way that has had no step for six months is idle: the
// board counts it and lists the idle ones on their own, since a stop is
// seldom written down.
func TestBoardShowsIdleAdoptions(t *testing.T) {
	ts := newTestServer(t)
	recent := time.Now().AddDate(0, -1, 0).Format(kb.DateLayout)
	ts.importJSONL(t, `{"kind":"adoption","innovation":"aplikasi-pengaduan-warga-surakarta","region":"35.78","status":"dikaji","date":"2024-01-10","note":"Menunggu anggaran"}`+"\n"+
		`{"kind":"adoption","innovation":"internet-gratis-ruang-publik-surakarta","region":"35.78","status":"dikaji","date":"`+recent+`","note":"Baru dikaji"}`+"\n"+
		`{"kind":"adoption","innovation":"kurasi-kemitraan-media-surakarta","region":"35.78","status":"diterapkan","date":"2024-01-10","note":"Sudah jalan"}`+"\n")
	_, _, page := ts.get(t, "/replikasi?region=35.78")
	if !strings.Contains(page, "1 masih berjalan tetapi tidak bergerak") {
		t.Error("the board does not count the one idle adoption")
	}
	// Filtered to a step, the count is of that step's adoptions only.
	if _, _, done := ts.get(t, "/replikasi?region=35.78&status=diterapkan"); strings.Contains(done, "tidak bergerak lebih dari") {
		t.Error("the implemented adoptions are said to include an idle one")
	}
	_, _, idle := ts.get(t, "/replikasi?region=35.78&diam=1")
	if !strings.Contains(idle, "Menunggu anggaran") || strings.Contains(idle, "Baru dikaji") || strings.Contains(idle, "Sudah jalan") {
		t.Error("the idle list is not the adoption under way without a step for six months")
	}
}

// The board lists at most boardLimit adoptions and follow-ups; past that it
// says how many it shows of how many, so a leader does not take the list
// for all there is.
func TestBoardSaysWhenItsListsAreCut(t *testing.T) {
	ts := newTestServer(t)
	var lines strings.Builder
	n := 0
	for _, r := range ts.ref.Ref.Regions.All() {
		if r.IsProvince() || r.Code == "00" || r.Code == soloRegion || r.Code == banjarRegion {
			continue
		}
		fmt.Fprintf(&lines, `{"kind":"adoption","innovation":"internet-gratis-ruang-publik-surakarta","region":%q,"status":"dikaji","date":"2025-01-10"}`+"\n", r.Code)
		if n++; n == boardLimit+1 {
			break
		}
	}
	var fus []string
	for i := range boardLimit + 1 {
		fus = append(fus, fmt.Sprintf(`{"action":"Langkah %d","due_date":"2030-01-01","status":"terbuka"}`, i))
	}
	lines.WriteString(visitJSON("kunjungan-banyak-tindak-lanjut", banjarRegion, banjarAgency, soloRegion, soloAgency, `,"follow_ups":[`+strings.Join(fus, ",")+`]`) + "\n")
	ts.importJSONL(t, lines.String())
	_, _, page := ts.get(t, "/replikasi")
	total := n + 4 // and the seed's four
	if want := fmt.Sprintf("Menampilkan %d terbaru dari %d replikasi.", boardLimit, total); !strings.Contains(page, want) {
		t.Errorf("the board does not say %q", want)
	}
	if want := fmt.Sprintf("Menampilkan %d tindak lanjut pertama", boardLimit); !strings.Contains(page, want) {
		t.Errorf("the board does not say %q", want)
	}
	if got := strings.Count(page, "Langkah "); got > boardLimit {
		t.Errorf("the board lists %d follow-ups, more than %d", got, boardLimit)
	}
	// Filtered to the seed's step, the list is whole and says nothing.
	if _, _, few := ts.get(t, "/replikasi?status=diminati"); strings.Contains(few, "terbaru dari") {
		t.Error("a board list that is not cut says it is")
	}
}

// Narrowed to a regency (the region pages and the board's own links give
// one), the board's filter form says so and keeps it when filtering again,
// and offers to remove it alone.
func TestBoardKeepsARegencyFilter(t *testing.T) {
	ts := newTestServer(t)
	ts.importJSONL(t, `{"kind":"adoption","innovation":"aplikasi-pengaduan-warga-surakarta","region":"63.03","status":"dikaji","note":"Kajian di Banjar"}`+"\n"+
		`{"kind":"adoption","innovation":"aplikasi-pengaduan-warga-surakarta","region":"63.71","status":"dikaji","note":"Kajian di Banjarmasin"}`+"\n")
	for _, lang := range []string{"id", "en"} {
		_, _, page := ts.get(t, "/replikasi?region=63.03&lang="+lang)
		if !strings.Contains(page, "<strong>Kabupaten Banjar</strong>") {
			t.Errorf("%s: the filter form does not show the regency the board is narrowed to", lang)
		}
		if !strings.Contains(page, `<a href="/replikasi">`+map[string]string{"id": "hapus saringan wilayah", "en": "remove the region filter"}[lang]+`</a>`) {
			t.Errorf("%s: no link removes the regency filter", lang)
		}
	}
	_, _, page := ts.get(t, "/replikasi?region=63.03")
	form := formFields(t, page, "/replikasi")
	if form.Get("region") != "63.03" {
		t.Fatalf("the filter form drops the regency: %v", form)
	}
	form.Set("status", "dikaji")
	_, _, again := ts.get(t, "/replikasi?"+form.Encode())
	if !strings.Contains(again, "Kajian di Banjar") || strings.Contains(again, "Kajian di Banjarmasin") {
		t.Error("filtered again by step, the board is no longer narrowed to the regency")
	}
	if !strings.Contains(again, `<a href="/replikasi?status=dikaji">`) {
		t.Error("removing the regency filter does not keep the step")
	}
}

// Leadership downloads the board's lists whole, past the 100 the board
// shows, with its filters, as CSV a spreadsheet opens: UTF-8 with a byte
// order mark, headings in the reader's language, nothing the reader may
// not see, and no cell a spreadsheet would run as a formula.
func TestBoardDownloads(t *testing.T) {
	ts := newTestServer(t)
	var lines strings.Builder
	lines.WriteString(adoptedByBanjarbaru("Inovasi Unduh", 105))
	lines.WriteString(innovationJSON("rahasia-banjar", "Judul Rahasia Banjar", banjarRegion, banjarAgency, `,"visibility":"internal"`) + "\n")
	lines.WriteString(`{"kind":"adoption","innovation":"rahasia-banjar","region":"63.71","status":"dikaji"}` + "\n")
	lines.WriteString(`{"kind":"adoption","innovation":"internet-gratis-ruang-publik-surakarta","region":"32.73","status":"ditunda","note":"=HYPERLINK(\"http://contoh.id\")"}` + "\n")
	lines.WriteString(visitJSON("kunjungan-unduh", banjarRegion, banjarAgency, soloRegion, soloAgency,
		`,"follow_ups":[{"action":"Kirim surat minat","owner":"Sekretaris","due_date":"2025-03-31","status":"terbuka"},{"action":"Sudah beres","due_date":"2025-02-20","status":"selesai"}]`) + "\n")
	ts.importJSONL(t, lines.String())

	read := func(path string) [][]string {
		t.Helper()
		status, header, body := ts.get(t, path)
		if status != 200 || !strings.HasPrefix(header.Get("Content-Type"), "text/csv") || !strings.Contains(header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("%s: %d %v", path, status, header)
		}
		if !strings.HasPrefix(body, "\ufeff") {
			t.Errorf("%s: no byte order mark", path)
		}
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return rows
	}
	rows := read("/replikasi/unduh.csv")
	if rows[0][0] != "Inovasi" || rows[0][3] != "Daerah yang mereplikasi" || rows[0][8] != "Tidak bergerak lebih dari 6 bulan" {
		t.Errorf("headings %q", rows[0])
	}
	kota := 0
	for _, r := range rows[1:] {
		switch {
		case r[0] == "Judul Rahasia Banjar":
			t.Error("the download lists an internal innovation's adoption to an anonymous reader")
		case strings.HasPrefix(r[0], "Inovasi Unduh") && r[4] == "63.71" && r[5] == "Dikaji":
			kota++
		case r[9] != "" && r[9][0] == '=':
			t.Errorf("a note that reads as a formula went out as one: %q", r[9])
		}
	}
	if kota != 105 {
		t.Errorf("%d of the 105 adoptions by Kota Banjarbaru downloaded, want all", kota)
	}
	if got := read("/replikasi/unduh.csv?status=ditunda&lang=en"); len(got) != 2 || got[0][0] != "Innovation" || got[1][9] != `'=HYPERLINK("http://contoh.id")` {
		t.Errorf("filtered to the deferred adoptions, in English: %q", got)
	}
	fus := read("/replikasi/tindak-lanjut.csv?region=" + banjarRegion)
	var found bool
	for _, r := range fus[1:] {
		if r[0] == "Sudah beres" {
			t.Error("a finished follow-up is in the download of open ones")
		}
		if r[0] == "Kirim surat minat" {
			found = r[1] == "Sekretaris" && r[3] == "Ya" && r[6] == "kunjungan-unduh"
		}
	}
	if !found {
		t.Errorf("the open, overdue follow-up is not downloaded as such: %q", fus)
	}
	if _, _, page := ts.get(t, "/replikasi?status=ditunda"); !strings.Contains(page, `href="/replikasi/unduh.csv?status=ditunda"`) {
		t.Error("the filtered board does not offer its filtered download")
	}
}

// No cell of a download begins as a formula, wherever a spreadsheet may
// begin one: Excel set to Indonesian opens a CSV file split at ";" (its
// list separator), not at commas, and then neither the start of a value
// nor its quotes decide where a cell starts; a line break or a tab starts
// a row or a cell in other readers. A note such as "Dikaji;=WEBSERVICE(…)"
// must not become a formula there.
func TestBoardDownloadsStartNoFormulaAtAnySeparator(t *testing.T) {
	ts := newTestServer(t)
	ts.importJSONL(t, innovationJSON("ajaib-banjar", "Ajaib;-2+3", banjarRegion, banjarAgency, "")+"\n"+
		`{"kind":"adoption","innovation":"ajaib-banjar","region":"`+soloRegion+`","status":"dikaji","note":"Dikaji; =WEBSERVICE(A1)\n- poin dua\n\"=1+1\""}`+"\n"+
		`{"kind":"adoption","innovation":"internet-gratis-ruang-publik-surakarta","region":"`+banjarRegion+`","status":"dikaji","note":"Biaya;\uff1d1+1\t@SUM(1)"}`+"\n"+
		visitJSON("kunjungan-rumus", banjarRegion, banjarAgency, soloRegion, soloAgency,
			`,"title":"Kunjungan;=1+1","follow_ups":[{"action":"Rapat;=2+2;lanjut","owner":"Bidang; @SUM(1)","due_date":"2025-03-31","status":"terbuka"},`+
				`{"action":"Kirim \"surat\";\"=1+1\"","owner":"\"+62 811\"","due_date":"2025-03-31","status":"terbuka"},`+
				`{"action":"Catatan\n=HYPERLINK(1)","owner":"Tab\t+1","due_date":"2025-03-31","status":"terbuka"}]`)+"\n")

	// A cell a spreadsheet takes for a formula: after spaces and quotes,
	// it begins with one's first character (a leading "'" makes it text).
	formula := func(cell string) bool {
		cell = strings.TrimLeft(cell, " \t\u00a0\u3000\"")
		return cell != "" && strings.ContainsRune("=+-@\uff1d\uff0b\uff0d\uff20", []rune(cell)[0])
	}
	for _, path := range []string{"/replikasi/unduh.csv", "/replikasi/tindak-lanjut.csv"} {
		status, _, body := ts.get(t, path)
		if status != http.StatusOK {
			t.Fatalf("%s: %d", path, status)
		}
		body = strings.TrimPrefix(body, "\ufeff")
		// Read as a spreadsheet set to Indonesian reads it: every ";" and
		// line break ends a cell, quotes or not; and at tabs.
		for _, cell := range strings.FieldsFunc(body, func(r rune) bool { return strings.ContainsRune(";\t\r\n", r) }) {
			if formula(cell) {
				t.Errorf("%s: split at ; a cell begins as a formula: %q", path, cell)
			}
		}
		// Read as RFC 4180 says: no value begins as one either.
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, r := range rows {
			for _, cell := range r {
				if formula(cell) {
					t.Errorf("%s: a cell begins as a formula: %q", path, cell)
				}
			}
		}
	}
	// What was written stays readable: only a "'" is added, where a cell
	// could begin.
	_, _, body := ts.get(t, "/replikasi/tindak-lanjut.csv")
	for _, want := range []string{"Rapat;'=2+2;lanjut,Bidang;' @SUM(1)", `"Kirim ""surat"";'""=1+1""","'""+62 811"""`, "\"Catatan\n'=HYPERLINK(1)\",Tab\t'+1", "Kunjungan;'=1+1"} {
		if !strings.Contains(body, want) {
			t.Errorf("the follow-ups' download lacks %q:\n%s", want, body)
		}
	}
	_, _, body = ts.get(t, "/replikasi/unduh.csv")
	for _, want := range []string{"Ajaib;'-2+3", "\"Dikaji;' =WEBSERVICE(A1)\n'- poin dua\n'\"\"=1+1\"\"\"", "Biaya;'\uff1d1+1\t'@SUM(1)"} {
		if !strings.Contains(body, want) {
			t.Errorf("the adoptions' download lacks %q:\n%s", want, body)
		}
	}
}

// An organiser marks a follow-up done on the visit's page, without the
// whole form; the board then no longer lists it. A reader who may not edit
// the visit sees no such control and cannot post one, and a change based
// on a page the visit has moved on from is not made.
func TestOrganiserChangesAFollowUpStatusOnTheVisitPage(t *testing.T) {
	ts := newTestServer(t)
	ts.importJSONL(t, visitJSON("kunjungan-status", banjarRegion, banjarAgency, soloRegion, soloAgency,
		`,"follow_ups":[{"action":"Kirim surat minat","owner":"Sekretaris","due_date":"2025-03-31","status":"terbuka"},{"action":"Susun kajian biaya","status":"berjalan"}]`)+"\n")
	c := ts.banjarOrganiser(t)
	page := ts.getAs(t, c, "/kunjungan/kunjungan-status")
	if !strings.Contains(page.body, `action="/kunjungan/kunjungan-status/tindak-lanjut"`) {
		t.Fatal("the visit's page offers its organiser no way to change a follow-up's status")
	}
	version := between(page.body, `name="version" value="`, `"`)
	form := url.Values{"follow_up": {"1"}, "action": {"Susun kajian biaya"}, "status": {"selesai"}, "version": {version}}
	r := ts.postAs(t, c, "/kunjungan/kunjungan-status/tindak-lanjut", form)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/kunjungan/kunjungan-status#tindak-lanjut" {
		t.Fatalf("marking done: %v", r)
	}
	after := ts.send(t, http.MethodGet, "/kunjungan/kunjungan-status", "", "Cookie", c.cookie+"; "+noticeCookieOf(r))
	if !strings.Contains(after.body, "Tersimpan.") {
		t.Error("the page does not confirm the change")
	}
	if _, _, board := ts.get(t, "/replikasi"); strings.Contains(board, "Susun kajian biaya") || !strings.Contains(board, "Kirim surat minat") {
		t.Error("the board still lists the follow-up marked done, or lost the other")
	}
	// The form of the page before that change: the visit has moved on.
	form = url.Values{"follow_up": {"0"}, "action": {"Kirim surat minat"}, "status": {"batal"}, "version": {version}}
	r = ts.postAs(t, c, "/kunjungan/kunjungan-status/tindak-lanjut", form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("stale change: %v", r)
	}
	if moved := ts.send(t, http.MethodGet, "/kunjungan/kunjungan-status", "", "Cookie", c.cookie+"; "+noticeCookieOf(r)); !strings.Contains(moved.body, "diubah orang lain") {
		t.Error("a change from a stale page is not refused with a notice")
	}
	if _, _, board := ts.get(t, "/replikasi"); !strings.Contains(board, "Kirim surat minat") {
		t.Error("a change from a stale page was made")
	}
	// Someone of another region sees no control and is refused.
	ts.addUser(t, "penyelenggara@bandung.go.id", "Penyelenggara Bandung", kb.RolePenyelenggara, bandungAgency, bandungRegion)
	other := ts.login(t, "penyelenggara@bandung.go.id", testPassword)
	if p := ts.getAs(t, other, "/kunjungan/kunjungan-status"); strings.Contains(p.body, "/tindak-lanjut\"") {
		t.Error("an organiser of another region is offered the status control")
	}
	fresh := between(ts.getAs(t, c, "/kunjungan/kunjungan-status").body, `name="version" value="`, `"`)
	form = url.Values{"follow_up": {"0"}, "action": {"Kirim surat minat"}, "status": {"batal"}, "version": {fresh}}
	if r := ts.postAs(t, other, "/kunjungan/kunjungan-status/tindak-lanjut", form); r.status != http.StatusForbidden {
		t.Errorf("an organiser of another region changed a follow-up: %d", r.status)
	}
	for _, bad := range []url.Values{
		{"follow_up": {"9"}, "action": {"Kirim surat minat"}, "status": {"selesai"}, "version": {fresh}},
		{"follow_up": {"0"}, "action": {"Kirim surat minat"}, "status": {"beres"}, "version": {fresh}},
		{"follow_up": {"-1"}, "status": {"selesai"}, "version": {fresh}},
	} {
		if r := ts.postAs(t, c, "/kunjungan/kunjungan-status/tindak-lanjut", bad); r.status != http.StatusBadRequest {
			t.Errorf("%v: %d, want 400", bad, r.status)
		}
	}
}

// between is the text of s after the first start and before the end that
// follows it ("" when either is missing).
func between(s, start, end string) string {
	_, rest, ok := strings.Cut(s, start)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, end)
	return v
}

// With no mail to remind anyone, the first page a signed-in reader sees
// lists their region's open follow-ups past their date or due within two
// weeks, the overdue ones marked; others' and finished ones are not there,
// and an anonymous reader sees no such list.
func TestHomeRemindsOfFollowUpsDue(t *testing.T) {
	ts := newTestServer(t)
	soon := time.Now().AddDate(0, 0, 5).Format(kb.DateLayout)
	later := time.Now().AddDate(0, 3, 0).Format(kb.DateLayout)
	ts.importJSONL(t, visitJSON("kunjungan-tenggat", banjarRegion, banjarAgency, soloRegion, soloAgency,
		`,"follow_ups":[{"action":"Kirim surat minat","due_date":"2025-03-31","status":"terbuka"},{"action":"Susun kajian biaya","due_date":"`+soon+`","status":"berjalan"},{"action":"Rapat anggaran","due_date":"`+later+`","status":"terbuka"},{"action":"Sudah beres","due_date":"2025-02-20","status":"selesai"}]`)+"\n"+
		visitJSON("kunjungan-bandung", bandungRegion, bandungAgency, soloRegion, soloAgency,
			`,"follow_ups":[{"action":"Tugas Bandung","due_date":"2025-03-31","status":"terbuka"}]`)+"\n")
	c := ts.banjarOrganiser(t)
	home := ts.getAs(t, c, "/").body
	for _, want := range []string{"Kirim surat minat", "Susun kajian biaya", "lewat tenggat", `href="/replikasi?region=63.03#tindak-lanjut"`} {
		if !strings.Contains(home, want) {
			t.Errorf("the home page of Banjar's organiser lacks %q", want)
		}
	}
	for _, not := range []string{"Rapat anggaran", "Sudah beres", "Tugas Bandung"} {
		if strings.Contains(home, not) {
			t.Errorf("the home page lists %q, not due soon or not Banjar's", not)
		}
	}
	if _, _, anon := ts.get(t, "/"); strings.Contains(anon, "Kirim surat minat") {
		t.Error("an anonymous reader's home page lists follow-ups due")
	}
}

// A spreadsheet set to Indonesian opens a download split at every ";" and
// line, not at the commas: no piece of a line it makes a cell of may start
// a formula either, whatever a note or a follow-up says.
func TestBoardDownloadsRunNothingInAnIndonesianSpreadsheet(t *testing.T) {
	ts := newTestServer(t)
	ts.importJSONL(t, `{"kind":"adoption","innovation":"internet-gratis-ruang-publik-surakarta","region":"32.73","status":"ditunda","note":"Dikaji ulang;=HYPERLINK(\"http://contoh.id\",\"klik\")"}`+"\n"+
		visitJSON("kunjungan-titik-koma", banjarRegion, banjarAgency, soloRegion, soloAgency,
			`,"follow_ups":[{"action":"Kirim surat;+cmd|' /C calc'!A0","owner":"Sekretaris;@SUM(1+1)","due_date":"2025-03-31","status":"terbuka"},{"action":"Susun kajian\n-2+3","status":"berjalan"}]`)+"\n")
	for _, path := range []string{"/replikasi/unduh.csv", "/replikasi/tindak-lanjut.csv"} {
		_, _, body := ts.get(t, path)
		for _, line := range strings.Split(strings.TrimPrefix(body, "\ufeff"), "\n") {
			for _, cell := range strings.Split(line, ";") {
				if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
					t.Errorf("%s: a spreadsheet splitting at \";\" reads the cell %q as a formula", path, cell)
				}
			}
		}
		if !strings.Contains(body, "'=HYPERLINK") && !strings.Contains(body, "'+cmd") {
			t.Errorf("%s: the values are not all there: %s", path, body)
		}
	}
}

// A follow-up whose action holds a line break (written "\n" in the visit
// form) is changed from the visit's page like any other: a browser sends
// the hidden copy of the action with its line breaks as \r\n, which is not
// a sign that someone changed the visit meanwhile.
func TestFollowUpWithALineBreakChangesOnTheVisitPage(t *testing.T) {
	ts := newTestServer(t)
	ts.importJSONL(t, visitJSON("kunjungan-dua-baris", banjarRegion, banjarAgency, soloRegion, soloAgency,
		`,"follow_ups":[{"action":"Kirim surat minat\nke Bupati dan Sekda","status":"terbuka"}]`)+"\n")
	c := ts.banjarOrganiser(t)
	page := ts.getAs(t, c, "/kunjungan/kunjungan-dua-baris")
	action := html.UnescapeString(between(page.body, `name="action" value="`, `"`))
	if !strings.Contains(action, "\n") {
		t.Fatalf("the page's copy of the action is %q", action)
	}
	form := url.Values{"follow_up": {"0"}, "status": {"selesai"}, "version": {between(page.body, `name="version" value="`, `"`)},
		"action": {strings.ReplaceAll(action, "\n", "\r\n")}} // as a browser sends it
	r := ts.postAs(t, c, "/kunjungan/kunjungan-dua-baris/tindak-lanjut", form)
	after := ts.send(t, http.MethodGet, "/kunjungan/kunjungan-dua-baris", "", "Cookie", c.cookie+"; "+noticeCookieOf(r))
	if r.status != http.StatusSeeOther || !strings.Contains(after.body, "Tersimpan.") {
		t.Errorf("marking the follow-up done: %d, and the page after says: %s", r.status, between(after.body, `class="notice"`, "</p>"))
	}
	if _, _, board := ts.get(t, "/replikasi"); strings.Contains(board, "Kirim surat minat") {
		t.Error("the follow-up marked done is still open")
	}
}

// A dashboard reads the board through the API, page by page, with the
// board's filters and counts; an internal innovation's adoption reaches
// only a reader who may see the innovation.
func TestBoardThroughTheAPI(t *testing.T) {
	ts := newTestServer(t)
	var lines strings.Builder
	lines.WriteString(adoptedByBanjarbaru("Inovasi API", 5))
	lines.WriteString(innovationJSON("rahasia-banjar", "Judul Rahasia Banjar", banjarRegion, banjarAgency, `,"visibility":"internal"`) + "\n")
	lines.WriteString(`{"kind":"adoption","innovation":"rahasia-banjar","region":"63.71","status":"dikaji"}` + "\n")
	ts.importJSONL(t, lines.String())

	type page struct {
		Total  int            `json:"total"`
		Counts map[string]int `json:"counts"`
		Items  []struct {
			Innovation struct {
				Slug string `json:"slug"`
			} `json:"innovation"`
			Region struct {
				Code string `json:"code"`
			} `json:"region"`
			Status string `json:"status"`
		} `json:"items"`
	}
	read := func(body string) page {
		t.Helper()
		var p page
		if err := json.Unmarshal([]byte(body), &p); err != nil {
			t.Fatalf("%v: %s", err, body)
		}
		return p
	}
	seen := map[string]bool{}
	for n := 1; n <= 3; n++ {
		status, _, body := ts.get(t, fmt.Sprintf("/api/v1/adoptions?region=63.71&status=dikaji&per_page=2&page=%d", n))
		if status != http.StatusOK {
			t.Fatalf("page %d: %d %s", n, status, body)
		}
		p := read(body)
		if p.Total != 5 || p.Counts["dikaji"] != 5 {
			t.Errorf("page %d: total %d, counts %v; want the 5 public adoptions by Kota Banjarbaru", n, p.Total, p.Counts)
		}
		for _, it := range p.Items {
			if seen[it.Innovation.Slug] || it.Region.Code != "63.71" || it.Status != "dikaji" {
				t.Errorf("page %d lists %+v again or outside the filters", n, it)
			}
			seen[it.Innovation.Slug] = true
		}
	}
	if len(seen) != 5 || seen["rahasia-banjar"] {
		t.Errorf("the pages list %v, want the 5 public adoptions and not the internal one", seen)
	}
	c := ts.banjarOrganiser(t)
	if r := ts.apiAs(t, c, viaSession, http.MethodGet, "/api/v1/adoptions?region=63.71", ""); read(r.body).Total != 6 {
		t.Errorf("Banjar's organiser sees %d adoptions by Kota Banjarbaru, want 6 with its own internal innovation's", read(r.body).Total)
	}
	status, _, body := ts.get(t, "/api/v1/follow-ups?region="+banjarRegion)
	var fus struct {
		Total int `json:"total"`
		Items []struct {
			Action  string `json:"action"`
			Overdue bool   `json:"overdue"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(body), &fus); err != nil || status != http.StatusOK || fus.Total == 0 || len(fus.Items) == 0 || !fus.Items[0].Overdue {
		t.Errorf("Banjar's open follow-ups: %d %s", status, body)
	}
}

// adoptedByBanjarbaru is n public innovations of Kota Surakarta titled
// "title 000", "title 001"…, each under review ("dikaji") by Kota
// Banjarbaru (63.71) since a day of January 2025, as import lines.
func adoptedByBanjarbaru(title string, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("%s %03d", title, i)
		slug := strings.ToLower(strings.ReplaceAll(name, " ", "-"))
		b.WriteString(innovationJSON(slug, name, soloRegion, soloAgency, "") + "\n")
		fmt.Fprintf(&b, `{"kind":"adoption","innovation":%q,"region":"63.71","status":"dikaji","date":"2025-01-%02d"}`+"\n", slug, i%28+1)
	}
	return b.String()
}
