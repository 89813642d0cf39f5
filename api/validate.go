package api

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/go-playground/validator/v10"

	"github.com/hanoicreative/registry/internal/registry"
)

// newValidator returns a validator that names fields by their JSON names.
func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		return name
	})
	return v
}

// validateStruct checks v's validate tags and returns every failing field.
func (s *Server) validateStruct(v any) []registry.FieldError { return validationErrors(s.validate, v) }

// validationErrors checks in's validate tags with v.
func validationErrors(v *validator.Validate, in any) []registry.FieldError {
	err := v.Struct(in)
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return nil
	}
	out := make([]registry.FieldError, 0, len(verrs))
	for _, fe := range verrs {
		// The namespace starts with the struct's name: drop it.
		_, path, _ := strings.Cut(fe.Namespace(), ".")
		out = append(out, registry.FieldError{Field: path, Code: validationCode(fe.Tag()), Message: validationMessage(path, fe)})
	}
	return out
}

func validationCode(tag string) string {
	switch tag {
	case "http_url":
		return "url"
	case "gte", "min":
		return "min"
	case "lte", "max":
		return "max"
	}
	return tag
}

func validationMessage(path string, fe validator.FieldError) string {
	kind := fe.Kind()
	unit := "characters"
	if kind == reflect.Slice {
		unit = "items"
	}
	switch fe.Tag() {
	case "required":
		return path + " is required."
	case "max", "lte":
		if kind == reflect.String || kind == reflect.Slice {
			return fmt.Sprintf("%s must have at most %s %s.", path, fe.Param(), unit)
		}
		return fmt.Sprintf("%s must be at most %s.", path, fe.Param())
	case "min", "gte":
		if kind == reflect.String || kind == reflect.Slice {
			return fmt.Sprintf("%s must have at least %s %s.", path, fe.Param(), unit)
		}
		return fmt.Sprintf("%s must be at least %s.", path, fe.Param())
	case "email":
		return path + " must be an email address."
	case "http_url":
		return path + " must be an http or https URL."
	}
	return fmt.Sprintf("%s fails %s.", path, fe.Tag())
}

func sortStrings(s []string) { slices.Sort(s) }
