// Package kb holds Tiru's domain: regions, agencies, innovations, visits and
// adoptions, their taxonomies and validation. It imports only the standard
// library so that every other package can depend on it.
package kb

import (
	"errors"
	"strings"
)

// The few kinds of error the rest of Tiru maps to statuses and pages.
// Wrap them with %w; callers test with errors.Is.
var (
	ErrNotFound  = errors.New("not found")
	ErrInvalid   = errors.New("invalid input")
	ErrConflict  = errors.New("conflict")
	ErrForbidden = errors.New("forbidden")
)

// Text is a user-facing message in Bahasa Indonesia (ID) and English (EN).
type Text struct {
	ID string `json:"id"`
	EN string `json:"en"`
}

// In returns the text in the given language ("en" or anything else for Indonesian).
func (t Text) In(lang string) string {
	if lang == "en" && t.EN != "" {
		return t.EN
	}
	return t.ID
}

// FieldError says what is wrong with one field of an input.
type FieldError struct {
	Field   string `json:"field"`
	Message Text   `json:"message"`
}

// Error is the field's name and the message, Indonesian first.
func (e FieldError) Error() string {
	return e.Field + ": " + e.Message.ID + " (" + e.Message.EN + ")"
}

// ValidationError collects every field error of one record, so a user can fix
// them all at once instead of one per attempt.
type ValidationError struct {
	Errors []FieldError
}

// Error joins the field errors with semicolons.
func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Errors))
	for i, fe := range e.Errors {
		parts[i] = fe.Error()
	}
	return strings.Join(parts, "; ")
}

// Unwrap lets errors.Is(err, ErrInvalid) hold for every validation failure.
func (e *ValidationError) Unwrap() error { return ErrInvalid }

// add records a field error; the message is given in both languages.
func (e *ValidationError) add(field, id, en string) {
	e.Errors = append(e.Errors, FieldError{Field: field, Message: Text{ID: id, EN: en}})
}

// err returns nil when nothing was recorded, so callers can return it directly.
func (e *ValidationError) err() error {
	if len(e.Errors) == 0 {
		return nil
	}
	return e
}

// Invalid builds a validation error for a single field.
func Invalid(field, id, en string) error {
	v := &ValidationError{}
	v.add(field, id, en)
	return v
}

// FieldErrors returns the field errors inside err, if it is a validation error.
func FieldErrors(err error) []FieldError {
	var v *ValidationError
	if errors.As(err, &v) {
		return v.Errors
	}
	return nil
}
