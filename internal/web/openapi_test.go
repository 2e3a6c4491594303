package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// schemaChecker validates JSON values against the subset of OpenAPI 3.1
// schemas our document uses. It is strict about properties: a field the
// server sends but the document does not declare is an error, so the
// document cannot drift from the responses in either direction.
type schemaChecker struct {
	doc map[string]any
}

func (sc *schemaChecker) resolve(s map[string]any) map[string]any {
	for {
		ref, ok := s["$ref"].(string)
		if !ok {
			return s
		}
		cur := any(sc.doc)
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			cur = cur.(map[string]any)[part]
		}
		s = cur.(map[string]any)
	}
}

// properties collects declared properties and required names, through allOf.
func (sc *schemaChecker) properties(s map[string]any) (map[string]any, []string) {
	s = sc.resolve(s)
	props := map[string]any{}
	var req []string
	for _, sub := range asList(s["allOf"]) {
		p, r := sc.properties(sub.(map[string]any))
		for k, v := range p {
			props[k] = v
		}
		req = append(req, r...)
	}
	if p, ok := s["properties"].(map[string]any); ok {
		for k, v := range p {
			props[k] = v
		}
	}
	for _, r := range asList(s["required"]) {
		req = append(req, r.(string))
	}
	return props, req
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func (sc *schemaChecker) check(path string, s map[string]any, v any) []string {
	s = sc.resolve(s)
	if alts := asList(s["oneOf"]); alts != nil {
		for _, a := range alts {
			if len(sc.check(path, a.(map[string]any), v)) == 0 {
				return nil
			}
		}
		return []string{path + ": matches no oneOf alternative"}
	}
	if asList(s["allOf"]) != nil || s["properties"] != nil {
		obj, ok := v.(map[string]any)
		if !ok {
			return []string{path + ": not an object"}
		}
		props, req := sc.properties(s)
		var errs []string
		for _, r := range req {
			if _, ok := obj[r]; !ok {
				errs = append(errs, fmt.Sprintf("%s: required %q missing", path, r))
			}
		}
		for k, val := range obj {
			ps, ok := props[k]
			if !ok {
				errs = append(errs, fmt.Sprintf("%s: %q not in the OpenAPI document", path, k))
				continue
			}
			errs = append(errs, sc.check(path+"."+k, ps.(map[string]any), val)...)
		}
		return errs
	}
	var errs []string
	switch s["type"] {
	case "string":
		str, ok := v.(string)
		if !ok {
			return []string{fmt.Sprintf("%s: %v is not a string", path, v)}
		}
		if pat, ok := s["pattern"].(string); ok && !regexp.MustCompile(pat).MatchString(str) {
			errs = append(errs, fmt.Sprintf("%s: %q does not match %s", path, str, pat))
		}
		if enum := asList(s["enum"]); enum != nil && !slices.Contains(enum, any(str)) {
			errs = append(errs, fmt.Sprintf("%s: %q not in enum", path, str))
		}
	case "integer":
		n, ok := v.(float64)
		if !ok || n != float64(int64(n)) {
			return []string{fmt.Sprintf("%s: %v is not an integer", path, v)}
		}
		if m, ok := s["minimum"].(float64); ok && n < m {
			errs = append(errs, fmt.Sprintf("%s: %v below minimum %v", path, n, m))
		}
		if m, ok := s["maximum"].(float64); ok && n > m {
			errs = append(errs, fmt.Sprintf("%s: %v above maximum %v", path, n, m))
		}
	case "number":
		if _, ok := v.(float64); !ok {
			return []string{fmt.Sprintf("%s: %v is not a number", path, v)}
		}
	case "array":
		l, ok := v.([]any)
		if !ok {
			return []string{fmt.Sprintf("%s: %v is not an array", path, v)}
		}
		for i, it := range l {
			errs = append(errs, sc.check(fmt.Sprintf("%s[%d]", path, i), s["items"].(map[string]any), it)...)
		}
	case "null":
		if v != nil {
			errs = append(errs, path+": not null")
		}
	case "object":
		if _, ok := v.(map[string]any); !ok {
			errs = append(errs, path+": not an object")
		}
	}
	return errs
}

// responseSchema finds the schema of a path's GET response with status.
func (sc *schemaChecker) responseSchema(t *testing.T, path string, status int) map[string]any {
	t.Helper()
	op := sc.doc["paths"].(map[string]any)[path].(map[string]any)["get"].(map[string]any)
	resp, ok := op["responses"].(map[string]any)[fmt.Sprint(status)].(map[string]any)
	if !ok {
		t.Fatalf("%s: status %d not documented", path, status)
	}
	return resp["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)
}

func TestAPIResponsesMatchOpenAPI(t *testing.T) {
	ts := newTestServer(t)
	status, _, body := ts.get(t, "/api/v1/openapi.json")
	if status != http.StatusOK {
		t.Fatalf("openapi.json: %d", status)
	}
	sc := &schemaChecker{}
	if err := json.Unmarshal([]byte(body), &sc.doc); err != nil {
		t.Fatal(err)
	}
	ts.importJSONL(t, `{"kind":"innovation","slug":"lengkap","title":"Semua kolom","region":"Solo","agency":"Diskominfo SP Kota Surakarta","urusan":"2.16","urusan_related":["2.20"],"stage":"uji coba","stage_dates":{"uji_coba":"2023-01-02"},"innovation_type":"digital","form":"pelayanan publik","initiator":"opd","year_started":2023,"summary":"s","problem":"p","solution":"s","results":[{"date":"2024-01-01","figure":"10 laporan"}],"cost_per_year":2500000000,"partners":["Telkom"],"legal_basis":["Perwali 1/2023"],"prerequisites":"x","contacts":[{"name":"A","role":"B","email":"a@b.id","phone":"1"}],"evidence_level":3,"sustainability":"berlanjut","sustainability_verified":"2024-10-22","sources":[{"title":"t","url":"https://example.org"}],"tags":["a"],"language":"id","visibility":"public","body":"b"}`+"\n")
	// A file with the visit, so that its attachments are checked too.
	ts.attach(t, seedVisit, "Laporan Perjalanan.pdf", "application/pdf", testPDF)
	cases := []struct {
		url, path string
		status    int
	}{
		{"/api/v1/innovations", "/innovations", 200},
		{"/api/v1/innovations?region=33&stage=penerapan&sort=adopted&per_page=2&page=2", "/innovations", 200},
		{"/api/v1/innovations/lengkap", "/innovations/{slug}", 200},
		{"/api/v1/innovations/aplikasi-pengaduan-warga-surakarta", "/innovations/{slug}", 200},
		{"/api/v1/innovations/tidak-ada", "/innovations/{slug}", 404},
		{"/api/v1/innovations?page=-1", "/innovations", 400},
		{"/api/v1/innovations?per_page=100000", "/innovations", 400},
		{"/api/v1/innovations?stage=bogus", "/innovations", 400},
		{"/api/v1/innovations?province=33", "/innovations", 200},
		{"/api/v1/innovations?province=33.72", "/innovations", 400}, // a kota is no province
		{"/api/v1/visits", "/visits", 200},
		{"/api/v1/visits?region=63.03&role=visitor", "/visits", 200},
		{"/api/v1/visits/" + seedVisit, "/visits/{slug}", 200},
		{"/api/v1/visits/tidak-ada", "/visits/{slug}", 404},
		{"/api/v1/visits?role=x", "/visits", 400},
		{"/api/v1/regions", "/regions", 200},
		{"/api/v1/regions?q=solo", "/regions", 200},
		{"/api/v1/regions?level=provinsi&per_page=100", "/regions", 200},
		{"/api/v1/regions?province=63&level=kabupaten", "/regions", 200},
		{"/api/v1/regions/33.72", "/regions/{code}", 200},
		{"/api/v1/regions/33", "/regions/{code}", 200},
		{"/api/v1/regions/99.99", "/regions/{code}", 404},
		{"/api/v1/regions?level=desa", "/regions", 400},
		{"/api/v1/search?q=aplikasi+pengaduan+warga", "/search", 200},
		{"/api/v1/search?q=pengadun&kind=innovation&province=33&stage=penerapan", "/search", 200},
		{"/api/v1/search", "/search", 200},
		{"/api/v1/search?q=zzzzqqqq", "/search", 200},
		{"/api/v1/search?q=x&per_page=51", "/search", 400},
		{"/api/v1/search?q=x&evidence=9", "/search", 400},
		{"/api/v1/search?q=x&sort=random", "/search", 400},
		{"/api/v1/adoptions", "/adoptions", 200},
		{"/api/v1/adoptions?region=63&status=diminati&idle=true&per_page=1&page=2", "/adoptions", 200},
		{"/api/v1/adoptions?status=selesai", "/adoptions", 400},
		{"/api/v1/adoptions?idle=ya", "/adoptions", 400},
		{"/api/v1/follow-ups", "/follow-ups", 200},
		{"/api/v1/follow-ups?region=63.03&per_page=1", "/follow-ups", 200},
		{"/api/v1/follow-ups?region=99.99", "/follow-ups", 400},
	}
	for _, c := range cases {
		t.Run(c.url, func(t *testing.T) {
			status, h, body := ts.get(t, c.url)
			if status != c.status {
				t.Fatalf("status %d, want %d: %s", status, c.status, body)
			}
			if !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
				t.Errorf("content type %q", h.Get("Content-Type"))
			}
			var v any
			if err := json.Unmarshal([]byte(body), &v); err != nil {
				t.Fatal(err)
			}
			for _, e := range sc.check("$", sc.responseSchema(t, c.path, c.status), v) {
				t.Error(e)
			}
		})
	}
}

func TestAPIAnswersWhatUsersAsk(t *testing.T) {
	ts := newTestServer(t)
	var list struct {
		Total int `json:"total"`
		Items []struct {
			Code string `json:"code"`
		} `json:"items"`
	}
	_, _, body := ts.get(t, "/api/v1/regions?q=solo")
	json.Unmarshal([]byte(body), &list)
	if len(list.Items) == 0 || list.Items[0].Code != "33.72" {
		t.Errorf("q=solo: %s", body)
	}
	_, _, body = ts.get(t, "/api/v1/regions?level=provinsi&per_page=100")
	json.Unmarshal([]byte(body), &list)
	if list.Total != 38 {
		t.Errorf("provinces: %d, want 38", list.Total)
	}
	var visit struct {
		Innovations []string `json:"innovations"`
		Adoptions   []struct {
			Region string `json:"region"`
			Status string `json:"status"`
		} `json:"adoptions"`
	}
	_, _, body = ts.get(t, "/api/v1/visits/"+seedVisit)
	json.Unmarshal([]byte(body), &visit)
	if len(visit.Innovations) != 4 || len(visit.Adoptions) != 4 || visit.Adoptions[0].Region != "63.03" || visit.Adoptions[0].Status != "diminati" {
		t.Errorf("seed visit over the API: %s", body)
	}
	var e struct {
		Error struct {
			Code, Message string
			Fields        []struct{ Field, Message string }
		}
	}
	_, _, body = ts.get(t, "/api/v1/innovations?per_page=100000", "Accept-Language", "en-US,en;q=0.9")
	json.Unmarshal([]byte(body), &e)
	if e.Error.Code != "invalid" || len(e.Error.Fields) != 1 || e.Error.Fields[0].Field != "per_page" || !strings.Contains(e.Error.Fields[0].Message, "whole number") {
		t.Errorf("per_page error: %s", body)
	}
}

func TestHostileQueriesNeverFail(t *testing.T) {
	ts := newTestServer(t)
	long := strings.Repeat("a", 5000)
	for _, q := range []string{
		"/inovasi?page=-1&per_page=100000", "/inovasi?province=%27%20OR%201=1--", "/inovasi?urusan=%00", "/inovasi?sort=%3Cscript%3E",
		"/wilayah?q=" + long, "/wilayah?q=%ff%fe", "/wilayah?q=%22%2A%7E%2B-", "/api/v1/regions?q=" + long, "/api/v1/innovations?region=%27",
		"/api/v1/innovations?page=abc", "/inovasi/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/static/../../go.mod", "/wilayah/%3Cscript%3E",
	} {
		status, _, body := ts.get(t, q)
		if status >= 500 {
			t.Errorf("%s: status %d", q, status)
		}
		if strings.Contains(body, "<script>") {
			t.Errorf("%s: reflected a script tag", q)
		}
	}
}

// TestOpenAPIDocumentLints runs Redocly's recommended rules when CI has
// installed the linter (TIRU_REDOCLY names its binary).
func TestOpenAPIDocumentLints(t *testing.T) {
	bin := os.Getenv("TIRU_REDOCLY")
	if bin == "" {
		t.Skip("TIRU_REDOCLY not set; .ci/run installs @redocly/cli and sets it")
	}
	out, err := exec.Command(bin, "lint", "--format=stylish", filepath.Join(".", "openapi.json")).CombinedOutput()
	if err != nil {
		t.Fatalf("redocly lint failed: %v\n%s", err, out)
	}
}
