package kb

import (
	"archive/zip"
	"bytes"
	"path"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of a visit's attachments (lampiran). Ten MiB holds a scanned
// travel report or a slide deck; twenty files are more than a visit
// gathers, and keep a visit's share of the database bounded.
const (
	MaxAttachmentBytes = 10 << 20
	MaxAttachments     = 20
	// MaxAttachmentName is the longest file name kept, in characters.
	MaxAttachmentName = 120
)

// AttachmentType is a kind of file a visit may carry: its media type, the
// file name extensions that may name it, and its label for people.
type AttachmentType struct {
	MediaType  string
	Extensions []string // lower case, with the dot; the first is the usual one
	Label      Text
	Image      bool // shown inline, with a preview on the visit's page
}

// The media types of Office Open XML documents.
const (
	mediaDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	mediaXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	mediaPPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
)

// AttachmentTypes lists the kinds of file a visit may carry. Nothing a
// browser would run (HTML, SVG, scripts) is among them.
func AttachmentTypes() []AttachmentType {
	return []AttachmentType{
		{MediaType: "application/pdf", Extensions: []string{".pdf"}, Label: Text{ID: "PDF", EN: "PDF"}},
		{MediaType: "image/jpeg", Extensions: []string{".jpg", ".jpeg"}, Label: Text{ID: "gambar JPEG", EN: "JPEG image"}, Image: true},
		{MediaType: "image/png", Extensions: []string{".png"}, Label: Text{ID: "gambar PNG", EN: "PNG image"}, Image: true},
		{MediaType: "image/webp", Extensions: []string{".webp"}, Label: Text{ID: "gambar WebP", EN: "WebP image"}, Image: true},
		{MediaType: mediaDOCX, Extensions: []string{".docx"}, Label: Text{ID: "dokumen Word", EN: "Word document"}},
		{MediaType: mediaXLSX, Extensions: []string{".xlsx"}, Label: Text{ID: "lembar kerja Excel", EN: "Excel spreadsheet"}},
		{MediaType: mediaPPTX, Extensions: []string{".pptx"}, Label: Text{ID: "presentasi PowerPoint", EN: "PowerPoint presentation"}},
	}
}

// AttachmentTypeOf returns the kind of file with mediaType.
func AttachmentTypeOf(mediaType string) (AttachmentType, bool) {
	for _, t := range AttachmentTypes() {
		if t.MediaType == mediaType {
			return t, true
		}
	}
	return AttachmentType{}, false
}

// attachmentField names the field in messages about an attachment: the
// API's multipart field and the form's file input are both "file".
const attachmentField = "file"

// allowedText says which files are taken, for the messages that refuse one.
var allowedText = Text{
	ID: "yang diterima: PDF, gambar JPEG, PNG atau WebP, dan dokumen Word, Excel atau PowerPoint (.docx, .xlsx, .pptx)",
	EN: "accepted: PDF, JPEG, PNG or WebP images, and Word, Excel or PowerPoint documents (.docx, .xlsx, .pptx)",
}

// CheckAttachment decides what a file is from its content (its first
// bytes, and for an Office document its zip directory), never from what
// the client says it is, and returns the name it is kept under
// (CleanAttachmentName) with its media type. The name's extension must
// name the same kind of file; a name without one gets the kind's usual
// extension. Anything else is a validation error on the field "file",
// whose message names the attachment in both languages.
func CheckAttachment(name string, data []byte) (cleanName, mediaType string, err error) {
	if len(data) == 0 {
		return "", "", Invalid(attachmentField, "Lampiran kosong (0 bait); pilih berkas yang berisi", "Attachment is empty (0 bytes); choose a file with content")
	}
	if len(data) > MaxAttachmentBytes {
		return "", "", Invalid(attachmentField,
			"Lampiran terlalu besar: paling besar "+strconv.Itoa(MaxAttachmentBytes>>20)+" MB per berkas",
			"Attachment too large: at most "+strconv.Itoa(MaxAttachmentBytes>>20)+" MB per file")
	}
	t, err := sniffAttachment(data)
	if err != nil {
		return "", "", err
	}
	cleanName = CleanAttachmentName(name)
	ext := strings.ToLower(path.Ext(cleanName))
	switch {
	case cleanName == "":
		cleanName = "lampiran" + t.Extensions[0]
	case ext == "" || !knownExtension(ext):
		// "foto" or "laporan.final": the name says nothing of the kind,
		// which the content has decided.
		cleanName = clipName(cleanName+t.Extensions[0], MaxAttachmentName)
	default:
		matches := false
		for _, e := range t.Extensions {
			matches = matches || e == ext
		}
		if !matches {
			return "", "", Invalid(attachmentField,
				"Lampiran ditolak: namanya berakhiran "+ext+", tetapi isinya "+t.Label.ID+"; ganti akhiran namanya menjadi "+t.Extensions[0],
				"Attachment refused: its name ends in "+ext+", but its content is a "+t.Label.EN+"; rename it to end in "+t.Extensions[0])
		}
	}
	return cleanName, t.MediaType, nil
}

// knownExtension reports whether ext names one of the accepted kinds, or a
// kind people often mistake for one (an old Office file, a web page, an
// SVG image), so that it is checked against the content rather than kept
// as part of the name.
func knownExtension(ext string) bool {
	for _, t := range AttachmentTypes() {
		for _, e := range t.Extensions {
			if e == ext {
				return true
			}
		}
	}
	switch ext {
	case ".doc", ".xls", ".ppt", ".docm", ".xlsm", ".pptm", ".odt", ".ods", ".odp", ".gif", ".svg", ".svgz", ".bmp", ".tif", ".tiff", ".heic",
		".htm", ".html", ".xhtml", ".xml", ".js", ".mjs", ".txt", ".csv", ".rtf", ".zip", ".exe", ".bat", ".cmd", ".sh", ".php":
		return true
	}
	return false
}

// sniffAttachment recognises an accepted kind of file by its content; any
// other file is a field error saying which kinds are taken.
func sniffAttachment(data []byte) (AttachmentType, error) {
	var media string
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		media = "application/pdf"
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		media = "image/jpeg"
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		media = "image/png"
	case len(data) >= 16 && bytes.HasPrefix(data, []byte("RIFF")) && string(data[8:12]) == "WEBP" && string(data[12:15]) == "VP8":
		media = "image/webp"
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		var unsafe bool
		media, unsafe = officeType(data)
		if media != "" && unsafe {
			// An Office document as far as its parts go, but one that
			// would write outside its folder (or trip up the tool)
			// wherever someone unpacks it. Said apart from the other
			// refusals: .docx is an accepted kind, and "not accepted"
			// would send the reader to look for another format.
			return AttachmentType{}, Invalid(attachmentField,
				"Lampiran ditolak: daftar isi berkas ini memuat nama bagian yang tidak aman (jalur mutlak, \"..\", garis miring terbalik atau karakter kendali); simpan ulang dokumennya dari Word, Excel atau PowerPoint lalu unggah lagi",
				"Attachment refused: the file's zip directory holds an unsafe part name (an absolute path, \"..\", a backslash or a control character); save the document again from Word, Excel or PowerPoint and upload it again")
		}
	}
	if t, ok := AttachmentTypeOf(media); ok {
		return t, nil
	}
	return AttachmentType{}, Invalid(attachmentField, "Lampiran ditolak: jenis berkas ini tidak diterima; "+allowedText.ID, "Attachment refused: this kind of file is not accepted; "+allowedText.EN)
}

