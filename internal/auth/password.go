// Package auth provides Tiru's credentials: argon2id password hashing and a
// password policy, random secrets for sessions, API tokens and reset links
// (stored only as hashes), TOTP second factors, and login throttling.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"tiru/internal/kb"
)

// Argon2id parameters: 64 MiB of memory, 3 passes, 2 lanes (the server has
// two cores). A hash takes about 100 ms here: slow for a guesser, fine for a
// login. The parameters are stored in each hash, so they can be raised later
// without invalidating existing passwords.
const (
	argonTime    = 3
	argonMemory  = 64 * 1024
	argonThreads = 2
	argonKeyLen  = 32
	saltLen      = 16
)

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 10

// MaxPasswordLength bounds the work one login can cause.
const MaxPasswordLength = 256

// HashPassword returns an encoded argon2id hash of password.
func HashPassword(password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// ErrMismatch means the password does not match the hash.
var ErrMismatch = errors.New("password does not match")

// CheckPassword compares password with an encoded hash in constant time.
func CheckPassword(encoded, password string) error {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return ErrMismatch
	}
	var version int
	var mem, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return ErrMismatch
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &t, &p); err != nil || mem > 1<<20 || t > 10 || p == 0 {
		return ErrMismatch
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return ErrMismatch
	}
	got := argon2.IDKey([]byte(password), salt, t, mem, p, uint32(len(want)))
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return ErrMismatch
	}
	return nil
}

// dummyHash is checked against when an account does not exist, so a login
// for an unknown email takes as long as one for a known email.
const dummyHash = "$argon2id$v=19$m=65536,t=3,p=2$c29tZXNhbHRzb21lc2FsdA$9e0b0R3Zv1JcTRgG0b2tO3mA2P1qVbq1Gm1rk0wJc2Y"

// CheckNothing spends the time of a password check, for unknown accounts.
func CheckNothing(password string) { _ = CheckPassword(dummyHash, password) }

//go:embed common-passwords.txt
var commonList string

// ValidatePassword applies the password policy: long enough, not too long,
// not a common password, not the email or name.
func ValidatePassword(password, email, name string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case n < MinPasswordLength:
		return kb.Invalid("password", fmt.Sprintf("kata sandi minimal %d karakter", MinPasswordLength), fmt.Sprintf("password must have at least %d characters", MinPasswordLength))
	case len(password) > MaxPasswordLength:
		return kb.Invalid("password", "kata sandi terlalu panjang", "password too long")
	}
	lower := strings.ToLower(password)
	// Spaces, dots and the like are no defence: "Pimpinan Banjar" as a
	// password is the name "Pimpinan Banjar".
	bare := lettersAndDigits(password)
	local := lettersAndDigits(strings.SplitN(email, "@", 2)[0])
	who := lettersAndDigits(name)
	if isCommon(lower) || (len(local) >= 4 && strings.Contains(bare, local)) || (len(who) >= 4 && strings.Contains(bare, who)) {
		return kb.Invalid("password", "kata sandi ini terlalu mudah ditebak; pakai kalimat yang hanya Anda ketahui", "this password is too easy to guess; use a phrase only you know")
	}
	return nil
}

// lettersAndDigits is s lower-cased, with only its letters and digits.
func lettersAndDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}

// isCommon reports whether a password is, or is a trivial variation of, a
// well-known password: listed, one repeated character, or a listed word
// followed by digits or symbols.
func isCommon(p string) bool {
	if first := []rune(p)[0]; strings.Count(p, string(first)) == utf8.RuneCountInString(p) {
		return true
	}
	core := strings.TrimRightFunc(p, func(r rune) bool { return r < 'a' || r > 'z' })
	for _, w := range strings.Split(commonList, "\n") {
		w = strings.TrimSpace(w)
		if w == "" || strings.HasPrefix(w, "#") {
			continue
		}
		if p == w || (len(core) >= 4 && core == w) {
			return true
		}
	}
	return false
}

// NewSecret returns a random secret of 32 bytes, URL-safe.
func NewSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random secret: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// HashSecret is how sessions, tokens and reset links are stored: a leaked
// database gives no usable secret.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
