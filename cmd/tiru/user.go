package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"unicode"
	"unicode/utf8"

	"tiru/internal/auth"
	"tiru/internal/kb"
	"tiru/internal/sqlite"
)

func cmdUser(ctx context.Context, env *environment, args []string) error {
	if len(args) == 0 {
		return errors.New("user: sebut add, reset atau list / say add, reset or list (tiru user add --email … --name … --role …; tiru user reset --email … [--2fa]; tiru user list)")
	}
	if args[0] == "help" || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" {
		fmt.Fprint(env.stdout, usage)
		return nil
	}
	c := &config{}
	fs := newFlagSet("user "+args[0], env)
	commonFlags(fs, env, c)
	switch args[0] {
	case "add":
		email := fs.String("email", "", "email (nama masuk / login name)")
		name := fs.String("name", "", "nama lengkap / full name")
		role := fs.String("role", "", "staf, penyelenggara, pimpinan atau / or admin")
		agency := fs.String("agency", "", "perangkat daerah pengguna / the user's agency")
		region := fs.String("region", "", "wilayah perangkat daerah: kode atau nama / the agency's region: code or name")
		newAgency := fs.Bool("new-agency", false, "buat perangkat daerah yang belum ada di wilayah itu / make an agency the region does not have yet")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		return userAdd(ctx, env, c, newUserFlags{*email, *name, *role, *agency, *region, *newAgency})
	case "reset":
		email := fs.String("email", "", "akun yang disetel ulang / the account to reset")
		totp := fs.Bool("2fa", false, "matikan juga verifikasi dua langkah, untuk disiapkan lagi saat masuk / also turn off two-step verification, to be set up again at login")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		return userReset(ctx, env, c, *email, *totp)
	case "list":
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if err := c.requireDB(); err != nil {
			return err
		}
		db, _, err := openStore(ctx, c, sqlite.Options{})
		if err != nil {
			return err
		}
		defer db.Close()
		users, err := db.ListUsers(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "EMAIL\tNAMA / NAME\tPERAN / ROLE\tPERANGKAT DAERAH / AGENCY\tWILAYAH / REGION\t2FA\tSTATUS")
		for _, u := range users {
			totp, status := "tidak / no", "aktif / active"
			if u.TOTPEnabled {
				totp = "ya / yes"
			}
			if u.Disabled {
				status = "nonaktif / turned off"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", printable(u.Email), printable(u.Name), printable(u.Role), printable(u.Agency), printable(u.Region), totp, status)
		}
		return tw.Flush()
	}
	return fmt.Errorf("user: subperintah %q tidak dikenal (unknown subcommand %q)", args[0], args[0])
}

// printable is s as a terminal shows it and does nothing else: every
// character that is not visible (controls such as the escape that starts
// an ANSI sequence or a bell, tabs and line breaks that would break the
// columns, writing-direction overrides, zero-width characters) and every
// byte that is not UTF-8 is written as its Go escape (\x1b, \u202e).
// Accounts made before names were checked may hold such characters.
func printable(s string) string {
	var b strings.Builder
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[0])
		case unicode.IsGraphic(r):
			b.WriteString(s[:n])
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r <= 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
		s = s[n:]
	}
	return b.String()
}

// newUserFlags are the flags of tiru user add.
type newUserFlags struct {
	email, name, role, agency, region string
	newAgency                         bool
}

