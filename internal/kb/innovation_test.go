package kb_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"tiru/internal/kb"
)

func validInnovation() *kb.Innovation {
	return &kb.Innovation{
		Slug:   "aplikasi-pengaduan-warga-surakarta",
		Title:  "Aplikasi Pengaduan Warga Kota Surakarta",
		Region: "33.72",
	}
}

func TestInnovationValidateAcceptsValid(t *testing.T) {
	ref := testRef(t)
	in := validInnovation()
	in.Body = "## Ringkasan\n\nBaris satu\n\tberindentasi\r\n" + strings.Repeat("x", kb.MaxBody-100)
	in.Sources = []kb.Source{{Title: "Berita", URL: "https://example.org/berita?id=1"}, {Title: "Tanpa tautan"}}
	in.Contacts = []kb.Contact{{Name: "Heny", Email: "heny@example.go.id", Phone: "+62 271 123"}}
	in.EvidenceLevel = 5
	in.YearStarted = 2021
	in.StageDates = kb.StageDates{Inisiatif: "2020-01-31", UjiCoba: "2020-02-29", Penerapan: "2021-12-01"}
	if err := in.Validate(ref); err != nil {
		t.Fatalf("Validate: %v", err)
	}
}

func TestInnovationValidateErrors(t *testing.T) {
	ref := testRef(t)
	tests := []struct {
		name   string
		mutate func(*kb.Innovation)
		field  string
		want   []string // substrings of the message, in the Indonesian or English text
	}{
		{"missing title", func(in *kb.Innovation) { in.Title = "" }, "title", []string{"wajib diisi", "is required"}},
		{"blank title", func(in *kb.Innovation) { in.Title = " \t\n " }, "title", []string{"wajib diisi", "is required"}},
		{"title too long", func(in *kb.Innovation) { in.Title = strings.Repeat("a", kb.MaxTitle+1) }, "title", []string{"201", "too long"}},
		{"missing slug", func(in *kb.Innovation) { in.Slug = "" }, "slug", []string{"wajib diisi", "is required"}},
		{"slug with capitals and spaces", func(in *kb.Innovation) { in.Slug = "Aplikasi Pengaduan" }, "slug", []string{"lower-case"}},
		{"slug too short", func(in *kb.Innovation) { in.Slug = "ab" }, "slug", []string{"3–80"}},
		{"slug too long", func(in *kb.Innovation) { in.Slug = strings.Repeat("a", 81) }, "slug", []string{"3–80"}},
		{"slug leading hyphen", func(in *kb.Innovation) { in.Slug = "-aplikasi" }, "slug", nil},
		{"slug double hyphen", func(in *kb.Innovation) { in.Slug = "aplikasi--warga" }, "slug", nil},
		{"slug underscore", func(in *kb.Innovation) { in.Slug = "aplikasi_warga" }, "slug", nil},
		{"slug non-ASCII", func(in *kb.Innovation) { in.Slug = "aplikasi-warga-é" }, "slug", nil},
		{"direction override", func(in *kb.Innovation) { in.Title = "Aplikasi \u202egnp.exe" }, "title", []string{"arah tulisan"}},
		{"C1 control", func(in *kb.Innovation) { in.Summary = "ring\u0085kasan" }, "summary", []string{"kendali"}},
		{"reserved slug", func(in *kb.Innovation) { in.Slug = "baru" }, "slug", []string{"baru"}},
		{"impossible date", func(in *kb.Innovation) { in.StageDates.UjiCoba = "2024-13-40" }, "stage_dates.uji_coba", []string{"2024-13-40", "YYYY-MM-DD", "TTTT-BB-HH"}},
		{"date in Indonesian order", func(in *kb.Innovation) { in.StageDates.Penerapan = "22-10-2024" }, "stage_dates.penerapan", []string{"22-10-2024"}},
		{"29 February of a common year", func(in *kb.Innovation) { in.SustainabilityVerified = "2023-02-29" }, "sustainability_verified", nil},
		{"bad result date", func(in *kb.Innovation) { in.Results = []kb.Result{{Figure: "30 laporan", Date: "kemarin"}} }, "results[0].date", nil},
		{"result without figure", func(in *kb.Innovation) { in.Results = []kb.Result{{Date: "2024-10-22"}} }, "results[0].figure", []string{"wajib diisi"}},
		{"stages out of order", func(in *kb.Innovation) {
			in.StageDates = kb.StageDates{Inisiatif: "2025-01-01", UjiCoba: "2024-06-01"}
		}, "stage_dates.uji_coba", []string{"sebelum tahap sebelumnya", "2025-01-01"}},
		{"stage reached in the future", func(in *kb.Innovation) { in.StageDates.Penerapan = "2099-01-01" }, "stage_dates.penerapan", []string{"masa depan", "future"}},
		{"result measured in the future", func(in *kb.Innovation) { in.Results = []kb.Result{{Figure: "30 laporan", Date: "2099-01-01"}} }, "results[0].date", []string{"future"}},
		{"sustainability verified in the future", func(in *kb.Innovation) { in.SustainabilityVerified = "2099-12-31" }, "sustainability_verified", []string{"future"}},
		{"started years from now", func(in *kb.Innovation) { in.YearStarted = time.Now().Year() + 3 }, "year_started", []string{"paling lambat"}},
		{"contact email without a domain", func(in *kb.Innovation) { in.Contacts = []kb.Contact{{Name: "Ani", Email: "bukan@"}} }, "contacts[0].email", []string{"tidak sah"}},
		{"contact email that is a script", func(in *kb.Innovation) { in.Contacts = []kb.Contact{{Name: "Ani", Email: "javascript:alert(1)@x"}} }, "contacts[0].email", []string{"tidak sah"}},
		{"unknown stage", func(in *kb.Innovation) { in.Stage = "selesai" }, "stage", []string{"selesai", "inisiatif, uji_coba, penerapan"}},
		{"unknown innovation type", func(in *kb.Innovation) { in.InnovationType = "analog" }, "innovation_type", []string{"digital, non_digital"}},
		{"unknown form", func(in *kb.Innovation) { in.Form = "x" }, "form", []string{"tata_kelola, pelayanan_publik, lainnya"}},
		{"unknown initiator", func(in *kb.Innovation) { in.Initiator = "bupati" }, "initiator", []string{"kepala_daerah"}},
		{"unknown sustainability", func(in *kb.Innovation) { in.Sustainability = "mati" }, "sustainability", []string{"berlanjut, stagnan, berhenti"}},
		{"unknown language", func(in *kb.Innovation) { in.Language = "fr" }, "language", []string{"id, en"}},
		{"unknown visibility", func(in *kb.Innovation) { in.Visibility = "secret" }, "visibility", []string{"public, internal"}},
		{"body over 1 MiB", func(in *kb.Innovation) { in.Body = strings.Repeat("a", kb.MaxBody+1) }, "body", []string{"1048577", "1048576"}},
		{"summary too long", func(in *kb.Innovation) { in.Summary = strings.Repeat("a", kb.MaxSummary+1) }, "summary", nil},
		{"NUL in title", func(in *kb.Innovation) { in.Title = "Judul\x00jahat" }, "title", []string{"karakter kendali", "control characters"}},
		{"escape in summary", func(in *kb.Innovation) { in.Summary = "merah \x1b[31m" }, "summary", []string{"control characters"}},
		{"DEL in agency", func(in *kb.Innovation) { in.Agency = "Dinas\x7f" }, "agency", []string{"control characters"}},
		{"control character in a tag", func(in *kb.Innovation) { in.Tags = []string{"ok", "bad\x07"} }, "tags[1]", []string{"control characters"}},
		{"invalid UTF-8 in title", func(in *kb.Innovation) { in.Title = "Judul \xff\xfe" }, "title", []string{"UTF-8"}},
		{"invalid UTF-8 in body", func(in *kb.Innovation) { in.Body = "isi \xc3\x28" }, "body", []string{"UTF-8"}},
		{"evidence level 6", func(in *kb.Innovation) { in.EvidenceLevel = 6 }, "evidence_level", []string{"1 sampai 5", "1 to 5"}},
		{"evidence level negative", func(in *kb.Innovation) { in.EvidenceLevel = -1 }, "evidence_level", nil},
		{"ftp source", func(in *kb.Innovation) { in.Sources = []kb.Source{{Title: "Arsip", URL: "ftp://example.org/a"}} }, "sources[0].url", []string{"http://", "https://"}},
		{"javascript source", func(in *kb.Innovation) {
			in.Sources = []kb.Source{{Title: "ok", URL: "https://example.org"}, {Title: "Jahat", URL: "javascript:alert(1)"}}
		}, "sources[1].url", []string{"https://"}},
		{"source without scheme", func(in *kb.Innovation) { in.Sources = []kb.Source{{Title: "Berita", URL: "example.org/berita"}} }, "sources[0].url", nil},
		{"source without host", func(in *kb.Innovation) { in.Sources = []kb.Source{{Title: "Berita", URL: "https://"}} }, "sources[0].url", nil},
		{"source without title", func(in *kb.Innovation) { in.Sources = []kb.Source{{URL: "https://example.org"}} }, "sources[0].title", []string{"wajib diisi"}},
		{"missing region", func(in *kb.Innovation) { in.Region = "" }, "region", []string{"wajib diisi"}},
		{"unknown region", func(in *kb.Innovation) { in.Region = "Atlantis" }, "region", []string{"Atlantis", "33.72"}},
		{"ambiguous region", func(in *kb.Innovation) { in.Region = "Banjar" }, "region", []string{"Kabupaten Banjar (63.03)", "Kota Banjar (32.79)"}},
		{"unknown urusan", func(in *kb.Innovation) { in.Urusan = "Kominfo" }, "urusan", []string{"Kominfo", "2.16"}},
		{"unknown related urusan", func(in *kb.Innovation) { in.UrusanRelated = []string{"2.16", "9.99"} }, "urusan_related[1]", nil},
		{"year before 1945", func(in *kb.Innovation) { in.YearStarted = 1900 }, "year_started", []string{"1945", "2100"}},
		{"negative cost", func(in *kb.Innovation) { in.CostPerYear = -1 }, "cost_per_year", nil},
		{"contact without name", func(in *kb.Innovation) { in.Contacts = []kb.Contact{{Role: "Kepala"}} }, "contacts[0].name", nil},
		{"contact with bad email", func(in *kb.Innovation) { in.Contacts = []kb.Contact{{Name: "A", Email: "bukan-email"}} }, "contacts[0].email", []string{"email"}},
		{"too many tags", func(in *kb.Innovation) { in.Tags = make([]string, kb.MaxList+1); fill(in.Tags) }, "tags", []string{"201"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validInnovation()
			tt.mutate(in)
			err := in.Validate(ref)
			if !errors.Is(err, kb.ErrInvalid) {
				t.Fatalf("Validate() = %v, want an error wrapping kb.ErrInvalid", err)
			}
			fe := fieldError(t, err, tt.field)
			msg := fe.Message.ID + " | " + fe.Message.EN
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q lacks %q", msg, w)
				}
			}
			if len(msg) > 2000 {
				t.Errorf("message is %d bytes: bad values must be clipped", len(msg))
			}
		})
	}
}

