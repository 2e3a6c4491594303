package kb

import (
	"strings"
	"time"
)

// Person is someone the delegation met.
type Person struct {
	Name   string `json:"name"`
	Role   string `json:"role,omitempty"`
	Agency string `json:"agency,omitempty"`
}

// FollowUp is an action a visit led to, with who is in charge and by when.
type FollowUp struct {
	Action  string `json:"action"`
	Owner   string `json:"owner,omitempty"`
	DueDate string `json:"due_date,omitempty"`
	Status  string `json:"status,omitempty"`
}

// Visit is a study visit by one region's agency to another's. The JSON form
// is the import/export format (docs/format.md).
type Visit struct {
	Slug           string     `json:"slug"`
	Title          string     `json:"title"`
	VisitType      string     `json:"visit_type"`
	StartDate      string     `json:"start_date"`
	EndDate        string     `json:"end_date"`
	VisitorRegion  string     `json:"visitor_region"`
	VisitorAgency  string     `json:"visitor_agency,omitempty"`
	HostRegion     string     `json:"host_region"`
	HostAgency     string     `json:"host_agency,omitempty"`
	DelegationSize int        `json:"delegation_size,omitempty"`
	Delegation     string     `json:"delegation,omitempty"`
	Purpose        string     `json:"purpose,omitempty"`
	Body           string     `json:"body,omitempty"`
	Innovations    []string   `json:"innovations,omitempty"`
	PeopleMet      []Person   `json:"people_met,omitempty"`
	FollowUps      []FollowUp `json:"follow_ups,omitempty"`
	Language       string     `json:"language,omitempty"`
	Visibility     string     `json:"visibility,omitempty"`
}

// Validate checks and normalises the visit in place. Whether the observed
// innovations exist is the store's concern, since it needs the database.
func (vi *Visit) Validate(ref Reference) error {
	v := &ValidationError{}
	checkSlug(v, &vi.Slug)
	checkText(v, "title", &vi.Title, MaxTitle, true)
	VisitTypes().normalize(v, "visit_type", &vi.VisitType, true)
	checkRequiredDate(v, "start_date", &vi.StartDate)
	checkRequiredDate(v, "end_date", &vi.EndDate)
	if s, err1 := time.Parse(DateLayout, vi.StartDate); err1 == nil {
		if e, err2 := time.Parse(DateLayout, vi.EndDate); err2 == nil && e.Before(s) {
			v.add("end_date", "tanggal selesai sebelum tanggal mulai", "end date is before start date")
		}
	}
	ref.Regions.normalize(v, "visitor_region", &vi.VisitorRegion, true)
	checkLine(v, "visitor_agency", &vi.VisitorAgency, MaxShort, false)
	ref.Regions.normalize(v, "host_region", &vi.HostRegion, true)
	checkLine(v, "host_agency", &vi.HostAgency, MaxShort, false)
	if vi.DelegationSize < 0 || vi.DelegationSize > 100000 {
		v.add("delegation_size", "jumlah rombongan harus antara 0 dan 100.000", "delegation size must be between 0 and 100,000")
	}
	checkText(v, "delegation", &vi.Delegation, MaxShort*3, false)
	checkText(v, "purpose", &vi.Purpose, MaxText, false)
	checkText(v, "body", &vi.Body, MaxBody, false)
	vi.Innovations = trimList(vi.Innovations)
	checkLen(v, "innovations", len(vi.Innovations))
	for i, s := range vi.Innovations {
		if !slugRe.MatchString(s) {
			v.add(fieldAt("innovations", i), "slug inovasi \""+clip(s, 60)+"\" tidak sah", "invalid innovation slug \""+clip(s, 60)+"\"")
		}
	}
	checkLen(v, "people_met", len(vi.PeopleMet))
	for i := range vi.PeopleMet {
		p := &vi.PeopleMet[i]
		checkText(v, fieldAt("people_met", i)+".name", &p.Name, MaxShort, true)
		checkText(v, fieldAt("people_met", i)+".role", &p.Role, MaxShort, false)
		checkText(v, fieldAt("people_met", i)+".agency", &p.Agency, MaxShort, false)
	}
	checkLen(v, "follow_ups", len(vi.FollowUps))
	for i := range vi.FollowUps {
		f := &vi.FollowUps[i]
		checkText(v, fieldAt("follow_ups", i)+".action", &f.Action, MaxShort*3, true)
		checkText(v, fieldAt("follow_ups", i)+".owner", &f.Owner, MaxShort, false)
		checkDate(v, fieldAt("follow_ups", i)+".due_date", &f.DueDate)
		// Dates as YYYY-MM-DD compare as text. A follow-up due before the
		// visit began was overdue the moment it was written: a slip.
		if len(f.DueDate) == len(DateLayout) && len(vi.StartDate) == len(DateLayout) && f.DueDate < vi.StartDate {
			v.add(fieldAt("follow_ups", i)+".due_date", "tenggat "+f.DueDate+" sebelum kunjungan dimulai ("+vi.StartDate+")",
				"due date "+f.DueDate+" is before the visit began ("+vi.StartDate+")")
		}
		defaultTo(&f.Status, "terbuka")
		FollowUpStatuses().normalize(v, fieldAt("follow_ups", i)+".status", &f.Status, true)
	}
	defaultTo(&vi.Language, "id")
	Languages().normalize(v, "language", &vi.Language, true)
	defaultTo(&vi.Visibility, "public")
	Visibilities().normalize(v, "visibility", &vi.Visibility, true)
	return v.err()
}

func checkRequiredDate(v *ValidationError, field string, s *string) {
	*s = strings.TrimSpace(*s)
	if *s == "" {
		v.add(field, "wajib diisi", "is required")
		return
	}
	checkDate(v, field, s)
}
