package lint

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"

	"github.com/zislint/zislint/internal/repofs"
)

// Reasons a fix is skipped.
const (
	SkipOverlap     = "overlapping fix skipped; run again"
	SkipSelfOverlap = "the fix's own edits overlap; fix this one by hand and please report it"
	SkipOutOfRange  = "the fix's edits lie outside the file; fix this one by hand and please report it"
	SkipNoSource    = "the file's content is not available; fix this one by hand"
	SkipNoEdits     = "the fix has no edits; fix this one by hand and please report it"
)

// FixResult is what applying the findings' fixes would do.
type FixResult struct {
	Files   []FixedFile  // files with at least one applied fix, by path
	Skipped []SkippedFix // in the order of Result.Findings
}

// FixedFile is one file's content before and after its fixes.
type FixedFile struct {
	Path     string
	Old, New []byte
	Applied  []Finding // the findings whose first fix went into New
}

// SkippedFix is a finding whose fix was not applied, and why.
type SkippedFix struct {
	Finding Finding
	Reason  string
}

// Fixed returns how many findings had their fix applied.
func (r *FixResult) Fixed() int {
	n := 0
	for _, f := range r.Files {
		n += len(f.Applied)
	}
	return n
}

// ApplyFixes applies the first fix of each finding in res.Findings to
// res.Sources and returns the new contents; it writes nothing. Findings
// are taken in order and a fix is all or nothing, so when two fixes
// touch the same bytes the earlier finding's wins and the later one is
// skipped: its edits were computed against text that is no longer there,
// and linting the fixed file again produces it afresh if it still applies.
func ApplyFixes(res *Result) *FixResult {
	out := &FixResult{}
	type pending struct {
		accepted []Edit // sorted by Start, never overlapping
		applied  []Finding
	}
	byFile := map[string]*pending{}
	for _, f := range res.Findings {
		if len(f.Fixes) == 0 {
			continue
		}
		skip := func(reason string) {
			out.Skipped = append(out.Skipped, SkippedFix{Finding: f, Reason: reason})
		}
		src, ok := res.Sources[f.File]
		if !ok {
			skip(SkipNoSource)
			continue
		}
		edits := slices.Clone(f.Fixes[0].Edits)
		if len(edits) == 0 {
			skip(SkipNoEdits)
			continue
		}
		if !inRange(edits, len(src)) {
			skip(SkipOutOfRange)
			continue
		}
		sortEdits(edits)
		edits = slices.CompactFunc(edits, sameEdit)
		if overlapsEachOther(edits) {
			skip(SkipSelfOverlap)
			continue
		}
		p := byFile[f.File]
		if p == nil {
			p = &pending{}
			byFile[f.File] = p
		}
		fresh, ok := merge(p.accepted, edits)
		if !ok {
			skip(SkipOverlap)
			continue
		}
		p.accepted = fresh
		p.applied = append(p.applied, f)
	}
	for path, p := range byFile {
		if len(p.applied) == 0 {
			continue
		}
		old := res.Sources[path]
		out.Files = append(out.Files, FixedFile{Path: path, Old: old, New: applyEdits(old, p.accepted), Applied: p.applied})
	}
	slices.SortFunc(out.Files, func(a, b FixedFile) int { return cmp.Compare(a.Path, b.Path) })
	return out
}

func inRange(edits []Edit, size int) bool {
	for _, e := range edits {
		if e.Start < 0 || e.Start > e.End || e.End > size {
			return false
		}
	}
	return true
}

func sortEdits(edits []Edit) {
	slices.SortStableFunc(edits, func(a, b Edit) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End), bytes.Compare(a.New, b.New))
	})
}

// sameEdit reports equal edits. Two rules may propose the very same edit;
// making it once gives what both asked for, so that is no conflict.
func sameEdit(a, b Edit) bool {
	return a.Start == b.Start && a.End == b.End && bytes.Equal(a.New, b.New)
}

// conflict reports whether a and b, with a.Start <= b.Start, cannot both
// be applied. Edits that start at the same offset conflict even when one
// is an insertion, since nothing says which text comes first; edits that
// merely touch ([x, y) and [y, z)) do not.
func conflict(a, b Edit) bool {
	return a.Start == b.Start || b.Start < a.End
}