func fill(s []string) {
	for i := range s {
		s[i] = "tag"
	}
}

func TestInnovationValidateReportsEverything(t *testing.T) {
	in := &kb.Innovation{Slug: "Bad Slug", Region: "Atlantis", Stage: "x", EvidenceLevel: 9}
	err := in.Validate(testRef(t))
	for _, f := range []string{"slug", "title", "region", "stage", "evidence_level"} {
		fieldError(t, err, f)
	}
}

func TestInnovationValidateNormalises(t *testing.T) {
	ref := testRef(t)
	in := &kb.Innovation{
		Slug:                   "  internet-gratis-ruang-publik  ",
		Title:                  "  Internet Gratis di Ruang Publik ",
		RegionCode:             "Solo",
		Urusan:                 "Komunikasi dan Informatika",
		UrusanRelated:          []string{"", "Communication and Informatics", " 2.15 "},
		Stage:                  "Uji Coba",
		InnovationType:         "Digital",
		Form:                   "Public service",
		Initiator:              "Perangkat daerah",
		Sustainability:         "Continuing",
		SustainabilityVerified: " 2024-10-22 ",
		Tags:                   []string{" internet ", "", "  "},
		Partners:               []string{"Telkom Indonesia"},
	}
	if err := in.Validate(ref); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	want := &kb.Innovation{
		Slug:                   "internet-gratis-ruang-publik",
		Title:                  "Internet Gratis di Ruang Publik",
		Region:                 "33.72",
		Urusan:                 "2.16",
		UrusanRelated:          []string{"2.16", "2.15"},
		Stage:                  "uji_coba",
		InnovationType:         "digital",
		Form:                   "pelayanan_publik",
		Initiator:              "opd",
		Sustainability:         "berlanjut",
		SustainabilityVerified: "2024-10-22",
		Tags:                   []string{"internet"},
		Partners:               []string{"Telkom Indonesia"},
		Language:               "id",
		Visibility:             "public",
	}
	if !reflect.DeepEqual(in, want) {
		t.Fatalf("normalised to\n%+v\nwant\n%+v", in, want)
	}
	// Validating twice gives the same record: stored records are stable.
	again := *in
	if err := again.Validate(ref); err != nil || !reflect.DeepEqual(&again, want) {
		t.Fatalf("second Validate changed the record or failed: %v\n%+v", err, again)
	}
}

