package kb

// MaxNote bounds the note of an adoption's step: a sentence or two on why
// it moved, not a write-up.
const MaxNote = 2000

// AdoptionEvent is one dated step of an adoption's history.
type AdoptionEvent struct {
	Status string `json:"status"`
	Date   string `json:"date,omitempty"`
	Note   string `json:"note,omitempty"`
	By     string `json:"by,omitempty"`
}

// Adoption is one innovation being replicated by one region (replikasi).
type Adoption struct {
	Innovation string          `json:"innovation"`
	Region     string          `json:"region"`
	Status     string          `json:"status"`
	Degree     string          `json:"degree,omitempty"`
	Visit      string          `json:"visit,omitempty"`
	Date       string          `json:"date,omitempty"`
	Note       string          `json:"note,omitempty"`
	History    []AdoptionEvent `json:"history,omitempty"`
}

// Validate checks and normalises the adoption in place. An adoption without
// a history gets one made of its current status, so every adoption says when
// and why it reached where it is.
func (a *Adoption) Validate(ref Reference) error {
	v := &ValidationError{}
	checkText(v, "innovation", &a.Innovation, 80, true)
	if a.Innovation != "" && !slugRe.MatchString(a.Innovation) {
		v.add("innovation", "slug inovasi tidak sah", "invalid innovation slug")
	}
	ref.Regions.normalize(v, "region", &a.Region, true)
	AdoptionStatuses().normalize(v, "status", &a.Status, true)
	AdoptionDegrees().normalize(v, "degree", &a.Degree, false)
	checkText(v, "visit", &a.Visit, 80, false)
	if a.Visit != "" && !slugRe.MatchString(a.Visit) {
		v.add("visit", "slug kunjungan tidak sah", "invalid visit slug")
	}
	checkDate(v, "date", &a.Date)
	checkPast(v, "date", a.Date)
	checkText(v, "note", &a.Note, MaxNote, false)
	checkLen(v, "history", len(a.History))
	for i := range a.History {
		e := &a.History[i]
		AdoptionStatuses().normalize(v, fieldAt("history", i)+".status", &e.Status, true)
		checkDate(v, fieldAt("history", i)+".date", &e.Date)
		checkPast(v, fieldAt("history", i)+".date", e.Date)
		checkText(v, fieldAt("history", i)+".note", &e.Note, MaxNote, false)
		checkText(v, fieldAt("history", i)+".by", &e.By, MaxShort, false)
	}
	// An adoption given with its history but without its own date (an
	// import that lists the steps) is dated by its latest step, and noted
	// by it when at that step: left empty, it showed no date anywhere and
	// sorted first among the latest changes.
	if len(a.History) > 0 && a.Date == "" {
		latest := a.History[0]
		for _, e := range a.History[1:] {
			if e.Date >= latest.Date {
				latest = e
			}
		}
		a.Date = latest.Date
		if a.Note == "" && a.Status == latest.Status {
			a.Note = latest.Note
		}
	}
	if len(a.History) == 0 && a.Status != "" {
		a.History = []AdoptionEvent{{Status: a.Status, Date: a.Date, Note: a.Note}}
	}
	return v.err()
}
