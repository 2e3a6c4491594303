package auth

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"tiru/internal/kb"
)

// One hash for the tests that only need a valid one: each costs ~100 ms.
var sampleHash = sync.OnceValues(func() (string, error) { return HashPassword("sungai martapura di pagi hari") })

func TestPasswordHashRoundTrip(t *testing.T) {
	hash, err := sampleHash()
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckPassword(hash, "sungai martapura di pagi hari"); err != nil {
		t.Errorf("the right password: %v", err)
	}
	for _, wrong := range []string{"", "sungai martapura di pagi har", "Sungai martapura di pagi hari", "sungai martapura di pagi hari "} {
		if err := CheckPassword(hash, wrong); !errors.Is(err, ErrMismatch) {
			t.Errorf("wrong password %q: %v", wrong, err)
		}
	}
}

func TestPasswordHashFormat(t *testing.T) {
	hash, err := sampleHash()
	if err != nil {
		t.Fatal(err)
	}
	// $argon2id$v=19$m=65536,t=3,p=2$<salt>$<key>: the parameters travel
	// with the hash, so they can be raised later.
	re := regexp.MustCompile(`^\$argon2id\$v=19\$m=65536,t=3,p=2\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
	if !re.MatchString(hash) {
		t.Errorf("hash %q is not argon2id with the stated parameters", hash)
	}
	if strings.Contains(hash, "sungai") {
		t.Error("the hash contains the password")
	}
	other, err := HashPassword("sungai martapura di pagi hari")
	if err != nil {
		t.Fatal(err)
	}
	if other == hash {
		t.Error("two hashes of one password are equal: no salt")
	}
	if err := CheckPassword(other, "sungai martapura di pagi hari"); err != nil {
		t.Error(err)
	}
}

func TestCheckPasswordRefusesMalformedHashes(t *testing.T) {
	hash, err := sampleHash()
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(hash, "$")
	with := func(i int, v string) string {
		p := append([]string(nil), parts...)
		p[i] = v
		return strings.Join(p, "$")
	}
	for name, h := range map[string]string{
		"empty":             "",
		"bcrypt":            "$2a$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234",
		"argon2i":           with(1, "argon2i"),
		"other version":     with(2, "v=16"),
		"huge memory":       with(3, "m=4194304,t=3,p=2"),
		"many passes":       with(3, "m=65536,t=1000,p=2"),
		"no lanes":          with(3, "m=65536,t=3,p=0"),
		"garbage params":    with(3, "m=x"),
		"bad salt":          with(4, "!!!"),
		"empty key":         with(5, ""),
		"too few parts":     "$argon2id$v=19$m=65536,t=3,p=2$c2FsdA",
		"dummy of unknowns": dummyHash,
	} {
		t.Run(name, func(t *testing.T) {
			if err := CheckPassword(h, "sungai martapura di pagi hari"); !errors.Is(err, ErrMismatch) {
				t.Errorf("CheckPassword(%q) = %v, want ErrMismatch", h, err)
			}
		})
	}
}

func TestPasswordPolicy(t *testing.T) {
	const email, name = "budi.santoso@banjarkab.go.id", "Budi Santoso"
	for _, tc := range []struct {
		password string
		ok       bool
	}{
		{"pendek", false},
		{"sembilan9", false}, // 9 characters
		{"password123", false},
		{"Password123", false},
		{"indonesia2024!", false},
		{"rahasia", false},
		{"rahasiaku!!", false},
		{"qwertyuiop", false},
		{"aaaaaaaaaaaa", false},
		{"            ", false},
		{"budi.santoso2025", false}, // the email's local part
		{"BUDI.SANTOSO-banjar", false},
		{"budisantoso-banjar", false},     // the name without spaces
		{"Budi Santoso di Banjar", false}, // the name as written, spaces and all
		{"b.u.d.i s-a-n-t-o-s-o!", false},
		{strings.Repeat("kata sandi panjang ", 14), false}, // 266 bytes
		{"sungai martapura di pagi hari", true},
		{"Kopi tubruk & pisang goreng di Lok Baintan", true},
		{"pasar terapung 2024", true},
		{"ÉtéÀBanjarmasin", true},
		{"santoso", false},
	} {
		err := ValidatePassword(tc.password, email, name)
		if (err == nil) != tc.ok {
			t.Errorf("ValidatePassword(%q) = %v, want ok=%v", tc.password, err, tc.ok)
			continue
		}
		if err != nil {
			fes := kb.FieldErrors(err)
			if len(fes) != 1 || fes[0].Field != "password" || fes[0].Message.ID == "" || fes[0].Message.EN == "" {
				t.Errorf("ValidatePassword(%q): %#v, want one password field error in both languages", tc.password, err)
			}
			if !errors.Is(err, kb.ErrInvalid) {
				t.Errorf("ValidatePassword(%q) does not wrap kb.ErrInvalid", tc.password)
			}
		}
	}
	// Short emails and names are not held against a password.
	if err := ValidatePassword("ali di banjarbaru 2025", "ali@x.id", "Ali"); err != nil {
		t.Errorf("a three-letter name blocks a password containing it: %v", err)
	}
	// Length counts characters, not bytes.
	if err := ValidatePassword("ééééébanjr", email, name); err != nil {
		t.Errorf("ten characters of which five are two bytes: %v", err)
	}
}

// TestPolicyRefusesOneRepeatedCharacter: isCommon documents that a password
// of one repeated character is common, and refuses "aaaaaaaaaa"; it must do
// the same for a character outside ASCII.
func TestPolicyRefusesOneRepeatedCharacter(t *testing.T) {
	for _, p := range []string{"éééééééééé", "ŋŋŋŋŋŋŋŋŋŋŋŋ", "日日日日日日日日日日"} {
		if err := ValidatePassword(p, "x@y.id", "X"); err == nil {
			t.Errorf("ValidatePassword(%q) accepted one repeated character", p)
		}
	}
}

func TestThrottleWithAFakeClock(t *testing.T) {
	now := time.Date(2024, 10, 22, 9, 0, 0, 0, time.UTC)
	th := NewThrottle(5, 15*time.Minute)
	th.Now = func() time.Time { return now }
	const key = "user:staf@banjarkab.go.id"

	for i := range 5 {
		if w := th.Wait(key); w != 0 {
			t.Fatalf("before failure %d: wait %v", i+1, w)
		}
		th.Fail(key)
		now = now.Add(time.Minute)
	}
	// Five failures at 9:00–9:04; now 9:05: the oldest leaves the window
	// at 9:15.
	if w := th.Wait(key); w != 10*time.Minute {
		t.Errorf("after five failures: wait %v, want 10m", w)
	}
	if w := th.Wait("user:lain@banjarkab.go.id"); w != 0 {
		t.Errorf("another key waits %v", w)
	}
	now = now.Add(10*time.Minute - time.Second)
	if w := th.Wait(key); w != time.Second {
		t.Errorf("a second before the oldest failure expires: wait %v", w)
	}
	now = now.Add(time.Second)
	if w := th.Wait(key); w != 0 {
		t.Errorf("the oldest failure expired: wait %v, want 0", w)
	}
	// One more failure fills the window again (failures at 9:01–9:04 and 9:15).
	th.Fail(key)
	if w := th.Wait(key); w != time.Minute {
		t.Errorf("after refilling: wait %v, want 1m", w)
	}
	th.Reset(key)
	if w := th.Wait(key); w != 0 {
		t.Errorf("after Reset: wait %v", w)
	}
	// Everything ages out.
	for range 5 {
		th.Fail(key)
	}
	now = now.Add(15 * time.Minute)
	if w := th.Wait(key); w != 0 {
		t.Errorf("after a quiet window: wait %v", w)
	}
}

// Take counts an attempt as it starts: of attempts taken together, only
// Max go ahead. Forgive takes one back.
func TestThrottleTakeCountsAtTheStart(t *testing.T) {
	th := NewThrottle(5, 15*time.Minute)
	const key = "pw:1"
	var wg sync.WaitGroup
	var mu sync.Mutex
	allowed := 0
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if th.Take(key) == 0 {
				mu.Lock()
				allowed++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if allowed != 5 {
		t.Errorf("%d of 20 attempts taken together went ahead, want 5", allowed)
	}
	th.Forgive(key)
	if w := th.Take(key); w != 0 {
		t.Errorf("after Forgive: wait %v, want one more attempt", w)
	}
	if w := th.Take(key); w == 0 {
		t.Error("a sixth attempt went ahead")
	}
}

// Flooding the throttle with failures for made-up accounts keeps its
// memory bounded without lifting a real lockout.
func TestThrottleFloodKeepsLockouts(t *testing.T) {
	now := time.Date(2024, 10, 22, 9, 0, 0, 0, time.UTC)
	th := NewThrottle(5, 15*time.Minute)
	th.Now = func() time.Time { return now }
	const key = "user:staf@banjarkab.go.id"
	for range 5 {
		th.Fail(key)
	}
	for i := range 3 * maxThrottleKeys {
		th.Fail(fmt.Sprintf("user:palsu%d@example.com", i))
	}
	// Keys locked out themselves (five failures each) fill the throttle
	// too; the real lockout must still hold and memory stay bounded.
	for i := range maxThrottleKeys + 10 {
		for range 5 {
			th.Fail(fmt.Sprintf("user:kunci%d@example.com", i))
		}
	}
	if w := th.Wait(key); w == 0 {
		t.Error("a flood of other keys lifted the lockout")
	}
	if n := len(th.failures); n > maxThrottleKeys {
		t.Errorf("the throttle holds %d keys, want at most %d", n, maxThrottleKeys)
	}
	// Once the lockouts have run out, a new key is counted again.
	now = now.Add(16 * time.Minute)
	const later = "user:baru@banjarkab.go.id"
	for range 5 {
		th.Fail(later)
	}
	if w := th.Wait(later); w == 0 {
		t.Error("after the flood's lockouts ran out, a new key's failures were not counted")
	}
}

func TestThrottleIsSafeForConcurrentUse(t *testing.T) {
	th := NewThrottle(5, time.Minute)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 200 {
				key := fmt.Sprintf("ip:10.0.%d.%d", i, j%7)
				th.Fail(key)
				th.Wait(key)
				if j%50 == 0 {
					th.Reset(key)
				}
			}
		}()
	}
	wg.Wait()
}

func TestNewSecret(t *testing.T) {
	seen := map[string]bool{}
	re := regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`) // 32 bytes, URL-safe base64 without padding
	for range 2000 {
		s, err := NewSecret()
		if err != nil {
			t.Fatal(err)
		}
		if !re.MatchString(s) {
			t.Fatalf("secret %q is not 43 URL-safe characters", s)
		}
		if seen[s] {
			t.Fatalf("secret %q repeated", s)
		}
		seen[s] = true
	}
	a, b := HashSecret("tiru_abc"), HashSecret("tiru_abd")
	if len(a) != 64 || a == b || a != HashSecret("tiru_abc") || strings.Contains(a, "abc") {
		t.Errorf("HashSecret: %q %q", a, b)
	}
}