// officeType tells which Office Open XML document a zip file is, from its
// directory alone (nothing is decompressed, so a zip bomb costs nothing):
// a [Content_Types].xml and the main part of Word, Excel or PowerPoint.
// Any other zip, macro-enabled documents' vbaProject included, is none.
// unsafe reports a name in the directory that is not a plain relative
// path (see safeZipName): Office never writes one, and an unzip tool
// that trusts it writes outside the folder it unpacks into.
func officeType(data []byte) (media string, unsafe bool) {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", false
	}
	has := map[string]bool{}
	for _, f := range z.File {
		has[f.Name] = true
		unsafe = unsafe || !safeZipName(f.Name)
	}
	if !has["[Content_Types].xml"] {
		return "", unsafe
	}
	var found []string
	for part, media := range map[string]string{"word/document.xml": mediaDOCX, "xl/workbook.xml": mediaXLSX, "ppt/presentation.xml": mediaPPTX} {
		if has[part] && !has[path.Dir(part)+"/vbaProject.bin"] {
			found = append(found, media)
		}
	}
	if len(found) != 1 {
		return "", unsafe
	}
	return found[0], unsafe
}

// safeZipName reports whether a zip entry's name is a relative path that
// stays inside the folder it is unpacked into: not absolute ("/etc/x",
// "C:x"), without ".." segments, without backslashes (which Windows tools
// read as separators, so "..\x" climbs too) and without NUL or other
// control characters (which cut or disguise the name where it is shown
// or used).
func safeZipName(name string) bool {
	if strings.HasPrefix(name, "/") || (len(name) >= 2 && name[1] == ':' && unicode.IsLetter(rune(name[0]))) {
		return false
	}
	if strings.ContainsFunc(name, func(r rune) bool { return r == '\\' || unicode.IsControl(r) }) {
		return false
	}
	for _, seg := range strings.Split(name, "/") {
		if seg == ".." {
			return false
		}
	}
	return true
}

// CleanAttachmentName is the name a file is kept and offered under: the
// base name only (a browser on Windows may send "C:\Users\…\laporan.pdf"),
// without control and format characters (bidirectional overrides can make
// "gpj.exe" read as "exe.jpg"), without characters Windows refuses in a
// file name, trimmed of spaces and dots at either end (a leading dot hides
// a file), and at most MaxAttachmentName characters, keeping the
// extension. It may return "".
func CleanAttachmentName(raw string) string {
	raw = strings.ToValidUTF8(raw, "")
	if i := strings.LastIndexAny(raw, `/\`); i >= 0 {
		raw = raw[i+1:]
	}
	var b strings.Builder
	for _, r := range raw {
		switch {
		case unicode.IsSpace(r):
			b.WriteByte(' ')
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError:
			// dropped
		case strings.ContainsRune(`<>:"|?*`, r):
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	name := strings.Join(strings.Fields(b.String()), " ")
	name = strings.Trim(name, " .")
	return clipName(name, MaxAttachmentName)
}

// clipName cuts name to at most n characters, keeping its extension when
// the extension is short enough to be one.
func clipName(name string, n int) string {
	if utf8.RuneCountInString(name) <= n {
		return name
	}
	ext := path.Ext(name)
	if utf8.RuneCountInString(ext) > 10 {
		ext = ""
	}
	stem := []rune(strings.TrimSuffix(name, ext))
	stem = stem[:n-utf8.RuneCountInString(ext)]
	return strings.TrimRight(string(stem), " .") + ext
}
