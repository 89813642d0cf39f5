package registry

import (
	"context"
	"fmt"
	"slices"
)

// ImportRow is one row of a bulk import: where it stands in the file (for
// messages), the draft it holds, and the errors found reading it. An error
// of the whole row (Field "") means it could not be read: its draft is not
// checked further. Omitted lists the fields the row does not give (a CSV
// without their columns): an update keeps their stored values, a new
// entity has them empty.
type ImportRow struct {
	Row     int
	Draft   EntityDraft
	Errors  []FieldError
	Omitted []DraftField
}

// ImportResult counts what an import did (or, in a dry run, would do).
type ImportResult struct {
	Created   int
	Updated   int
	Unchanged int
}

// Import registers or updates many entities, all or nothing: if any row is
// invalid, nothing is written and every invalid field of every row is
// reported. Rows are matched by slug (given, or derived from the name): a
// match gets its editable fields replaced by the row's (with a revision),
// a row equal to its match is unchanged and records nothing, any other row
// creates an entity. A dry run checks everything, the database included,
// and only reads: it takes no lock. progress, if not nil, is called after
// each row is written (checked, in a dry run).
func (s *Service) Import(ctx context.Context, actor string, rows []ImportRow, dryRun bool, progress func(done int)) (ImportResult, error) {
	r, err := s.loadRefs(ctx, s.store)
	if err != nil {
		return ImportResult{}, err
	}
	built := make([]Entity, len(rows))
	var errs []FieldError
	firstRow := map[string]int{} // slug → row that has it
	for i, row := range rows {
		if slices.ContainsFunc(row.Errors, func(fe FieldError) bool { return fe.Field == "" }) {
			for _, fe := range row.Errors {
				fe.Row = &rows[i].Row
				errs = append(errs, fe)
			}
			continue
		}
		draft, current, err := s.completeDraft(ctx, row)
		if err != nil {
			return ImportResult{}, err
		}
		e, buildErrs := s.build(r, draft, current)
		if current == nil {
			buildErrs = append(buildErrs, missingForCreate(row.Omitted)...)
		}
		rowErrs := MergeFieldErrors(row.Errors, buildErrs)
		if first, dup := firstRow[e.Slug]; dup && e.Slug != "" {
			rowErrs = append(rowErrs, Fieldf("slug", "duplicate", "row %d has the same slug %q: each entity may appear once.", first, e.Slug))
		} else if e.Slug != "" {
			firstRow[e.Slug] = row.Row
		}
		for _, fe := range rowErrs {
			fe.Row = &rows[i].Row
			errs = append(errs, fe)
		}
		built[i] = e
	}
	if len(errs) > 0 {
		return ImportResult{}, Invalid(errs)
	}

	// Match every row first, only reading: a dry run ends here, having
	// locked nothing, so writers go on meanwhile.
	var result ImportResult
	plan := make([]plannedRow, len(built))
	for i, e := range built {
		cur, err := s.store.Entity(ctx, e.Slug)
		switch {
		case ErrorCode(err) == ENOTFOUND:
			if missing := missingForCreate(rows[i].Omitted); len(missing) > 0 {
				return ImportResult{}, rowError(rows[i].Row, Invalid(missing))
			}
			plan[i] = plannedRow{next: e}
			result.Created++
		case err != nil:
			return ImportResult{}, err
		default:
			// Retired sectors the entity already has stay allowed.
			next, buildErrs := s.build(r, rows[i].Draft.keep(cur.Draft(), rows[i].Omitted), &cur)
			if len(buildErrs) > 0 {
				return ImportResult{}, rowError(rows[i].Row, Invalid(buildErrs))
			}
			plan[i] = plannedRow{cur: &cur, next: withIdentity(next, cur)}
			if len(Diff(cur, plan[i].next)) > 0 {
				result.Updated++
			} else {
				result.Unchanged++
			}
		}
		if dryRun && progress != nil {
			progress(i + 1)
		}
	}
	if dryRun {
		return result, nil
	}

	// Then write, all or nothing. The first write takes the change
	// counter's lock, held to the commit: the writes are all that is left.
	// An entity changed since it was read fails its row (EPRECONDITION), as
	// a single update would.
	err = s.store.InTx(ctx, func(tx Store) error {
		for i, p := range plan {
			var err error
			if p.cur == nil {
				_, err = s.create(ctx, tx, actor, p.next)
			} else {
				_, _, err = s.commit(ctx, tx, actor, *p.cur, p.next, ActionUpdated)
			}
			if err != nil {
				return rowError(rows[i].Row, err)
			}
			if progress != nil {
				progress(i + 1)
			}
		}
		return nil
	})
	if err == nil && result.Created+result.Updated >= bulkLoad {
		// Fresh statistics keep the planner's choices good after a large
		// load; without them it misjudged a 2,000-row table as 22 rows. They
		// are refreshed in the background: the import is committed, and its
		// answer must not wait for (or time out on) a VACUUM.
		s.store.AnalyzeInBackground()
	}
	return result, err
}

