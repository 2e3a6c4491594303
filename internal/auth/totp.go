package auth

import (
	"crypto/subtle"
	"fmt"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// NewTOTP creates a second-factor secret for an account and returns it with
// the otpauth:// URL that authenticator apps read.
func NewTOTP(email string) (secret, url string, err error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "Tiru", AccountName: email})
	if err != nil {
		return "", "", fmt.Errorf("create second factor: %w", err)
	}
	return key.Secret(), key.URL(), nil
}

// totpPeriod is the length of a code's time step, in seconds.
const totpPeriod = 30

// CheckTOTP reports whether code is valid for secret now (allowing one
// 30-second step of clock drift either way), and the time step it is the
// code of: a caller that records the steps used can refuse a code used
// before.
func CheckTOTP(secret, code string, now time.Time) (step int64, ok bool) {
	if len(code) != 6 {
		return 0, false
	}
	opts := totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
	for _, skew := range []int64{0, -1, 1} {
		at := now.Unix()/totpPeriod + skew
		want, err := totp.GenerateCodeCustom(secret, time.Unix(at*totpPeriod, 0), opts)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return at, true
		}
	}
	return 0, false
}

// TOTPCode returns the current code for secret, for tests.
func TOTPCode(secret string, now time.Time) (string, error) {
	return totp.GenerateCode(secret, now)
}
