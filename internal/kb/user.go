package kb

import (
	"net/mail"
	"strings"
	"unicode"
)

// Roles of Tiru's users, from least to most trusted.
const (
	RoleStaf          = "staf"
	RolePenyelenggara = "penyelenggara"
	RolePimpinan      = "pimpinan"
	RoleAdmin         = "admin"
)

// Roles is the vocabulary of user roles.
func Roles() Taxonomy {
	return Taxonomy{Name: "role", Terms: []Term{
		{RoleStaf, "Staf perangkat daerah", "Agency staff"},
		{RolePenyelenggara, "Penyelenggara kunjungan", "Visit organiser"},
		{RolePimpinan, "Pimpinan", "Leadership"},
		{RoleAdmin, "Admin", "Administrator"},
	}}
}

// Limits of an account's fields: RFC 5321 allows 254 bytes in an address,
// and no real name is longer than MaxName.
const (
	MaxEmail = 254
	MaxName  = 200
)

// ValidateAccount trims the email and name of a new account and checks
// them, each error on its field ("email", "name"): the email one bare
// address, the name one line of text with no control or writing-direction
// characters. The admin's page and tiru user add both call it, so neither
// lets in what the other refuses.
func ValidateAccount(email, name *string) error {
	v := &ValidationError{}
	checkEmail(v, "email", email, true)
	checkLine(v, "name", name, MaxName, true)
	return v.err()
}

// ValidateAgencyName trims the agency named for an account and checks it
// on field as a record's agency is checked.
func ValidateAgencyName(field string, name *string) error {
	v := &ValidationError{}
	checkLine(v, field, name, MaxShort, false)
	return v.err()
}

// checkEmail trims an email address and checks that it is one address as
// a person types it: "nama@banjarkab.go.id".
func checkEmail(v *ValidationError, field string, s *string, required bool) {
	before := len(v.Errors)
	checkLine(v, field, s, MaxEmail, required)
	if len(v.Errors) > before || *s == "" {
		return
	}
	if !bareAddress(*s) {
		v.add(field, "alamat email tidak sah; tulis satu alamat saja, mis. nama@banjarkab.go.id",
			"not a valid email address; write one address only, e.g. nama@banjarkab.go.id")
	}
}

// bareAddress reports whether s is a single email address with nothing
// around it.
func bareAddress(s string) bool {
	// net/mail also takes a display name ("Ani <ani@x.go.id>"), angle
	// brackets, comments and quoted local parts ("a b"@x.go.id), and
	// hands back the address inside; an email here is the address as
	// typed, so it must come back unchanged.
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return false
	}
	// A space or an invisible character pasted with the address (a
	// zero-width space from a document) makes a login nobody can type.
	if strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) }) {
		return false
	}
	// The domain is a host name: labels of letters, digits and inner
	// hyphens. net/mail also takes an address literal ("[10.0.0.1]") and
	// any atom ("x_y", "-x"), which no mail server of a government has.
	domain := s[strings.LastIndexByte(s, '@')+1:]
	for _, label := range strings.Split(domain, ".") {
		if label == "" || label[0] == '-' || label[len(label)-1] == '-' ||
			strings.ContainsFunc(label, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' }) {
			return false
		}
	}
	return true
}

// Actor is who does something: a logged-in user, or nobody (the zero
// value, an anonymous reader). Every permission is decided here, so pages
// and the API cannot disagree.
type Actor struct {
	UserID int64
	Email  string
	Name   string
	Role   string
	Region string // the region of the user's agency
	Agency string // the user's agency name
}

// LoggedIn reports whether the actor is a user.
func (a Actor) LoggedIn() bool { return a.UserID != 0 }

// IsAdmin reports whether the actor administers Tiru.
func (a Actor) IsAdmin() bool { return a.LoggedIn() && a.Role == RoleAdmin }

// Viewer is what the actor may read: public records, plus internal records
// of their own region, plus everything for admins.
func (a Actor) Viewer() Viewer {
	switch {
	case !a.LoggedIn():
		return Viewer{}
	case a.Role == RoleAdmin:
		return Viewer{AllInternal: true}
	default:
		return Viewer{Region: a.Region}
	}
}

// ownAgency compares agencies as the storage resolves them (SameAgency), so
// a name that passes as the actor's own agency is saved as that agency.
func (a Actor) ownAgency(region, agency string) bool {
	return a.Region != "" && region == a.Region && a.Agency != "" && SameAgency(agency, a.Agency)
}

// CanWriteInnovation reports whether the actor may create or change in (as
// it is after the change) and, for an existing record, the stored old one.
// Organisers write innovations of their own agency; admins write any.
func (a Actor) CanWriteInnovation(old, in *Innovation) bool {
	if a.IsAdmin() {
		return true
	}
	if !a.LoggedIn() || a.Role != RolePenyelenggara {
		return false
	}
	if old != nil && !a.ownAgency(old.Region, old.Agency) {
		return false
	}
	return in == nil || a.ownAgency(in.Region, in.Agency)
}

// CanWriteVisit is the same rule for visits: the organiser's agency must be
// the visiting or the hosting one.
func (a Actor) CanWriteVisit(old, v *Visit) bool {
	if a.IsAdmin() {
		return true
	}
	if !a.LoggedIn() || a.Role != RolePenyelenggara {
		return false
	}
	own := func(v *Visit) bool {
		return a.ownAgency(v.VisitorRegion, v.VisitorAgency) || a.ownAgency(v.HostRegion, v.HostAgency)
	}
	if old != nil && !own(old) {
		return false
	}
	return v == nil || own(v)
}

// CanMoveAdoption reports whether the actor may change where region stands
// in adopting an innovation: the region's leadership, or an admin.
func (a Actor) CanMoveAdoption(region string) bool {
	return a.IsAdmin() || (a.LoggedIn() && a.Role == RolePimpinan && a.Region == region)
}
