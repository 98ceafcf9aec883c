package generate

// applyInputs folds the structured inputs (RACI matrices, calendars,
// checklists) into the planned SOP, after the main line is linked and
// before duties are separated.
func (p *plan) applyInputs(req Request) error { return nil }