func TestInnovationRegionNames(t *testing.T) {
	ref := testRef(t)
	for in, want := range map[string]string{
		"Kab. Banjar":      "63.03",
		"Kabupaten Banjar": "63.03",
		"Kota Banjar":      "32.79",
		"Surakarta":        "33.72",
		"Jogja":            "34",
		"DKI Jakarta":      "31",
		"nasional":         "00",
	} {
		t.Run(in, func(t *testing.T) {
			x := validInnovation()
			x.Region = in
			if err := x.Validate(ref); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if x.Region != want {
				t.Fatalf("region %q became %q, want %q", in, x.Region, want)
			}
		})
	}
}

func TestEvidenceLevels(t *testing.T) {
	if n := len(kb.EvidenceLevels()); n != 5 {
		t.Fatalf("%d evidence levels, want 5", n)
	}
}

func TestFieldErrorsOfOtherErrors(t *testing.T) {
	if fes := kb.FieldErrors(errors.New("x")); fes != nil {
		t.Errorf("FieldErrors of a plain error = %v", fes)
	}
	err := kb.Invalid("title", "wajib diisi", "is required")
	if !errors.Is(err, kb.ErrInvalid) {
		t.Error("Invalid() does not wrap ErrInvalid")
	}
	if fes := kb.FieldErrors(err); len(fes) != 1 || fes[0].Field != "title" {
		t.Errorf("FieldErrors(Invalid) = %v", fes)
	}
}
