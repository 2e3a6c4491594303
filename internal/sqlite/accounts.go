package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"tiru/internal/kb"
)

// Who is on whose behalf a write is made, for revisions and the audit log.
type Who struct {
	UserID    int64
	Name      string // email of a user, or "import", "seed"
	IP        string
	RequestID string
}

// User is a stored account.
type User struct {
	ID           int64
	Email        string
	Name         string
	Role         string
	Agency       string
	Region       string
	PasswordHash string
	TOTPSecret   string
	TOTPEnabled  bool
	Disabled     bool
	CreatedAt    time.Time
}

// Actor is the user as the permission rules see them.
func (u *User) Actor() kb.Actor {
	return kb.Actor{UserID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, Region: u.Region, Agency: u.Agency}
}

// NewUser is what creating an account needs.
type NewUser struct {
	Email, Name, Role string
	Agency            string // name of the user's agency, in Region
	Region            string
	PasswordHash      string
}

// CreateUser adds an account; an email already in use is kb.ErrConflict.
func (db *DB) CreateUser(ctx context.Context, who Who, u NewUser) (int64, error) {
	var id int64
	err := db.UpdateAs(ctx, who, func(tx *Tx) error {
		agency, err := tx.agencyID(ctx, u.Region, u.Agency)
		if err != nil {
			return err
		}
		res, err := tx.tx.ExecContext(ctx, `INSERT INTO users (email, name, role, agency_id, region_code, password_hash, created_at, password_changed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, u.Email, u.Name, u.Role, agency, u.Region, u.PasswordHash, tx.unix, tx.unix)
		if isConstraint(err) {
			return fmt.Errorf("user %s: %w", u.Email, kb.ErrConflict)
		}
		if err != nil {
			return fmt.Errorf("create user %s: %w", u.Email, err)
		}
		if id, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("create user %s: %w", u.Email, err)
		}
		return tx.Audit(ctx, "user.create", "user", u.Email, "role="+u.Role)
	})
	return id, err
}

const userColumns = `u.id, u.email, u.name, u.role, coalesce(a.name, ''), u.region_code, u.password_hash, u.totp_secret,
	u.totp_enabled, u.disabled, u.created_at`

func scanUser(row interface{ Scan(...any) error }) (*User, error) {
	u := &User{}
	var created int64
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.Agency, &u.Region, &u.PasswordHash, &u.TOTPSecret, &u.TOTPEnabled, &u.Disabled, &created); err != nil {
		return nil, err
	}
	u.CreatedAt = time.Unix(created, 0)
	return u, nil
}

func (db *DB) userWhere(ctx context.Context, cond string, arg any) (*User, error) {
	u, err := scanUser(db.reader.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users u LEFT JOIN agencies a ON a.id = u.agency_id WHERE "+cond, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("user: %w", kb.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read user: %w", err)
	}
	return u, nil
}

// UserByEmail finds an account by email, in any case.
func (db *DB) UserByEmail(ctx context.Context, email string) (*User, error) {
	return db.userWhere(ctx, "u.email = ? COLLATE NOCASE", email)
}

// UserByID finds an account by id.
func (db *DB) UserByID(ctx context.Context, id int64) (*User, error) {
	return db.userWhere(ctx, "u.id = ?", id)
}

// ListUsers returns every account by email.
func (db *DB) ListUsers(ctx context.Context) ([]User, error) {
	rows, err := db.reader.QueryContext(ctx, "SELECT "+userColumns+" FROM users u LEFT JOIN agencies a ON a.id = u.agency_id ORDER BY u.email")
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("scan user: %w", err)
		}
		out = append(out, *u)
	}
	return out, rows.Err()
}

// SetPassword stores a new password hash and ends every session of the user
// except keepSession (the hash of the session that changed it, if any), so a
// password change logs out everywhere else. It also spends the user's reset
// links (see spendResetLinks).
func (db *DB) SetPassword(ctx context.Context, who Who, userID int64, hash, keepSession string) error {
	return db.UpdateAs(ctx, who, func(tx *Tx) error {
		if _, err := tx.tx.ExecContext(ctx, "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?", hash, tx.unix, userID); err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		if err := tx.spendResetLinks(ctx, userID); err != nil {
			return err
		}
		if _, err := tx.tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?", userID, keepSession); err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		return tx.Audit(ctx, "user.password", "user", fmt.Sprint(userID), "")
	})
}

// SetTOTP stores a user's second-factor secret and whether it is in use.
func (db *DB) SetTOTP(ctx context.Context, who Who, userID int64, secret string, enabled bool) error {
	return db.UpdateAs(ctx, who, func(tx *Tx) error {
		if _, err := tx.tx.ExecContext(ctx, "UPDATE users SET totp_secret = ?, totp_enabled = ? WHERE id = ?", secret, enabled, userID); err != nil {
			return fmt.Errorf("set second factor: %w", err)
		}
		if !enabled {
			return tx.Audit(ctx, "user.totp_off", "user", fmt.Sprint(userID), "")
		}
		return tx.Audit(ctx, "user.totp", "user", fmt.Sprint(userID), "enabled")
	})
}

// Session is a stored login.
type Session struct {
	UserID    int64
	CreatedAt time.Time
	LastSeen  time.Time
	MFAOK     bool
}

// CreateSession stores a new session under the hash of its id.
func (db *DB) CreateSession(ctx context.Context, idHash string, userID int64, mfaOK bool, ip, userAgent string) error {
	now := db.now().Unix()
	_, err := db.writer.ExecContext(ctx, `INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, mfa_ok, ip, user_agent)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, idHash, userID, now, now, mfaOK, ip, clipString(userAgent, 300))
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// GetSession returns the session stored under idHash.
func (db *DB) GetSession(ctx context.Context, idHash string) (*Session, error) {
	var created, seen int64
	s := &Session{}
	err := db.reader.QueryRowContext(ctx, "SELECT user_id, created_at, last_seen_at, mfa_ok FROM sessions WHERE id_hash = ?", idHash).Scan(&s.UserID, &created, &seen, &s.MFAOK)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("session: %w", kb.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read session: %w", err)
	}
	s.CreatedAt, s.LastSeen = time.Unix(created, 0), time.Unix(seen, 0)
	return s, nil
}

// TouchSession records activity, for the idle timeout.
func (db *DB) TouchSession(ctx context.Context, idHash string) error {
	if _, err := db.writer.ExecContext(ctx, "UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?", db.now().Unix(), idHash); err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

// SetSessionMFA marks a session as having passed the second factor.
func (db *DB) SetSessionMFA(ctx context.Context, idHash string) error {
	if _, err := db.writer.ExecContext(ctx, "UPDATE sessions SET mfa_ok = 1 WHERE id_hash = ?", idHash); err != nil {
		return fmt.Errorf("mark session verified: %w", err)
	}
	return nil
}

// DeleteSession ends one session.
func (db *DB) DeleteSession(ctx context.Context, idHash string) error {
	if _, err := db.writer.ExecContext(ctx, "DELETE FROM sessions WHERE id_hash = ?", idHash); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}

// DeleteUserSessions ends every session of a user: logging out on one
// device logs out on all, so a session left open on a shared office
// computer ends with the next logout anywhere.
func (db *DB) DeleteUserSessions(ctx context.Context, userID int64) error {
	if _, err := db.writer.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ?", userID); err != nil {
		return fmt.Errorf("end sessions of user %d: %w", userID, err)
	}
	return nil
}

// Token is an API token as its owner sees it (never the secret).
type Token struct {
	ID         int64
	Name       string
	Prefix     string
	CreatedAt  time.Time
	LastUsedAt time.Time
	Revoked    bool
}

// CreateToken stores the hash of a new API token.
func (db *DB) CreateToken(ctx context.Context, who Who, userID int64, name, hash, prefix string) (int64, error) {
	var id int64
	err := db.UpdateAs(ctx, who, func(tx *Tx) error {
		res, err := tx.tx.ExecContext(ctx, "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at) VALUES (?, ?, ?, ?, ?)", userID, name, hash, prefix, tx.unix)
		if err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		if id, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		return tx.Audit(ctx, "token.create", "token", prefix, name)
	})
	return id, err
}

// TokenUser returns the owner of a live token and records its use, at most
// once a minute so that a busy API client does not write on every request.
// A use that cannot be recorded is returned as ErrTokenUseNotRecorded
// beside the user: the token is good, and only its last-used time is stale.
func (db *DB) TokenUser(ctx context.Context, hash string) (*User, error) {
	var id, userID, lastUsed int64
	err := db.reader.QueryRowContext(ctx, "SELECT id, user_id, last_used_at FROM api_tokens WHERE token_hash = ? AND revoked_at = 0", hash).Scan(&id, &userID, &lastUsed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("token: %w", kb.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read token: %w", err)
	}
	u, err := db.UserByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	// A turned-off account's token is refused: its use is not one.
	if now := db.now().Unix(); !u.Disabled && now-lastUsed >= 60 {
		if _, err := db.writer.ExecContext(ctx, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", now, id); err != nil {
			return u, fmt.Errorf("%w: %w", ErrTokenUseNotRecorded, err)
		}
	}
	return u, nil
}

// ErrTokenUseNotRecorded says a token was good but its use could not be
// written down (see TokenUser).
var ErrTokenUseNotRecorded = errors.New("token use not recorded")

// ListTokens returns a user's tokens, newest first.
func (db *DB) ListTokens(ctx context.Context, userID int64) ([]Token, error) {
	rows, err := db.reader.QueryContext(ctx, "SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = ? ORDER BY id DESC", userID)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		var t Token
		var created, used, revoked int64
		if err := rows.Scan(&t.ID, &t.Name, &t.Prefix, &created, &used, &revoked); err != nil {
			return nil, fmt.Errorf("scan token: %w", err)
		}
		t.CreatedAt, t.Revoked = time.Unix(created, 0), revoked != 0
		if used != 0 {
			t.LastUsedAt = time.Unix(used, 0)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken revokes one of the user's tokens.
func (db *DB) RevokeToken(ctx context.Context, who Who, userID, tokenID int64) error {
	return db.UpdateAs(ctx, who, func(tx *Tx) error {
		res, err := tx.tx.ExecContext(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at = 0", tx.unix, tokenID, userID)
		if err != nil {
			return fmt.Errorf("revoke token: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("token %d: %w", tokenID, kb.ErrNotFound)
		}
		return tx.Audit(ctx, "token.revoke", "token", fmt.Sprint(tokenID), "")
	})
}

// updateUser sets columns of one account (set is the SQL between SET and
// WHERE, args its values); an account that does not exist is
// kb.ErrNotFound.
func (t *Tx) updateUser(ctx context.Context, userID int64, set string, args ...any) error {
	res, err := t.tx.ExecContext(ctx, "UPDATE users SET "+set+" WHERE id = ?", append(args, userID)...)
	if err != nil {
		return fmt.Errorf("update user %d: %w", userID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("update user %d: %w", userID, err)
	} else if n == 0 {
		return fmt.Errorf("user %d: %w", userID, kb.ErrNotFound)
	}
	return nil
}

// SetUserRole gives an account another role, agency and region (a
// staff member made an organiser, someone moved to another agency). The
// account keeps its email, password and history; what it may do changes
// with its next request.
func (db *DB) SetUserRole(ctx context.Context, who Who, userID int64, role, agency, region string) error {
	return db.UpdateAs(ctx, who, func(tx *Tx) error {
		ag, err := tx.agencyID(ctx, region, agency)
		if err != nil {
			return err
		}
		if err := tx.updateUser(ctx, userID, "role = ?, agency_id = ?, region_code = ?", role, ag, region); err != nil {
			return err
		}
		return tx.Audit(ctx, "user.role", "user", fmt.Sprint(userID), "role="+role+" region="+region+" agency="+agency)
	})
}

// SetUserDisabled turns an account off or on again. Turning it off ends
// its sessions at once; while it is off its logins and tokens are refused
// (every request checks the account). Nothing it wrote changes.
func (db *DB) SetUserDisabled(ctx context.Context, who Who, userID int64, disabled bool) error {
	return db.UpdateAs(ctx, who, func(tx *Tx) error {
		if err := tx.updateUser(ctx, userID, "disabled = ?", disabled); err != nil {
			return err
		}
		action := "user.enable"
		if disabled {
			action = "user.disable"
			if _, err := tx.tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ?", userID); err != nil {
				return fmt.Errorf("end the sessions of user %d: %w", userID, err)
			}
		}
		return tx.Audit(ctx, action, "user", fmt.Sprint(userID), "")
	})
}

// CreateResetLink stores the hash of a one-time password reset link. The
// user's older links still open are spent in the same transaction: a new
// link is issued because the last went astray or was never used, and the
// one that went astray must not set the password meanwhile.
func (db *DB) CreateResetLink(ctx context.Context, who Who, userID int64, hash string, ttl time.Duration) error {
	return db.UpdateAs(ctx, who, func(tx *Tx) error {
		if err := tx.spendResetLinks(ctx, userID); err != nil {
			return err
		}
		if _, err := tx.tx.ExecContext(ctx, "INSERT INTO reset_links (token_hash, user_id, created_at, expires_at, created_by) VALUES (?, ?, ?, ?, ?)",
			hash, userID, tx.unix, tx.unix+int64(ttl.Seconds()), who.Name); err != nil {
			return fmt.Errorf("create reset link: %w", err)
		}
		return tx.Audit(ctx, "user.reset_link", "user", fmt.Sprint(userID), "")
	})
}

// UseTOTPStep records that the account used the second-factor code of
// time step step, and reports whether that is a new step: false for a code
// of a step already used, or of an earlier one, which must not log in
// again. One statement, so two requests with the same code cannot both
// pass.
func (db *DB) UseTOTPStep(ctx context.Context, userID, step int64) (bool, error) {
	res, err := db.writer.ExecContext(ctx, "UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?", step, userID, step)
	if err != nil {
		return false, fmt.Errorf("record second-factor use: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("record second-factor use: %w", err)
	}
	return n == 1, nil
}

// ResetLinkUser returns the user a live, unused reset link is for.
func (db *DB) ResetLinkUser(ctx context.Context, hash string) (int64, error) {
	var userID int64
	err := db.reader.QueryRowContext(ctx, "SELECT user_id FROM reset_links WHERE token_hash = ? AND used_at = 0 AND expires_at > ?", hash, db.now().Unix()).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("reset link: %w", kb.ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("read reset link: %w", err)
	}
	return userID, nil
}

// spendResetLinks spends every reset link of the user still open. A link is
// for setting the password that stood when it was issued: once a password
// has been set (through another link, the account page or the command
// line), or a newer link issued, an older link that went astray must not
// set it again.
func (t *Tx) spendResetLinks(ctx context.Context, userID int64) error {
	if _, err := t.tx.ExecContext(ctx, "UPDATE reset_links SET used_at = ? WHERE user_id = ? AND used_at = 0", t.unix, userID); err != nil {
		return fmt.Errorf("spend reset links: %w", err)
	}
	return nil
}

// UseResetLink sets the password through a reset link, once: the link, and
// any other of the user's still open, is spent and every session of the
// user ends, in one transaction.
func (db *DB) UseResetLink(ctx context.Context, who Who, hash, passwordHash string) error {
	return db.UpdateAs(ctx, who, func(tx *Tx) error {
		var userID int64
		err := tx.tx.QueryRowContext(ctx, "SELECT user_id FROM reset_links WHERE token_hash = ? AND used_at = 0 AND expires_at > ?", hash, tx.unix).Scan(&userID)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("reset link: %w", kb.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("read reset link: %w", err)
		}
		if err := tx.spendResetLinks(ctx, userID); err != nil {
			return err
		}
		if _, err := tx.tx.ExecContext(ctx, "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?", passwordHash, tx.unix, userID); err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		if _, err := tx.tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ?", userID); err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		return tx.Audit(ctx, "user.password_reset", "user", fmt.Sprint(userID), "")
	})
}

// Audit records an action that is not a record write (a login, say).
func (db *DB) Audit(ctx context.Context, who Who, action, kind, ref, detail string) error {
	return db.UpdateAs(ctx, who, func(tx *Tx) error { return tx.Audit(ctx, action, kind, ref, detail) })
}

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	At        string
	Actor     string
	Action    string
	Kind      string
	Ref       string
	IP        string
	RequestID string
	Detail    string
	// Live: the record the entry is about is still there to open (an
	// innovation, a visit, or the innovation of an adoption).
	Live bool
}

// ListAudit returns a page of the audit log, newest first.
func (db *DB) ListAudit(ctx context.Context, p Page) ([]AuditEntry, int, error) {
	var total int
	if err := db.reader.QueryRowContext(ctx, "SELECT count(*) FROM audit_log").Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count audit log: %w", err)
	}
	rows, err := db.reader.QueryContext(ctx, `SELECT a.at, a.actor, a.action, a.kind, a.ref, a.ip, a.request_id, a.detail,
		CASE a.kind
			WHEN 'innovation' THEN EXISTS (SELECT 1 FROM innovations i WHERE i.slug = a.ref)
			WHEN 'visit' THEN EXISTS (SELECT 1 FROM visits v WHERE v.slug = a.ref)
			WHEN 'adoption' THEN EXISTS (SELECT 1 FROM innovations i WHERE i.slug = substr(a.ref, 1, instr(a.ref, '@') - 1))
			ELSE 0 END
		FROM audit_log a ORDER BY a.id DESC`+p.limitSQL())
	if err != nil {
		return nil, 0, fmt.Errorf("read audit log: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.At, &e.Actor, &e.Action, &e.Kind, &e.Ref, &e.IP, &e.RequestID, &e.Detail, &e.Live); err != nil {
			return nil, 0, fmt.Errorf("scan audit entry: %w", err)
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// clipString cuts s to at most n bytes of valid UTF-8, at a character
// boundary: what a client sends (its user agent) is shown on pages later.
func clipString(s string, n int) string {
	s = strings.ToValidUTF8(s, "")
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
