package generate

import (
	"fmt"
	"path"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/relsop/relsop"
)

// Limits on the structured inputs, so that a mistaken or hostile file fails
// fast with a clear error instead of producing an SOP nobody can read.
const (
	MaxInputFile  = 1 << 20 // bytes read from one RACI matrix, calendar or checklist
	MaxInputFiles = 32      // structured input files in one request

	maxAddedSteps    = 40  // steps the inputs may add to the plan, in all
	maxActivities    = 200 // activities read from one RACI matrix
	maxSections      = 100 // sections read from one checklist
	maxTestItems     = 500 // checklist items described on test steps, in all
	maxCriteria      = 50  // criteria of one gate
	maxItemsPerStep  = 100 // checklist items described on one step
	maxNameRunes     = 100 // step and role names taken from the inputs
	maxItemRunes     = 300 // checklist items, as criteria
	maxNotesPerFile  = 10  // parser warnings passed on per file
	maxListedDates   = 6   // next release dates listed
	maxListedWindows = 3   // next freeze or maintenance windows listed per event
)

// Finding codes of the inputs themselves (the parsers have their own).
const (
	CodeInputTooLarge = "input-too-large"
	CodeInputTooMany  = "input-too-many"
)

// InputError is a structured input (RACI matrix, calendar or checklist)
// that cannot be used: every error-level finding of every input, each with
// the file and position, so that all of them can be fixed in one go.
type InputError struct {
	Findings []relsop.Finding
}

func (e *InputError) Error() string {
	var b strings.Builder
	if len(e.Findings) == 1 {
		b.WriteString("an input file cannot be used: ")
	} else {
		fmt.Fprintf(&b, "%d problems in the input files:", len(e.Findings))
	}
	for i, f := range e.Findings {
		if len(e.Findings) > 1 || i > 0 {
			b.WriteString("\n  ")
		}
		b.WriteString(FormatFinding(f))
	}
	return b.String()
}

// FormatFinding writes a finding about an input file as
// "file:line:col: message (hint)"; a finding about the whole file has no
// line and column.
func FormatFinding(f relsop.Finding) string {
	s := f.File
	if f.Pos.IsValid() {
		col := f.Pos.Col
		if col < 1 {
			col = 1
		}
		s += fmt.Sprintf(":%d:%d", f.Pos.Line, col)
	}
	s += ": " + f.Message
	if f.Hint != "" {
		s += " (" + f.Hint + ")"
	}
	return s
}

// inputs is the state of folding the structured inputs into one plan.
type inputs struct {
	p         *plan
	added     int // steps added so far
	testItems int // checklist items described on test steps so far

	roleByName map[string]string // normalised RACI role name -> role id
	slotUsed   map[string]bool   // role slots claimed by a RACI role name
	raciGates  map[string]bool   // gates whose approvers a RACI matrix set
}

// applyInputs folds the structured inputs (RACI matrices, calendars,
// checklists) into the planned SOP, after the main line is linked and
// before duties are separated. Calendars go first (they may add the freeze
// step), then checklists (criteria and test steps), then RACI matrices, so
// that the matrix can give owners to every step, including those the other
// inputs added. An input with error-level findings makes the whole request
// fail with an *InputError; warnings become notes.
func (p *plan) applyInputs(req Request) error {
	if err := checkInputSizes(req); err != nil {
		return err
	}
	in := &inputs{p: p, roleByName: map[string]string{}, slotUsed: map[string]bool{}, raciGates: map[string]bool{}}
	cals, cls, mats, errs := in.parseAll(req)
	if len(errs) > 0 {
		return &InputError{Findings: errs}
	}
	for _, c := range cals {
		in.applyCalendar(c.file, c.cal)
	}
	for _, c := range cls {
		in.applyChecklist(c.file, c.list)
	}
	for _, m := range mats {
		in.applyRACI(m.file, m.matrix)
	}
	in.checkDuties()
	return nil
}

