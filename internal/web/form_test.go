package web

import (
	"net/http"
	"strings"
	"testing"

	"tiru/internal/kb"
)

// A new record's address is made from its title (and a visit's year), in
// the letters a slug allows, whatever the title holds.
func TestSlugFor(t *testing.T) {
	for _, tc := range []struct{ title, date, want string }{
		{"Studi Tiru DKISP Banjar ke Diskominfo SP Kota Surakarta", "2024-10-22", "studi-tiru-dkisp-banjar-ke-diskominfo-sp-kota-surakarta-2024"},
		{"Kunjungan 2024", "2024-01-01", "kunjungan-2024"},
		{"  Wi-Fi   Publik: Taman & Balai!  ", "", "wi-fi-publik-taman-balai"},
		{"Kunjungan", "11 Februari 2025", "kunjungan"},
		{"Pelayanan Kependudukan Keliling ke Kampung dan Distrik di Pegunungan Tengah Papua yang Jauh", "2023-05-01", "pelayanan-kependudukan-keliling-ke-kampung-dan-distrik-di-pegunungan-2023"},
	} {
		if got := slugFor(tc.title, tc.date); got != tc.want {
			t.Errorf("slugFor(%q, %q) = %q, want %q", tc.title, tc.date, got, tc.want)
		}
	}
}

// A title with no letter a slug may hold still gets an address.
func TestFormMakesAnAddressForAnyTitle(t *testing.T) {
	ts := newTestServer(t)
	c := ts.banjarOrganiser(t)
	v := visitFormValues()
	v.Set("title", "¡¡¡ ☺ !!!")
	if r := ts.postAs(t, c, "/kunjungan/baru", v); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/kunjungan/kunjungan-") {
		t.Errorf("a title without letters: %v", r)
	}
}

// Numbers are read as Indonesian writes them, in thousands with dots, and
// anything else that is not a whole number is reported once.
func TestFormNumbers(t *testing.T) {
	ts := newTestServer(t)
	c := ts.banjarOrganiser(t)
	in := innovationFormValues()
	in.Set("cost_per_year", "1.5")
	if r := ts.postAs(t, c, "/inovasi/baru", in); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Biaya per tahun: tulis sebagai angka bulat") {
		t.Errorf("cost 1.5: %v, want refused as not a whole number", r)
	}
	v := visitFormValues()
	v.Set("delegation_size", "99999999999999999999")
	r := ts.postAs(t, c, "/kunjungan/baru", v)
	if n := strings.Count(r.body, `<li><a href="#f-delegation_size">`); r.status != http.StatusUnprocessableEntity || n != 1 {
		t.Errorf("a delegation size too large: %d, reported %d times, want once", r.status, n)
	}
}

// A form over the body cap is answered as too large, not as a stale form.
func TestOversizedFormIsTooLarge(t *testing.T) {
	ts := newTestServer(t)
	c := ts.banjarOrganiser(t)
	v := visitFormValues()
	v.Set("body", strings.Repeat("catatan ", 2<<20)) // 16 MiB, over the 8 MiB cap
	if r := ts.postAs(t, c, "/kunjungan/baru", v); r.status != http.StatusRequestEntityTooLarge || !strings.Contains(r.body, "terlalu besar") {
		t.Errorf("a 16 MiB form: %d, want 413 saying it is too large", r.status)
	}
}

// banjarOrganiser is an organiser of DKISP Kabupaten Banjar, logged in
// through the login form.
func (ts *testServer) banjarOrganiser(t *testing.T) *client {
	t.Helper()
	ts.addUser(t, "penyelenggara@banjarkab.go.id", "Penyelenggara Banjar", kb.RolePenyelenggara, banjarAgency, banjarRegion)
	return ts.login(t, "penyelenggara@banjarkab.go.id", testPassword)
}