func TestTOTP(t *testing.T) {
	secret, url, err := NewTOTP("admin@tiru.go.id")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(url, "otpauth://totp/") || !strings.Contains(url, "issuer=Tiru") || !strings.Contains(url, "secret="+secret) {
		t.Errorf("otpauth URL %q", url)
	}
	now := time.Date(2024, 10, 22, 9, 30, 10, 0, time.UTC)
	code, err := TOTPCode(secret, now)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^\d{6}$`).MatchString(code) {
		t.Fatalf("code %q", code)
	}
	step, ok := CheckTOTP(secret, code, now)
	if !ok || step != now.Unix()/30 {
		t.Errorf("the current code: step %d, %v; want step %d", step, ok, now.Unix()/30)
	}
	// One 30-second step of drift either way is allowed, not more.
	for _, tc := range []struct {
		d  time.Duration
		ok bool
	}{{-30 * time.Second, true}, {30 * time.Second, true}, {-90 * time.Second, false}, {90 * time.Second, false}, {time.Hour, false}} {
		got, ok := CheckTOTP(secret, code, now.Add(tc.d))
		if ok != tc.ok || (ok && got != step) {
			t.Errorf("code checked %v later: step %d, %v; want %v and the code's own step", tc.d, got, ok, tc.ok)
		}
	}
	wrong := fmt.Sprintf("%06d", (mustAtoi(t, code)+1)%1000000)
	for _, bad := range []string{wrong, "", "12345", "1234567", "abcdef", code + "0"} {
		if _, ok := CheckTOTP(secret, bad, now); ok {
			t.Errorf("code %q accepted", bad)
		}
	}
	other, _, _ := NewTOTP("admin@tiru.go.id")
	if other == secret {
		t.Error("two secrets are equal")
	}
	if _, ok := CheckTOTP(other, code, now); ok {
		t.Error("a code for one secret is accepted for another")
	}
	_, empty := CheckTOTP("", code, now)
	if _, broken := CheckTOTP("not base32!", code, now); empty || broken {
		t.Error("a code is accepted for an empty or broken secret")
	}
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}
