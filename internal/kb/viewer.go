package kb

// Viewer is who is reading, as far as visibility goes: anonymous readers see
// public records only; staff also see internal records of their own region;
// some roles see every internal record.
type Viewer struct {
	AllInternal bool   // sees every internal record (admin)
	Region      string // sees internal records of this region (staff and above)
}

// Anonymous reports whether the viewer is a reader who has not signed in
// (every account has a region, or sees everything). Such a reader sees
// records but not who wrote them: the accounts' e-mail addresses are their
// login names.
func (v Viewer) Anonymous() bool { return !v.AllInternal && v.Region == "" }

// CanSee reports whether the viewer may read a record with this visibility
// that belongs to the given regions.
func (v Viewer) CanSee(visibility string, regions ...string) bool {
	if visibility == "public" || v.AllInternal {
		return true
	}
	for _, r := range regions {
		if v.Region != "" && r == v.Region {
			return true
		}
	}
	return false
}