// completeDraft is the draft a row stands for, to check it before the
// import's transaction: a row that omits fields takes them from the
// entity it matches, if there is one (which it returns too). The
// transaction completes the row again from the entity as it then is.
func (s *Service) completeDraft(ctx context.Context, row ImportRow) (EntityDraft, *Entity, error) {
	slug := row.Draft.matchSlug()
	if len(row.Omitted) == 0 {
		return row.Draft, nil, nil
	}
	if _, bad := ParseSlug(slug); bad != nil {
		return row.Draft, nil, nil // no entity has it: build reports it
	}
	cur, err := s.store.Entity(ctx, slug)
	switch {
	case ErrorCode(err) == ENOTFOUND:
		return row.Draft, nil, nil
	case err != nil:
		return EntityDraft{}, nil, err
	}
	return row.Draft.keep(cur.Draft(), row.Omitted), &cur, nil
}

// missingForCreate reports the fields a new entity needs that a row
// omits: such a row can update an entity, not create one.
func missingForCreate(omitted []DraftField) []FieldError {
	var errs []FieldError
	for _, need := range []struct {
		field DraftField
		err   FieldError
	}{
		{DraftName, Fieldf("name", "required", "name is required: this row matches no entity, so it creates one, and the file has no name column.")},
		{DraftKind, Fieldf("kind", "required", "kind is required: this row matches no entity, so it creates one, and the file has no kind column.")},
		{DraftSectors, Fieldf("sectors", "required", "sectors are required: this row matches no entity, so it creates one, and the file has no sectors column.")},
	} {
		if slices.Contains(omitted, need.field) {
			errs = append(errs, need.err)
		}
	}
	return errs
}

// plannedRow is what an import does with a row: create next (cur is
// nil), or make next the successor of cur (nothing, if they are equal).
type plannedRow struct {
	cur  *Entity
	next Entity
}

// Analyze refreshes the database's statistics, after a bulk load.
func (s *Service) Analyze(ctx context.Context) error { return s.store.Analyze(ctx) }

// bulkLoad is the number of changed rows after which an import refreshes
// the database's statistics. Loads made of smaller imports (seed) refresh
// them once at the end.
const bulkLoad = 5000

// rowError puts a row number on the field errors of err.
func rowError(row int, err error) error {
	e := AsError(err)
	if e.Code == EINTERNAL || e.Code == EUNAVAILABLE {
		return err
	}
	out := *e
	// The inner error goes in Args whole, so the catalogue translates it too.
	out.Message, out.Format, out.Args = fmt.Sprintf("Row %d: %s", row, e.Message), "Row %d: %s", []any{row, e}
	out.Fields = nil
	for _, f := range e.Fields {
		f.Row = &row
		out.Fields = append(out.Fields, f)
	}
	if len(out.Fields) == 0 {
		out.Fields = []FieldError{{Row: &row, Field: "", Code: string(e.Code), Message: e.Message, Format: e.Format, Args: e.Args}}
	}
	return &out
}