// checkInputSizes bounds the number and size of the input files.
func checkInputSizes(req Request) error {
	var errs []relsop.Finding
	n := len(req.RACI) + len(req.Calendars) + len(req.Checklists)
	if n > MaxInputFiles {
		errs = append(errs, relsop.Finding{File: "(inputs)", Severity: relsop.SeverityError, Code: CodeInputTooMany,
			Message: fmt.Sprintf("%d input files given; at most %d are read", n, MaxInputFiles), Hint: "merge the matrices, calendars or checklists into fewer files"})
	}
	for kind, files := range map[string][]File{"RACI matrix": req.RACI, "calendar": req.Calendars, "checklist": req.Checklists} {
		for i, f := range files {
			if len(f.Data) > MaxInputFile {
				errs = append(errs, relsop.Finding{File: inputName(f, kind, i), Severity: relsop.SeverityError, Code: CodeInputTooLarge,
					Message: fmt.Sprintf("the %s is %d bytes; at most %d (1 MiB) are read", kind, len(f.Data), MaxInputFile),
					Hint:    "split it, or leave out what the release procedure does not need"})
			}
		}
	}
	if len(errs) == 0 {
		return nil
	}
	slices.SortFunc(errs, func(a, b relsop.Finding) int { return strings.Compare(a.File, b.File) })
	return &InputError{Findings: errs}
}

// inputName names a file in messages, even when the caller gave no name.
func inputName(f File, kind string, i int) string {
	if strings.TrimSpace(f.Name) != "" {
		return inCleanLine(f.Name, 200)
	}
	return fmt.Sprintf("(%s %d)", kind, i+1)
}

// takeFindings splits a parser's findings into errors, returned, and
// warnings, which become notes.
func (in *inputs) takeFindings(file string, fs []relsop.Finding) []relsop.Finding {
	var errs []relsop.Finding
	warned := 0
	for _, f := range fs {
		f.File = file
		if f.Severity == relsop.SeverityError {
			errs = append(errs, f)
			continue
		}
		if f.Severity != relsop.SeverityWarning {
			continue
		}
		warned++
		if warned <= maxNotesPerFile {
			in.p.notes = append(in.p.notes, "warning: "+FormatFinding(f))
		}
	}
	if warned > maxNotesPerFile {
		in.p.notes = append(in.p.notes, fmt.Sprintf("%s: %d more warnings not shown", file, warned-maxNotesPerFile))
	}
	return errs
}

// plural writes "1 window" or "3 windows".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// addWhy records a reason for a change to an element, after any reason it
// already has.
func (in *inputs) addWhy(element, why string) {
	if old := in.p.why[element]; old != "" && !strings.Contains(old, why) {
		in.p.why[element] = old + "; " + why
		return
	}
	in.p.why[element] = why
}

// note adds a message for the user.
func (in *inputs) note(format string, args ...any) {
	in.p.notes = append(in.p.notes, fmt.Sprintf(format, args...))
}

// addSource records an input as a data source of the SOP.
func (in *inputs) addSource(kind, title, file, notes string) {
	in.p.sop.Sources = append(in.p.sop.Sources, relsop.DataSource{Kind: kind, Title: inCleanLine(title, 200), Link: inCleanLine(file, 200), Notes: notes})
}

// appendText adds a paragraph to a description or notes text.
func inAppendText(text, para string) string {
	if strings.TrimSpace(text) == "" {
		return para
	}
	return strings.TrimRight(text, "\n ") + "\n\n" + para
}

// cleanLine makes text from an input safe for a one-line field: control
// characters and line breaks become spaces, runs of white space one space,
// invalid UTF-8 the replacement character, and at most max runes are kept.
func inCleanLine(s string, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == '\uFEFF' {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		s = strings.TrimSpace(string(r[:max-1])) + "…"
	}
	return s
}

// stem is a file name without directory and extension, for matching words.
func inStem(file string) string {
	base := path.Base(strings.ReplaceAll(file, "\\", "/"))
	return strings.TrimSuffix(base, path.Ext(base))
}

// slugID makes an id from a name: lower-case ASCII words joined by hyphens.
func inSlug(name string, max int) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			if b.Len() >= max {
				break
			}
			continue
		}
		dash = true
	}
	return strings.Trim(b.String(), "-")
}

