package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"tiru/internal/auth"
	"tiru/internal/kb"
	"tiru/internal/sqlite"
)

// requireAdmin lets only admins (with their second factor) through.
func (s *Server) requireAdmin(c *gin.Context) bool {
	if !s.requireUser(c) {
		return false
	}
	if !s.actor(c).IsAdmin() {
		if p := s.principal(c); p.user != nil && p.user.Role == kb.RoleAdmin && !p.user.TOTPEnabled && !isAPI(c) {
			c.Redirect(http.StatusSeeOther, "/akun/2fa")
			c.Abort()
			return false
		}
		s.failStatus(c, http.StatusForbidden, "forbidden", "error.forbidden")
		return false
	}
	return true
}

type usersPage struct {
	Users     []sqlite.User
	Roles     []option
	Problems  []userProblem // what is wrong with the new account's form
	Error     string        // what is wrong with an action on an account
	ResetLink string
	Fields    map[string]string
}

// userProblem is one field of the new-account form that needs fixing.
type userProblem struct {
	Field, Message string
}

func (s *Server) usersPage(c *gin.Context, status int, d usersPage) {
	l := s.localizer(c)
	users, err := s.db.ListUsers(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	d.Users = users
	d.Roles = options(kb.Roles().Terms, l.Lang, d.Fields["role"])
	c.Header("Cache-Control", "no-store")
	s.render(c, status, "users", l.T("users.title"), d)
}

func (s *Server) users(c *gin.Context) {
	if !s.requireAdmin(c) {
		return
	}
	s.usersPage(c, http.StatusOK, usersPage{})
}

// createUser adds an account with a one-time link for its first password,
// so the admin never learns it.
func (s *Server) createUser(c *gin.Context) {
	if !s.requireAdmin(c) {
		return
	}
	l := s.localizer(c)
	ctx := c.Request.Context()
	f := map[string]string{}
	for _, k := range []string{"email", "name", "role", "agency", "region", "agency_new"} {
		f[k] = strings.TrimSpace(c.PostForm(k))
	}
	// Every problem at once, each linked to its field, as the record
	// forms do.
	var problems []userProblem
	bad := func(field, msg string) { problems = append(problems, userProblem{Field: field, Message: msg}) }
	email, name := f["email"], f["name"]
	for _, fe := range kb.FieldErrors(kb.ValidateAccount(&email, &name)) {
		bad(fe.Field, fe.Message.In(l.Lang))
	}
	role, region, more, err := s.checkRole(ctx, l, f)
	if err != nil {
		s.fail(c, err)
		return
	}
	problems = append(problems, more...)
	fail := func() {
		s.usersPage(c, http.StatusUnprocessableEntity, usersPage{Problems: problems, Fields: f})
	}
	if len(problems) > 0 {
		fail()
		return
	}
	id, err := s.db.CreateUser(ctx, s.who(c), sqlite.NewUser{Email: email, Name: name, Role: role, Agency: f["agency"], Region: region})
	if errors.Is(err, kb.ErrConflict) {
		bad("email", l.T("users.exists"))
		fail()
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	link, err := s.issueResetLink(c, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.usersPage(c, http.StatusCreated, usersPage{ResetLink: link})
}

func (s *Server) issueResetLink(c *gin.Context, userID int64) (string, error) {
	secret, err := auth.NewSecret()
	if err != nil {
		return "", err
	}
	if err := s.db.CreateResetLink(c.Request.Context(), s.who(c), userID, auth.HashSecret(secret), resetLinkTTL); err != nil {
		return "", err
	}
	scheme := "http"
	if c.Request.TLS != nil || s.secureCookies {
		scheme = "https"
	}
	return scheme + "://" + c.Request.Host + "/sandi-baru/" + secret, nil
}

// resetUser issues a one-time password link for an account; the admin
// copies it to the user, no email server needed.
func (s *Server) resetUser(c *gin.Context) {
	if !s.requireAdmin(c) {
		return
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.fail(c, kb.ErrNotFound)
		return
	}
	if _, err := s.db.UserByID(c.Request.Context(), id); err != nil {
		s.fail(c, err)
		return
	}
	link, err := s.issueResetLink(c, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.usersPage(c, http.StatusOK, usersPage{ResetLink: link})
}

// auditRow is an audit entry as the log page shows it: the time in words
// (and machine-readable), the action by its label, its code kept beside it
// for admins who search or report by code.
type auditRow struct {
	sqlite.AuditEntry
	When, WhenISO string
	ActionLabel   string
	KindLabel     string
	DetailText    string // the detail in the reader's words
	URL           string // the record's page, while it exists
}

func (s *Server) auditPage(c *gin.Context) {
	if !s.requireAdmin(c) {
		return
	}
	l := s.localizer(c)
	p := pageParams(c)
	p.PerPage = 100
	entries, total, err := s.db.ListAudit(c.Request.Context(), p)
	if err != nil {
		s.fail(c, err)
		return
	}
	rows := make([]auditRow, len(entries))
	for i, e := range entries {
		rows[i] = auditRow{AuditEntry: e, When: formatDateTime(l.Lang, e.At), WhenISO: machineDateTime(e.At), ActionLabel: auditActionLabel(l, e.Action),
			KindLabel: auditKindLabel(l, e.Kind), DetailText: s.auditDetail(l, e), URL: auditRecordURL(e)}
	}
	s.render(c, http.StatusOK, "audit", l.T("audit.title"), struct {
		Entries []auditRow
		Pager   pager
	}{rows, newPager(c.Request.URL, p, total)})
}

// auditActionLabel names an audit action ("visit.create") in the reader's
// language; an action the catalogue does not know shows as its code.
func auditActionLabel(l *Localizer, action string) string {
	key := "audit.action." + action
	if _, ok := l.catalog[key]; !ok {
		return action
	}
	return l.T(key)
}

// auditKindLabel names the kind of record an entry is about ("visit")
// in the reader's language; a kind the catalogue does not know shows as
// its code.
func auditKindLabel(l *Localizer, kind string) string {
	key := "audit.kind." + kind
	if _, ok := l.catalog[key]; !ok {
		return kind
	}
	return l.T(key)
}

// auditRecordURL is the page of the record an entry is about, while it
// still exists: an innovation's or a visit's, and for an adoption
// ("innovation@region") its innovation's adoptions.
func auditRecordURL(e sqlite.AuditEntry) string {
	if !e.Live {
		return ""
	}
	switch e.Kind {
	case sqlite.KindInnovation:
		return "/inovasi/" + e.Ref
	case sqlite.KindVisit:
		return "/kunjungan/" + e.Ref
	case sqlite.KindAdoption:
		if slug, _, ok := strings.Cut(e.Ref, "@"); ok {
			return "/inovasi/" + slug + "#replikasi"
		}
	}
	return ""
}

// auditDetail writes an entry's detail in the reader's words: the fields
// a save changed by their labels, a role by its name and a region by its
// name. "enabled" of a second factor says no more than the action.
func (s *Server) auditDetail(l *Localizer, e sqlite.AuditEntry) string {
	switch {
	case e.Detail == "":
		return ""
	case e.Action == "user.totp" && e.Detail == "enabled":
		return ""
	case e.Action == "user.create" || e.Action == "user.role":
		// "role=staf", or "role=staf region=63.03 agency=DKISP …" (the
		// agency last: its name holds spaces).
		rest, agency, _ := strings.Cut(e.Detail, " agency=")
		rest, region, _ := strings.Cut(rest, " region=")
		role, ok := strings.CutPrefix(rest, "role=")
		if !ok {
			return e.Detail
		}
		parts := []string{l.T("audit.role") + ": " + kb.Roles().Label(role, l.Lang)}
		if region != "" {
			name := region
			if r, ok := s.ref.Ref.Regions.Get(region); ok {
				name = r.Name
			}
			parts = append(parts, l.T("field.region")+": "+name)
		}
		if agency != "" {
			parts = append(parts, l.T("field.agency")+": "+agency)
		}
		return strings.Join(parts, " · ")
	case e.Action == sqlite.ActionAttachmentAdd || e.Action == sqlite.ActionAttachmentDelete:
		// "id=3 size=… sha256=… name=…": the file's name and size.
		if name, size, ok := sqlite.ParseAttachmentDetail(e.Detail); ok {
			return name + " (" + formatBytes(l.Lang, size) + ")"
		}
		return e.Detail
	case e.Kind == sqlite.KindInnovation || e.Kind == sqlite.KindVisit || e.Kind == sqlite.KindAdoption:
		fields := strings.Split(e.Detail, ",")
		for i, f := range fields {
			fields[i] = l.FieldOf(e.Kind, f)
		}
		return strings.Join(fields, ", ")
	}
	return e.Detail
}

// checkRole reads the role, agency and region of an account's form (f's
// "role", "agency" and "region"): the role's key, the region's code, and
// what is wrong, each on its field.
func (s *Server) checkRole(ctx context.Context, l *Localizer, f map[string]string) (role, region string, problems []userProblem, err error) {
	bad := func(field, msg string) { problems = append(problems, userProblem{Field: field, Message: msg}) }
	r, ok := kb.Roles().Parse(f["role"])
	if !ok {
		bad("role", l.T("users.bad_role"))
	}
	if f["region"] != "" {
		if reg, err := s.ref.Ref.Regions.ResolveField("region", f["region"]); err != nil {
			for _, fe := range kb.FieldErrors(err) {
				bad("region", fe.Message.In(l.Lang))
			}
		} else {
			region = reg.Code
		}
	}
	agencyOK, agency := true, f["agency"]
	for _, fe := range kb.FieldErrors(kb.ValidateAgencyName("agency", &agency)) {
		bad(fe.Field, fe.Message.In(l.Lang))
		agencyOK = false
	}
	if ok && r.Key != kb.RoleAdmin && (f["region"] == "" || f["agency"] == "") {
		field := "agency"
		if f["region"] == "" {
			field = "region"
		}
		bad(field, l.T("users.need_agency"))
	}
	// An agency the region does not have yet is made only when asked
	// for: a typo made a second agency, and its user could not edit their
	// colleagues' records.
	if agencyOK && region != "" && f["agency"] != "" && f["agency_new"] == "" {
		names, err := s.db.AgencyNames(ctx, region)
		if err != nil {
			return "", "", nil, err
		}
		if !slices.ContainsFunc(names, func(n string) bool { return kb.SameAgency(n, f["agency"]) }) {
			known := l.T("users.no_agencies")
			if len(names) > 0 {
				known = l.T("users.known_agencies", strings.Join(names[:min(len(names), 12)], "; "))
			}
			bad("agency", l.T("users.new_agency", f["agency"], s.regionRef(region).Name)+" "+known)
		}
	}
	return r.Key, region, problems, nil
}

// otherAccount lets only admins through to the account named in the path,
// and, when selfMsg is a message key, not to their own (answered with that
// message). It reports whether to go on.
func (s *Server) otherAccount(c *gin.Context, selfMsg string) (int64, bool) {
	if !s.requireAdmin(c) {
		return 0, false
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.fail(c, kb.ErrNotFound)
		return 0, false
	}
	if selfMsg != "" && id == s.principal(c).user.ID {
		s.usersPage(c, http.StatusUnprocessableEntity, usersPage{Error: s.localizer(c).T(selfMsg)})
		return 0, false
	}
	return id, true
}

// setRole gives an account another role, agency and region. An admin
// cannot change their own: the last admin would lock everyone out of
// administration.
func (s *Server) setRole(c *gin.Context) {
	id, ok := s.otherAccount(c, "users.not_self_role")
	if !ok {
		return
	}
	l := s.localizer(c)
	f := map[string]string{}
	for _, k := range []string{"role", "agency", "region", "agency_new"} {
		f[k] = strings.TrimSpace(c.PostForm(k))
	}
	role, region, problems, err := s.checkRole(c.Request.Context(), l, f)
	if err != nil {
		s.fail(c, err)
		return
	}
	if len(problems) > 0 {
		msgs := make([]string, len(problems))
		for i, p := range problems {
			msgs[i] = p.Message
		}
		s.usersPage(c, http.StatusUnprocessableEntity, usersPage{Error: l.T("users.role_refused") + " " + strings.Join(msgs, " ")})
		return
	}
	if role == kb.RoleAdmin {
		f["agency"] = ""
	}
	if err := s.db.SetUserRole(c.Request.Context(), s.who(c), id, role, f["agency"], region); err != nil {
		s.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/pengguna")
}

// setUserDisabled turns an account off (nonaktifkan) or on again
// (aktifkan). An admin cannot turn off their own account: the last admin
// would lock everyone out of administration.
func (s *Server) setUserDisabled(disabled bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		selfMsg := "users.not_self"
		if !disabled {
			selfMsg = "" // turning one's own account on is no danger
		}
		id, ok := s.otherAccount(c, selfMsg)
		if !ok {
			return
		}
		if err := s.db.SetUserDisabled(c.Request.Context(), s.who(c), id, disabled); err != nil {
			s.fail(c, err)
			return
		}
		c.Redirect(http.StatusSeeOther, "/admin/pengguna")
	}
}