// userAdd creates an account. The password comes from standard input when
// it is piped; otherwise one is generated and printed once. An agency the
// region does not have yet is made only with --new-agency: a typo made a
// second agency, whose user could not edit their colleagues' records.
func userAdd(ctx context.Context, env *environment, c *config, f newUserFlags) error {
	email, name, role, agency, region := f.email, f.name, f.role, f.agency, f.region
	r, ok := kb.Roles().Parse(role)
	if !ok {
		return fmt.Errorf("user add: --role harus salah satu dari / must be one of: %s", strings.Join(kb.Roles().Keys(), ", "))
	}
	if err := flagErrors(kb.ValidateAccount(&email, &name), kb.ValidateAgencyName("agency", &agency)); err != nil {
		return fmt.Errorf("user add: %w", err)
	}
	db, ref, err := openStore(ctx, c, sqlite.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	code := ""
	if region != "" {
		reg, err := ref.Ref.Regions.ResolveField("--region", region)
		if err != nil {
			return fmt.Errorf("user add: %w", err)
		}
		code = reg.Code
	}
	if r.Key != kb.RoleAdmin && (code == "" || agency == "") {
		return errors.New("user add: pengguna selain admin perlu --agency dan --region (users other than admins need --agency and --region)")
	}
	if code != "" && agency != "" && !f.newAgency {
		names, err := db.AgencyNames(ctx, code)
		if err != nil {
			return fmt.Errorf("user add: %w", err)
		}
		if !slices.ContainsFunc(names, func(n string) bool { return kb.SameAgency(n, agency) }) {
			known := "belum ada / none yet"
			if len(names) > 0 {
				known = strings.Join(names, "; ")
			}
			return fmt.Errorf("user add: perangkat daerah %q belum ada di wilayah %s; periksa ejaannya atau tambahkan --new-agency (not yet an agency of that region; check its spelling or add --new-agency). Yang ada / there: %s", agency, code, known)
		}
	}
	password, generated, err := readPassword(env)
	if err != nil {
		return err
	}
	if err := auth.ValidatePassword(password, email, name); err != nil {
		return fmt.Errorf("user add: %w", err)
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	if _, err := db.CreateUser(ctx, sqlite.Who{Name: "cli"}, sqlite.NewUser{Email: email, Name: name, Role: r.Key, Agency: agency, Region: code, PasswordHash: hash}); err != nil {
		if errors.Is(err, kb.ErrConflict) {
			return fmt.Errorf("user add: %s sudah terdaftar (already exists)", email)
		}
		return err
	}
	fmt.Fprintf(env.stdout, "pengguna dibuat / user created: %s (%s)\n", email, r.Key)
	if generated {
		fmt.Fprintf(env.stdout, "kata sandi (hanya ditampilkan sekali) / password (shown once): %s\n", password)
	}
	if r.Key == kb.RoleAdmin {
		fmt.Fprintln(env.stdout, "Admin harus mengaktifkan verifikasi dua langkah di /akun/2fa setelah masuk. (Admins must turn on two-step verification at /akun/2fa after logging in.)")
	}
	return nil
}

// flagErrors joins the field errors of errs, each named by its flag
// ("--email: …"), Indonesian first; nil when there are none. It keeps
// kb.ErrInvalid in the chain.
func flagErrors(errs ...error) error {
	v := &kb.ValidationError{}
	for _, err := range errs {
		for _, fe := range kb.FieldErrors(err) {
			fe.Field = "--" + fe.Field
			v.Errors = append(v.Errors, fe)
		}
	}
	if len(v.Errors) == 0 {
		return nil
	}
	return v
}

// userReset gives an account a new password (from standard input when it
// is piped, else generated and printed once) and ends its sessions; with
// totp it also turns off the second factor. It is the way back in for an
// admin who lost their password or their authenticator: the web's reset
// links are made by an admin.
func userReset(ctx context.Context, env *environment, c *config, email string, totp bool) error {
	db, u, err := openAccount(ctx, c, "user reset", email)
	if err != nil {
		return err
	}
	defer db.Close()
	password, generated, err := readPassword(env)
	if err != nil {
		return err
	}
	if err := auth.ValidatePassword(password, u.Email, u.Name); err != nil {
		return fmt.Errorf("user reset: %w", err)
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	who := sqlite.Who{Name: "cli"}
	if err := db.SetPassword(ctx, who, u.ID, hash, ""); err != nil {
		return fmt.Errorf("user reset: %w", err)
	}
	fmt.Fprintf(env.stdout, "kata sandi disetel ulang, semua sesi diakhiri / password reset, every session ended: %s\n", u.Email)
	if generated {
		fmt.Fprintf(env.stdout, "kata sandi (hanya ditampilkan sekali) / password (shown once): %s\n", password)
	}
	if totp {
		if err := db.SetTOTP(ctx, who, u.ID, "", false); err != nil {
			return fmt.Errorf("user reset: %w", err)
		}
		fmt.Fprintln(env.stdout, "verifikasi dua langkah dimatikan; siapkan lagi di /akun/2fa setelah masuk / two-step verification turned off; set it up again at /akun/2fa after logging in")
	}
	if u.Disabled {
		fmt.Fprintln(env.stdout, "akun ini nonaktif; aktifkan lagi di /admin/pengguna / this account is turned off; turn it on again at /admin/pengguna")
	}
	return nil
}

// openAccount opens the database of an existing data folder and finds the
// account the command (cmd, for its messages) names by email. The caller
// closes the database.
func openAccount(ctx context.Context, c *config, cmd, email string) (*sqlite.DB, *sqlite.User, error) {
	if strings.TrimSpace(email) == "" {
		return nil, nil, fmt.Errorf("%s: --email wajib diisi (--email is required)", cmd)
	}
	if err := c.requireDB(); err != nil {
		return nil, nil, err
	}
	db, _, err := openStore(ctx, c, sqlite.Options{})
	if err != nil {
		return nil, nil, err
	}
	u, err := db.UserByEmail(ctx, email)
	if err != nil {
		db.Close()
		if errors.Is(err, kb.ErrNotFound) {
			return nil, nil, fmt.Errorf("%s: pengguna %q tidak ada (no such user)", cmd, email)
		}
		return nil, nil, fmt.Errorf("%s: %w", cmd, err)
	}
	return db, u, nil
}

// readPassword reads one line from standard input when it is not a
// terminal, else generates a password.
func readPassword(env *environment) (string, bool, error) {
	if f, ok := env.stdin.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			return generatePassword()
		}
	}
	// A read that fails gives no line, and nothing to keep: a password is
	// generated and printed, as for a terminal.
	line, _ := bufio.NewReader(env.stdin).ReadString('\n')
	if line = strings.TrimRight(line, "\r\n"); line == "" {
		return generatePassword()
	}
	return line, false, nil
}

func generatePassword() (string, bool, error) {
	s, err := auth.NewSecret()
	if err != nil {
		return "", false, err
	}
	return s[:20], true, nil
}

func cmdToken(ctx context.Context, env *environment, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("token: cara pakai / usage: tiru token create --email … [--name …]")
	}
	c := &config{}
	fs := newFlagSet("token create", env)
	commonFlags(fs, env, c)
	email := fs.String("email", "", "pengguna yang diwakili token / the user the token acts as")
	name := fs.String("name", "cli", "untuk apa token ini / what the token is for")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	db, u, err := openAccount(ctx, c, "token create", *email)
	if err != nil {
		return err
	}
	defer db.Close()
	if u.Disabled {
		// Its token would be refused on every request: say so now.
		return fmt.Errorf("token create: akun %s nonaktif; aktifkan lagi di /admin/pengguna dulu (the account is turned off; turn it on again at /admin/pengguna first)", *email)
	}
	secret, err := auth.NewSecret()
	if err != nil {
		return err
	}
	token := "tiru_" + secret
	if _, err := db.CreateToken(ctx, sqlite.Who{Name: "cli"}, u.ID, *name, auth.HashSecret(token), token[:10]); err != nil {
		return err
	}
	fmt.Fprintln(env.stdout, token)
	return nil
}
