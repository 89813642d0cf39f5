package importfile

import (
	"slices"

	"github.com/hanoicreative/registry/internal/export"
)

// importColumns are the columns an import reads: the export's (one list,
// in internal/export) less its read-only ones, in the export's order.
var importColumns = slices.DeleteFunc(slices.Clone(export.Columns), func(c string) bool { return export.ReadOnly[c] })

// ImportColumns returns the columns an import reads (the export's without
// its read-only ones), in the export's order: the template's header.
func ImportColumns() []string { return slices.Clone(importColumns) }