func overlapsEachOther(sorted []Edit) bool {
	for i := 1; i < len(sorted); i++ {
		if conflict(sorted[i-1], sorted[i]) {
			return true
		}
	}
	return false
}

// merge adds sorted, non-overlapping edits to accepted, or reports false
// and leaves accepted alone when any of them conflicts. Because accepted
// edits never overlap, their ends are sorted too, so only the neighbours
// of an edit's place can conflict with it.
func merge(accepted, edits []Edit) ([]Edit, bool) {
	place := func(e Edit) int {
		return sort.Search(len(accepted), func(i int) bool { return accepted[i].Start >= e.Start })
	}
	var add []Edit
	for _, e := range edits {
		i := place(e)
		if i < len(accepted) && sameEdit(accepted[i], e) {
			continue
		}
		if i > 0 && conflict(accepted[i-1], e) || i < len(accepted) && conflict(e, accepted[i]) {
			return accepted, false
		}
		add = append(add, e)
	}
	for _, e := range add {
		accepted = slices.Insert(accepted, place(e), e)
	}
	return accepted, true
}

// applyEdits returns src with the sorted, non-overlapping edits made.
// Every offset refers to src, so the result is built front to back in one
// pass; bytes outside the edits are copied unchanged.
func applyEdits(src []byte, edits []Edit) []byte {
	size := len(src)
	for _, e := range edits {
		size += len(e.New) - (e.End - e.Start)
	}
	out := make([]byte, 0, max(size, 0))
	last := 0
	for _, e := range edits {
		out = append(out, src[last:e.Start]...)
		out = append(out, e.New...)
		last = e.End
	}
	return append(out, src[last:]...)
}

// WriteFixSummary lists the skipped fixes, one per line as
// path:line:col: rule name: reason, then the line
// "fixed N findings in M files; K skipped".
func WriteFixSummary(w io.Writer, fr *FixResult, dryRun bool) error {
	var buf bytes.Buffer
	for _, s := range fr.Skipped {
		f := s.Finding
		rule := f.Rule
		if f.Name != "" {
			rule += " " + f.Name
		}
		fmt.Fprintf(&buf, "%s:%d:%d: %s: %s\n", f.File, f.Line, f.Column, rule, s.Reason)
	}
	fixed := fr.Fixed()
	fmt.Fprintf(&buf, "fixed %d %s in %d %s; %d skipped", fixed, noun(fixed, "finding"), len(fr.Files), noun(len(fr.Files), "file"), len(fr.Skipped))
	if dryRun {
		buf.WriteString(" (dry run: no file changed)")
	}
	buf.WriteByte('\n')
	_, err := w.Write(buf.Bytes())
	return err
}

func noun(n int, singular string) string {
	if n == 1 {
		return singular
	}
	return singular + "s"
}

// WriteFixed writes each fixed file in place, keeping its permissions.
// It first checks that no file changed since it was linted, so it never
// overwrites someone's newer edits with fixes computed for older text.
func WriteFixed(fr *FixResult) error {
	for _, f := range fr.Files {
		cur, err := repofs.ReadFile(f.Path)
		if err != nil {
			return fmt.Errorf("cannot fix %s: %w", f.Path, unwrapPathError(err))
		}
		if !bytes.Equal(cur, f.Old) {
			return fmt.Errorf("cannot fix %s: it changed since it was linted; run zislint again", f.Path)
		}
	}
	var errs []error
	for _, f := range fr.Files {
		if bytes.Equal(f.Old, f.New) {
			continue
		}
		if err := replaceFile(f.Path, f.New); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// replaceFile writes data to a temporary file next to path and renames
// it over path, so a failed write (a full disk, say) never leaves a
// truncated bundle behind. A symlink inside the repository is followed,
// so the link stays a link; one leading outside is refused.
func replaceFile(path string, data []byte) error {
	if err := repofs.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("cannot fix %s: %w; the file is unchanged", path, unwrapPathError(err))
	}
	return nil
}
