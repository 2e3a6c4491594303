package kb_test

import (
	"strings"
	"testing"

	"tiru/internal/kb"
)

// An account's email is one bare address and its name one line of
// visible text: what the admin page and tiru user add both refuse.
func TestValidateAccount(t *testing.T) {
	tests := []struct {
		name, email, person string
		field               string // "" for accepted
		want                string // in the Indonesian message
	}{
		{"plain", "heny@surakarta.go.id", "Heny Kusuma", "", ""},
		{"trimmed", "  heny@surakarta.go.id ", " Heny ", "", ""},
		{"dot-free parts", "admin@localhost", "Admin", "", ""},
		{"plus and hyphen", "heny+tiru@dinas-kominfo.surakarta.go.id", "Heny", "", ""},
		{"only an at sign", "@", "A", "email", "tidak sah"},
		{"space in the local part", "a b@c.go.id", "A", "email", "tidak sah"},
		{"space and no domain", "x y@", "A", "email", "tidak sah"},
		{"no domain", "heny@", "A", "email", "tidak sah"},
		{"markup", `"><script>@x.go.id`, "A", "email", "tidak sah"},
		{"angle brackets", "<heny@x.go.id>", "A", "email", "tidak sah"},
		{"display name", "Heny <heny@x.go.id>", "A", "email", "tidak sah"},
		{"quoted local part", `"heny k"@x.go.id`, "A", "email", "tidak sah"},
		{"address literal", "heny@[10.0.0.1]", "A", "email", "tidak sah"},
		{"zero-width space", "heny\u200b@x.go.id", "A", "email", "tidak sah"},
		{"two addresses", "a@x.go.id, b@x.go.id", "A", "email", "tidak sah"},
		{"too long", strings.Repeat("a", 250) + "@x.go.id", "A", "email", "terlalu panjang"},
		{"no email", " ", "A", "email", "wajib diisi"},
		{"no name", "a@x.go.id", "  ", "name", "wajib diisi"},
		{"bell and ANSI escape", "a@x.go.id", "a\x07b\x1b[31m", "name", "karakter kendali"},
		{"right-to-left override", "a@x.go.id", "Heny \u202eadmin", "name", "arah tulisan"},
		{"isolate", "a@x.go.id", "Heny \u2066x\u2069", "name", "arah tulisan"},
		{"line break", "a@x.go.id", "Heny\nAdmin", "name", "satu baris"},
		{"name too long", "a@x.go.id", strings.Repeat("n", kb.MaxName+1), "name", "terlalu panjang"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			email, name := tt.email, tt.person
			err := kb.ValidateAccount(&email, &name)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if email != strings.TrimSpace(tt.email) || name != strings.TrimSpace(tt.person) {
					t.Errorf("not trimmed: %q, %q", email, name)
				}
				return
			}
			fes := kb.FieldErrors(err)
			if len(fes) != 1 || fes[0].Field != tt.field || !strings.Contains(fes[0].Message.ID, tt.want) || fes[0].Message.EN == "" {
				t.Errorf("got %v, want one error on %s saying %q in both languages", err, tt.field, tt.want)
			}
		})
	}
}

// An account's agency is checked as a record's agency is.
func TestValidateAgencyName(t *testing.T) {
	for _, bad := range []string{"Diskominfo\u202e", "Dis\x1bkominfo", "Diskominfo\nSP"} {
		s := bad
		if fes := kb.FieldErrors(kb.ValidateAgencyName("agency", &s)); len(fes) != 1 || fes[0].Field != "agency" {
			t.Errorf("%q: %v, want an error on agency", bad, fes)
		}
	}
	s := " Diskominfo SP Kota Surakarta "
	if err := kb.ValidateAgencyName("agency", &s); err != nil || s != "Diskominfo SP Kota Surakarta" {
		t.Errorf("a good agency: %v, %q", err, s)
	}
}
