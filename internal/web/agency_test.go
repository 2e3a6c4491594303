package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"tiru/internal/kb"
)

// An organiser who writes their agency with look-alike letters (a long s,
// the Kelvin sign), in another case, with doubled or invisible spaces,
// writes it as their agency: the record names the agency as it is stored
// and no second agency that looks the same appears.
func TestLookAlikeAgencyIsTheStoredOne(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	solo := ts.newMember(t, "penyelenggara-surakarta", "penyelenggara@surakarta.go.id", kb.RolePenyelenggara, soloAgency, soloRegion)
	before := ts.agencyNames(t, soloRegion)
	for i, agency := range []string{
		"Diſkominfo SP \u212aota Surakarta",
		"diskominfo sp  KOTA surakarta",
		"Disko\u200bminfo SP Kota Surakarta",
	} {
		slug := "kembar-" + string(rune('a'+i))
		r := ts.apiAs(t, solo, viaToken, http.MethodPost, "/api/v1/innovations", innovationJSON(slug, "Kembar", soloRegion, agency, ""))
		if r.status != http.StatusCreated {
			t.Errorf("%q: %s, want 201 as the organiser's own agency", agency, r)
			continue
		}
		if got := decodeObject(t, r.body)["agency"]; got != soloAgency {
			t.Errorf("%q: the created record names the agency %q, want %q", agency, got, soloAgency)
		}
		if got := decodeObject(t, ts.apiAs(t, solo, viaToken, http.MethodGet, "/api/v1/innovations/"+slug, "").body)["agency"]; got != soloAgency {
			t.Errorf("%q: the stored record names the agency %q, want %q", agency, got, soloAgency)
		}
	}
	v := visitJSON("kunjungan-kembar", soloRegion, "DISKOMINFO SP \u212aOTA SURAKARTA", bandungRegion, bandungAgency, "")
	if r := ts.apiAs(t, solo, viaToken, http.MethodPost, "/api/v1/visits", v); r.status != http.StatusCreated || decodeObject(t, r.body)["visitor_agency"] != soloAgency {
		t.Errorf("a visit with a look-alike visiting agency: %s, want 201 naming %q", r, soloAgency)
	}
	// An admin giving a new account the look-alike agency gives it the
	// stored one.
	admin := ts.sessionAdmin(t, "admin@tiru.go.id")
	form := url.Values{"email": {"staf@surakarta.go.id"}, "name": {"Staf Surakarta"}, "role": {"staf"}, "agency": {"Diſkominfo SP Kota Surakarta"}, "region": {soloRegion}}
	if r := ts.postAs(t, admin, "/admin/pengguna", form); r.status != http.StatusCreated {
		t.Errorf("an account of the look-alike agency: %s, want 201", r)
	} else if u, err := ts.db.UserByEmail(ctx, "staf@surakarta.go.id"); err != nil {
		t.Error(err)
	} else if u.Agency != soloAgency {
		t.Errorf("the account's agency is %q, want %q", u.Agency, soloAgency)
	}
	if after := ts.agencyNames(t, soloRegion); !slices.Equal(before, after) {
		t.Errorf("agencies of Surakarta went from %q to %q", before, after)
	}
	if r := ts.getAs(t, solo, "/instansi/di-kominfo-sp-kota-surakarta"); r.status != http.StatusNotFound {
		t.Errorf("the look-alike agency has a page: %d", r.status)
	}
}

// An agency name with a writing-direction character, a line break or a
// tab is refused on its field: it could pass for another agency or
// break the lists it is shown in.
func TestAgencyWithControlCharactersIsRefused(t *testing.T) {
	ts := newTestServer(t)
	solo := ts.newMember(t, "penyelenggara-surakarta", "penyelenggara@surakarta.go.id", kb.RolePenyelenggara, soloAgency, soloRegion)
	admin := ts.newAdmin(t, "admin@tiru.go.id")
	before := ts.agencyNames(t, soloRegion)
	for _, agency := range []string{
		"Diskominfo SP Kota Surakarta\u202e",
		"\u2067Diskominfo SP Kota Surakarta\u2069",
		"Diskominfo SP\nKota Surakarta",
		"Diskominfo SP\tKota Surakarta",
	} {
		for _, c := range []*client{solo, admin} {
			r := ts.apiAs(t, c, viaToken, http.MethodPost, "/api/v1/innovations", innovationJSON("arah-tulisan", "Arah", soloRegion, agency, ""))
			if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `"field":"agency"`) {
				t.Errorf("%s with agency %q: %s, want 422 on agency", c.label, agency, r)
			}
		}
		r := ts.apiAs(t, admin, viaToken, http.MethodPost, "/api/v1/visits", visitJSON("arah-tulisan", soloRegion, soloAgency, bandungRegion, agency, ""))
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `"field":"host_agency"`) {
			t.Errorf("a visit hosted by %q: %s, want 422 on host_agency", agency, r)
		}
	}
	if after := ts.agencyNames(t, soloRegion); !slices.Equal(before, after) {
		t.Errorf("agencies of Surakarta went from %q to %q", before, after)
	}
}

// agencyNames returns the names of region's agencies as stored.
func (ts *testServer) agencyNames(t *testing.T, region string) []string {
	t.Helper()
	names, err := ts.db.AgencyNames(context.Background(), region)
	if err != nil {
		t.Fatal(err)
	}
	return names
}
