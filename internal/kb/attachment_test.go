package kb_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"tiru/internal/kb"
)

// zipWith is a zip file holding empty files with these names.
func zipWith(t *testing.T, names ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, n := range names {
		f, err := w.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte("<x/>"))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCheckAttachmentDecidesByContent(t *testing.T) {
	pdf := []byte("%PDF-1.7\n%âãÏÓ\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00")
	jpeg := []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
	webp := []byte("RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00")
	docx := zipWith(t, "[Content_Types].xml", "_rels/.rels", "word/document.xml")
	xlsx := zipWith(t, "[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml")
	pptx := zipWith(t, "[Content_Types].xml", "ppt/presentation.xml")
	docm := zipWith(t, "[Content_Types].xml", "word/document.xml", "word/vbaProject.bin")
	plainZip := zipWith(t, "a.txt")
	html := []byte("<!DOCTYPE html><html><script>alert(1)</script></html>")
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`)
	tests := []struct {
		name, file string
		data       []byte
		wantName   string
		wantType   string
		wantErr    string // part of the Indonesian message
	}{
		{"pdf", "Laporan Perjalanan.pdf", pdf, "Laporan Perjalanan.pdf", "application/pdf", ""},
		{"extension in capitals", "FOTO.JPG", jpeg, "FOTO.JPG", "image/jpeg", ""},
		{"jpeg as .jpeg", "foto.jpeg", jpeg, "foto.jpeg", "image/jpeg", ""},
		{"png", "peta.png", png, "peta.png", "image/png", ""},
		{"webp", "rombongan.webp", webp, "rombongan.webp", "image/webp", ""},
		{"docx", "notulen.docx", docx, "notulen.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ""},
		{"xlsx", "anggaran.xlsx", xlsx, "anggaran.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ""},
		{"pptx", "paparan.pptx", pptx, "paparan.pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", ""},
		{"no extension gets the kind's", "paparan", pptx, "paparan.pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", ""},
		{"an unknown dot is part of the name", "laporan.final", pdf, "laporan.final.pdf", "application/pdf", ""},
		{"empty name", "", pdf, "lampiran.pdf", "application/pdf", ""},
		{"only a path", `C:\Users\staf\`, png, "lampiran.png", "image/png", ""},
		{"windows path", `C:\Users\staf\Documents\laporan.pdf`, pdf, "laporan.pdf", "application/pdf", ""},
		{"unix path", "../../etc/laporan.pdf", pdf, "laporan.pdf", "application/pdf", ""},
		{"html renamed png", "foto.png", html, "", "", "tidak diterima"},
		{"html", "halaman.html", html, "", "", "tidak diterima"},
		{"svg", "logo.svg", svg, "", "", "tidak diterima"},
		{"a pdf named .png", "foto.png", pdf, "", "", "berakhiran .png"},
		{"a png named .pdf", "laporan.pdf", png, "", "", "berakhiran .pdf"},
		{"a docx named .xlsx", "anggaran.xlsx", docx, "", "", "berakhiran .xlsx"},
		{"a pdf named .html", "laporan.html", pdf, "", "", "berakhiran .html"},
		{"macro-enabled", "makro.docx", docm, "", "", "tidak diterima"},
		{"plain zip", "arsip.docx", plainZip, "", "", "tidak diterima"},
		{"broken zip", "rusak.docx", []byte("PK\x03\x04rusak"), "", "", "tidak diterima"},
		{"empty", "kosong.pdf", nil, "", "", "kosong"},
		{"too large", "besar.pdf", append(pdf, make([]byte, kb.MaxAttachmentBytes)...), "", "", "terlalu besar"},
		{"a name Windows refuses", `lap:oran?.pdf`, pdf, "lap_oran_.pdf", "application/pdf", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name, media, err := kb.CheckAttachment(tt.file, tt.data)
			if tt.wantErr != "" {
				fes := kb.FieldErrors(err)
				if !errors.Is(err, kb.ErrInvalid) || len(fes) != 1 || fes[0].Field != "file" ||
					!strings.Contains(fes[0].Message.ID, tt.wantErr) || !strings.HasPrefix(fes[0].Message.ID, "Lampiran") ||
					!strings.HasPrefix(fes[0].Message.EN, "Attachment") {
					t.Fatalf("got %q %q %v, want an error on the attachment saying %q", name, media, err, tt.wantErr)
				}
				return
			}
			if err != nil || name != tt.wantName || media != tt.wantType {
				t.Fatalf("got %q %q %v, want %q %q", name, media, err, tt.wantName, tt.wantType)
			}
		})
	}
}

func TestCleanAttachmentName(t *testing.T) {
	long := strings.Repeat("laporan ", 40) + ".pdf"
	tests := []struct{ in, want string }{
		{"laporan.pdf", "laporan.pdf"},
		{"  .hidden.pdf  ", "hidden.pdf"},
		{"Foto\u202Egpj.exe", "Fotogpj.exe"},
		{"a\x00b\nc\td.pdf", "ab c d.pdf"},
		{`"kutip"<>|?*:.pdf`, "_kutip_______.pdf"},
		{"laporan\u200b.pdf", "laporan.pdf"},
		{"\xff\xfelaporan.pdf", "laporan.pdf"},
		{"...", ""},
		{"Rapat   koordinasi.pdf", "Rapat koordinasi.pdf"},
		{"Lampiran – notulen rapat ✓.pdf", "Lampiran – notulen rapat ✓.pdf"},
	}
	for _, tt := range tests {
		if got := kb.CleanAttachmentName(tt.in); got != tt.want {
			t.Errorf("CleanAttachmentName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	got := kb.CleanAttachmentName(long)
	if n := utf8.RuneCountInString(got); n > kb.MaxAttachmentName || !strings.HasSuffix(got, ".pdf") {
		t.Errorf("a long name became %q (%d characters), want at most %d ending .pdf", got, n, kb.MaxAttachmentName)
	}
}

// An Office document whose zip directory names a part outside the folder
// it is unpacked into, or a part whose name hides something, is refused at
// upload: an unzip tool (or a reader's own script) that trusts the names
// writes wherever the file says. Only the directory is read.
func TestCheckAttachmentRefusesUnsafeZipNames(t *testing.T) {
	parts := []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml"}
	for _, bad := range []string{
		"/etc/cron.d/tiru",
		"/word/media/image1.png",
		"../../../etc/passwd",
		"word/../../evil.xml",
		"word/media/..",
		`word\media\image1.png`,
		`..\..\Windows\evil.dll`,
		"C:/Windows/evil.dll",
		"c:evil.xml",
		"word/media/image1.png\x00.xml",
		"word/a\nb.xml",
		"word/\x1b[2Jcustom.xml",
		"word/\x7f.xml",
		"word/\u0085.xml",
	} {
		t.Run(strings.ToValidUTF8(bad, "?"), func(t *testing.T) {
			data := zipWith(t, append(parts, bad)...)
			name, media, err := kb.CheckAttachment("notulen.docx", data)
			fes := kb.FieldErrors(err)
			if !errors.Is(err, kb.ErrInvalid) || len(fes) != 1 || fes[0].Field != "file" ||
				!strings.HasPrefix(fes[0].Message.ID, "Lampiran ditolak") || !strings.Contains(fes[0].Message.ID, "tidak aman") ||
				!strings.HasPrefix(fes[0].Message.EN, "Attachment refused") || !strings.Contains(fes[0].Message.EN, "zip directory") {
				t.Fatalf("entry %q: got %q %q %v, want the attachment refused for its unsafe part name", bad, name, media, err)
			}
		})
	}

	// What Word writes is taken: folders, dots inside names, spaces,
	// names that merely contain "..".
	ok := zipWith(t, append(parts, "word/", "word/media/image 1.png", "docProps/app.xml", "word/_rels/document.xml.rels",
		"customXml/item1..xml", "word/...hidden", "word/Gambar ñ.png")...)
	if name, media, err := kb.CheckAttachment("notulen.docx", ok); err != nil || name != "notulen.docx" || media == "" {
		t.Errorf("a document with ordinary part names: got %q %q %v, want it accepted", name, media, err)
	}

	// A plain zip with an unsafe name is refused as any zip is: it is not
	// a kind Tiru takes, whatever its names.
	_, _, err := kb.CheckAttachment("arsip.docx", zipWith(t, "../a.txt"))
	if fes := kb.FieldErrors(err); len(fes) != 1 || !strings.Contains(fes[0].Message.ID, "tidak diterima") {
		t.Errorf("a plain zip with an unsafe name: %v, want it refused as not an accepted kind", err)
	}
}
