package kb

import "strings"

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

func (a Actor) ownAgency(region, agency string) bool {
	return a.Region != "" && region == a.Region && a.Agency != "" && strings.EqualFold(strings.TrimSpace(agency), a.Agency)
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
