package registry

import "strings"

// WardSuggestions names the wards closest to what a user typed that is no
// ward, for the message that refuses it ("Văn Miếu - Quốc Tử Giám", or
// several joined with ", "); "" if none is close. The names go into a
// fixed sentence as an argument, so that the sentence can be translated.
func (s *Service) WardSuggestions(typed string) string {
	var names []string
	for _, w := range s.wards.Suggest(typed) {
		names = append(names, w.Name)
	}
	return strings.Join(names, ", ")
}
