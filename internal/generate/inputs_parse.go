package generate

import (
	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/generate/checklist"
	"github.com/relsop/relsop/internal/generate/ics"
	"github.com/relsop/relsop/internal/generate/raci"
)

type parsedCalendar struct {
	file string
	cal  *ics.Calendar
}

type parsedChecklist struct {
	file string
	list *checklist.Checklist
}

type parsedMatrix struct {
	file   string
	matrix *raci.Matrix
}

// parseAll reads every input file. It returns what it read and the
// error-level findings of all of them; warnings become notes.
func (in *inputs) parseAll(req Request) ([]parsedCalendar, []parsedChecklist, []parsedMatrix, []relsop.Finding) {
	var (
		cals []parsedCalendar
		cls  []parsedChecklist
		mats []parsedMatrix
		errs []relsop.Finding
	)
	for i, f := range req.Calendars {
		name := inputName(f, "calendar", i)
		cal, fs := ics.Parse(name, f.Data)
		errs = append(errs, in.takeFindings(name, fs)...)
		if cal != nil {
			cals = append(cals, parsedCalendar{name, cal})
		}
	}
	for i, f := range req.Checklists {
		name := inputName(f, "checklist", i)
		cl, fs := checklist.Parse(name, f.Data)
		errs = append(errs, in.takeFindings(name, fs)...)
		if cl != nil {
			cls = append(cls, parsedChecklist{name, cl})
		}
	}
	for i, f := range req.RACI {
		name := inputName(f, "RACI matrix", i)
		m, fs := raci.Parse(name, f.Data)
		errs = append(errs, in.takeFindings(name, fs)...)
		if m != nil {
			mats = append(mats, parsedMatrix{name, m})
		}
	}
	return cals, cls, mats, errs
}