// uniqueStepID returns base, or base-2, base-3, ... whichever no step has.
func (in *inputs) uniqueStepID(base string) string {
	if base == "" {
		base = "input-step"
	}
	id, n := base, 2
	for in.p.sop.Step(id) != nil {
		id = fmt.Sprintf("%s-%d", base, n)
		n++
	}
	return id
}

// inPhaseRank is the place of a phase in release order; unknown phases go
// after the known ones.
func inPhaseRank(id string) int {
	if i := slices.Index(phaseOrder, id); i >= 0 {
		return i
	}
	return len(phaseOrder)
}

// existingPhase returns ph when the SOP has it, or the nearest phase in
// release order that it has.
func (in *inputs) existingPhase(ph string) string {
	if in.p.sop.Phase(ph) != nil {
		return ph
	}
	r := inPhaseRank(ph)
	for d := 1; d < len(phaseOrder); d++ {
		for _, c := range []int{r - d, r + d} {
			if c >= 0 && c < len(phaseOrder) && in.p.sop.Phase(phaseOrder[c]) != nil {
				return phaseOrder[c]
			}
		}
	}
	if len(in.p.sop.Phases) > 0 {
		return in.p.sop.Phases[0].ID
	}
	return ""
}

// mainIndex is the place of step id on the main line, or -1.
func (in *inputs) mainIndex(id string) int { return slices.Index(in.p.main, id) }

// placeInPhase is where a new step of phase ph goes on the main line: the
// index of the step it follows. Steps of the approve and deploy phases go
// at the start of their phase (before its gates and deploys), others at
// its end. It never places a step after the end or before the start.
func (in *inputs) placeInPhase(ph string) int {
	main := in.p.main
	last := len(main) - 2 // the step before the last one (the end)
	if last < 0 {
		return -1
	}
	rank := inPhaseRank(ph)
	atStart := ph == "approve" || ph == "deploy"
	at := 0
	for i := 0; i <= last; i++ {
		st := in.p.sop.Step(main[i])
		if st == nil {
			continue
		}
		r := inPhaseRank(st.Phase)
		if st.Kind == relsop.KindStart || r < rank || !atStart && r == rank {
			at = i
		}
	}
	return at
}

// insertMain adds st to the SOP and splices it into the main line after
// main[i]: the step there leads to st (through its next flow, or a gate's
// go outcome) and st leads on to where that step led. It reports false,
// and adds nothing, when main[i] does not lead straight to main[i+1].
func (in *inputs) insertMain(i int, st relsop.Step) (string, bool) {
	p := in.p
	ref := in.link(i)
	if ref < 0 {
		return "", false
	}
	prev, next := p.sop.Step(p.main[i]), p.main[i+1]
	st.ID = in.uniqueStepID(st.ID)
	st.Next = []string{next}
	if prev.Kind == relsop.KindGate {
		prev.Outcomes[ref].To = st.ID
	} else {
		prev.Next[ref] = st.ID
	}
	p.sop.Steps = append(p.sop.Steps, st)
	p.main = slices.Insert(p.main, i+1, st.ID)
	in.added++
	return st.ID, true
}

// canInsert reports whether insertMain(i, ...) would succeed.
func (in *inputs) canInsert(i int) bool { return in.link(i) >= 0 }

// link finds how main[i] leads to main[i+1]: the index of the next flow,
// or of the gate's outcome, or -1 when it does not lead there directly.
func (in *inputs) link(i int) int {
	p := in.p
	if i < 0 || i+1 >= len(p.main) {
		return -1
	}
	prev, next := p.sop.Step(p.main[i]), p.main[i+1]
	if prev == nil || prev.Kind == relsop.KindEnd {
		return -1
	}
	if prev.Kind == relsop.KindGate {
		for k, o := range prev.Outcomes {
			if o.To == next && relsop.MeaningOf(o.Label) != relsop.OutcomeNoGo {
				return k
			}
		}
		return -1
	}
	return slices.Index(prev.Next, next)
}

// mainSteps returns the main-line steps, in order.
func (in *inputs) mainSteps() []*relsop.Step {
	var out []*relsop.Step
	for _, id := range in.p.main {
		if st := in.p.sop.Step(id); st != nil {
			out = append(out, st)
		}
	}
	return out
}
