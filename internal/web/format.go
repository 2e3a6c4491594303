package web

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"tiru/internal/kb"
)

var monthsID = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}

// formatDate writes a YYYY-MM-DD or RFC 3339 date as "22 Oktober 2024"
// (or "22 October 2024"); anything unparsable comes back unchanged.
func formatDate(lang, s string) string {
	if s == "" {
		return ""
	}
	t, err := time.Parse(kb.DateLayout, s)
	if err != nil {
		t, err = time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return s
		}
		// Stored timestamps are UTC; most users are in WIB.
		t = t.In(wib)
	}
	if lang == "en" {
		return t.Format("2 January 2006")
	}
	return strconv.Itoa(t.Day()) + " " + monthsID[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// formatDateRange writes the dates of a visit as readers write a span:
// the month and year once where both days share them, "10–11 Mei 2025",
// "30 April – 2 Mei 2025", "30 Desember 2024 – 2 Januari 2025" (English
// "10–11 May 2025"), and a one-day visit as its date.
func formatDateRange(lang, start, end string) string {
	if end == "" || end == start {
		return formatDate(lang, start)
	}
	s, err1 := time.Parse(kb.DateLayout, start)
	e, err2 := time.Parse(kb.DateLayout, end)
	switch {
	case err1 != nil || err2 != nil || s.Year() != e.Year():
		return formatDate(lang, start) + " – " + formatDate(lang, end)
	case s.Month() != e.Month():
		return strings.TrimSuffix(formatDate(lang, start), " "+strconv.Itoa(s.Year())) + " – " + formatDate(lang, end)
	}
	return strconv.Itoa(s.Day()) + "–" + formatDate(lang, end)
}

// wib is Western Indonesia Time, where most of Tiru's readers are.
var wib = time.FixedZone("WIB", 7*3600)

// formatDateTime writes a stored RFC 3339 timestamp as "22 Oktober 2024,
// 14.05 WIB" (English "22 October 2024, 14:05 WIB"): Indonesian writes
// the time with a dot. Anything unparsable comes back unchanged.
func formatDateTime(lang, s string) string {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return s
	}
	t = t.In(wib)
	if lang == "en" {
		return t.Format("2 January 2006, 15:04") + " WIB"
	}
	return strconv.Itoa(t.Day()) + " " + monthsID[t.Month()-1] + " " + strconv.Itoa(t.Year()) + ", " + t.Format("15.04") + " WIB"
}

// machineDateTime writes a stored RFC 3339 timestamp as an HTML datetime
// value (which allows at most milliseconds), or "" when unparsable.
func machineDateTime(s string) string {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05Z")
}

// groupThousands writes n with "." (id) or "," (en) between thousands.
func groupThousands(n int64, sep string) string {
	neg := n < 0
	if neg {
		n = -n
	}
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// formatNumber writes an integer the way the language does: 1.234.567 / 1,234,567.
func formatNumber(lang string, n int64) string {
	if lang == "en" {
		return groupThousands(n, ",")
	}
	return groupThousands(n, ".")
}

// formatRupiah writes an amount of rupiah as people say it: "Rp 2,5 miliar",
// "Rp 750 juta", "Rp 1.500.000" (English: "Rp 2.5 billion").
func formatRupiah(lang string, n int64) string {
	type unit struct {
		size   int64
		id, en string
	}
	units := []unit{{1e12, "triliun", "trillion"}, {1e9, "miliar", "billion"}, {1e6, "juta", "million"}}
	for _, u := range units {
		if n >= u.size {
			v := float64(n) / float64(u.size)
			s := strconv.FormatFloat(v, 'f', 1, 64)
			s = strings.TrimSuffix(s, ".0")
			if lang == "en" {
				return fmt.Sprintf("Rp %s %s", s, u.en)
			}
			return fmt.Sprintf("Rp %s %s", strings.Replace(s, ".", ",", 1), u.id)
		}
	}
	return "Rp " + formatNumber(lang, n)
}
