package compile

import (
	"fmt"
	"maps"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/syntax"
)

// checkVariants resolves every release type and checks the references of
// the resolved flow, so that a variant's added and changed steps are held to
// the same rules as the base flow. defs are the ids of the base flow, and
// baseErrs what checkRefs found in it.
func checkVariants(sop *relsop.SOP, defs definitions, baseErrs []relsop.Finding, h *hinter, reported map[refKey]bool) []relsop.Finding {
	if f := variantsTooLarge(sop); f != nil {
		return []relsop.Finding{*f}
	}
	var errs []relsop.Finding
	steps := &idTable{} // of each resolved flow in turn
	for _, rt := range sop.ReleaseTypes {
		if rt.ID == "" {
			continue
		}
		if isBaseFlow(&rt) {
			continue // checked already
		}
		flow, err := sop.ResolveShared(rt.ID)
		if err != nil {
			if f, ok := resolveFinding(sop, &rt, err, h); ok {
				errs = append(errs, f)
			}
			continue
		}
		for _, e := range checkVariantFlow(flow, defs, steps, len(baseErrs), h, reported) {
			e.Message = fmt.Sprintf("in release type %q: %s", rt.ID, e.Message)
			errs = append(errs, e)
		}
	}
	return dedupeVariantRepeats(errs, baseErrs)
}

// resolveFinding reports the error of resolving release type rt, unless it
// is reported elsewhere.
func resolveFinding(sop *relsop.SOP, rt *relsop.ReleaseType, err error, h *hinter) (relsop.Finding, bool) {
	re, ok := err.(*relsop.ResolveError)
	if !ok || re.Code == CodeUnknownReleaseType {
		return relsop.Finding{}, false // an unknown base, reported by checkRefs where it is written
	}
	pos := re.Pos
	if !pos.IsValid() {
		pos = rt.Pos
	}
	msg := re.Msg
	if re.Code == CodeUnknownStep {
		msg += h.hint(quotedIn(msg), ids(sop))
	}
	return relsop.Finding{Pos: pos, Severity: relsop.SeverityError, Code: re.Code, Message: msg,
		Hint: "check the step and release type ids the release type names"}, true
}

// checkVariantFlow checks the flow of a release type as checkRefs checks
// the base flow, less what dedupeVariantRepeats would drop as the base
// flow's findings over again. The ids of the flow's steps are read into
// steps, which is refilled (see fill); the other ids are those of defs.
// baseErrs is how many errors checkRefs found in the base flow.
//
// Only the step ids and the steps the variant changed (see
// relsop.FlowStep) need checking: roles, phases and environments are the
// base flow's; a step the variant left alone has the base flow's
// findings, and refers to no step the variant removed (removing one
// reroutes the flows into it, which changes the step); and an undefined
// id it names was reported for the base flow, and is not again. That
// holds while neither check stops at MaxErrors, which the flows of files
// with hundreds of errors may reach: those are checked whole.
func checkVariantFlow(flow []relsop.FlowStep, defs definitions, steps *idTable, baseErrs int, h *hinter, reported map[refKey]bool) []relsop.Finding {
	steps.fill("step", len(flow), func(i int) (string, relsop.Pos) { return stepID(flow[i].Step) })
	defs.step, defs.releaseType = steps, noIDs // a resolved flow has no release types
	check := func(whole bool) *refChecker {
		rc := &refChecker{defs: defs, hints: h, earlier: reported, found: map[refKey]bool{}}
		if whole {
			rc.dups(defs.role, defs.phase, defs.environment)
		}
		rc.dups(steps)
		for _, fs := range flow {
			if whole || fs.Changed {
				rc.step(fs.Step)
			}
		}
		return rc
	}
	budget := h.budget
	rc := check(false)
	// The whole check finds at most the base flow's errors besides these.
	if baseErrs+len(rc.errs) > MaxErrors {
		h.budget = budget // the hints are given over again
		rc = check(true)
	}
	maps.Copy(reported, rc.found)
	return rc.errs
}

// variantsTooLarge reports release types too many, or changing too much of
// too large a flow, to resolve in reasonable time. Resolving and checking
// one release type costs at most about as much as visiting every step a
// hundred times, plus once per edit (remove, add, change) of the release
// type and of those it builds on; sharing the steps a variant leaves
// alone (ResolveShared) costs less, but the bound stays where it was, so
// that the same files are refused.
func variantsTooLarge(sop *relsop.SOP) *relsop.Finding {
	rts := sop.ReleaseTypes
	if len(rts) > MaxReleaseTypes {
		return &relsop.Finding{Pos: rts[MaxReleaseTypes].Pos, Severity: relsop.SeverityError, Code: syntax.CodeTooLarge,
			Message: fmt.Sprintf("more than %d release types", MaxReleaseTypes),
			Hint:    "a release type is a kind of release, such as major, minor or emergency; merge similar ones"}
	}
	steps := len(sop.Steps)
	byID := map[string]*relsop.ReleaseType{}
	for i := range rts {
		steps += len(rts[i].Add)
		if _, ok := byID[rts[i].ID]; !ok {
			byID[rts[i].ID] = &rts[i]
		}
	}
	work := 0
	for i := range rts {
		if isBaseFlow(&rts[i]) {
			continue // not resolved: see checkVariants
		}
		edits := 100
		// A chain is at most as long as there are release types; a cycle
		// is reported by Resolve.
		rt := &rts[i]
		for n := 0; rt != nil && n <= len(rts); n++ {
			edits += len(rt.Remove) + len(rt.Add) + len(rt.Change)
			rt = byID[rt.Base]
		}
		work += edits * steps
		if work > maxVariantWork {
			return &relsop.Finding{Pos: rts[0].Pos, Severity: relsop.SeverityError, Code: syntax.CodeTooLarge,
				Message: fmt.Sprintf("the %d release types change too much of the %d steps to be checked", len(rts), steps),
				Hint:    "keep release types to the steps they change, or split the procedure into several SOPs"}
		}
	}
	return nil
}

// isBaseFlow reports whether rt changes nothing, so that its flow is the
// base flow.
func isBaseFlow(rt *relsop.ReleaseType) bool {
	return rt.Base == "" && len(rt.Remove) == 0 && len(rt.Add) == 0 && len(rt.Change) == 0
}

// dedupeVariantRepeats drops errors a variant inherits from the base flow,
// or from the release type it builds on: those are reported once, where
// they first appear. An error with the same code at the same place is the
// same problem even when its message differs, as a did-you-mean does when
// the variant removes the step it would suggest.
func dedupeVariantRepeats(errs, baseErrs []relsop.Finding) []relsop.Finding {
	type key struct {
		pos  relsop.Pos
		code string
	}
	seen := map[key]bool{}
	for _, e := range baseErrs {
		seen[key{e.Pos, e.Code}] = true
	}
	var out []relsop.Finding
	for _, e := range errs {
		if k := (key{e.Pos, e.Code}); !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	return out
}
