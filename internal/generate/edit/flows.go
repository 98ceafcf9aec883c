package edit

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/format"
	"github.com/relsop/relsop/internal/lint"
	"github.com/relsop/relsop/internal/syntax"
)

// An edit must leave every flow of the SOP working: the base flow and the
// resolved flow of every release type. After the edits of an instruction
// are made, the SOP is linted the way relsop lint does it (lint.Run checks
// the base flow and each release type's variant), and an edit that brings
// in an error-level finding is refused. Findings the file had before the
// edit do not count, so a draft with problems can still be edited (and
// fixed) step by step.

// lintDay fixes the date lint judges review freshness against, so that the
// check does not depend on the day it runs (that rule only warns anyway).
var lintDay = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// flowErrors returns the error-level lint findings of the base flow and of
// every release type's resolved variant, by key.
func flowErrors(s *relsop.SOP) map[string]relsop.Finding {
	out := map[string]relsop.Finding{}
	for _, f := range lint.Run(s, lint.Config{Today: lintDay}) {
		if f.Severity == relsop.SeverityError {
			out[findingKey(f)] = f
		}
	}
	return out
}

var variantOf = lazyRE(`^in release type "([^"]*)": `)

// releaseTypeOf is the release type a finding is about, or "" for the base
// flow.
func releaseTypeOf(f relsop.Finding) string {
	if m := variantOf.FindStringSubmatch(f.Message); m != nil {
		return m[1]
	}
	return ""
}

// findingKey identifies a finding across an edit: by rule, element and
// release type, not by position or wording, which an edit may shift (a
// renamed step keeps its id).
func findingKey(f relsop.Finding) string {
	k := f.Code + "|" + f.Element + "|" + releaseTypeOf(f)
	if f.Element == "" {
		k += "|" + variantOf.ReplaceAllString(f.Message, "")
	}
	return k
}

// checkFlows compares the flows before and after an edit and refuses the
// edit when it broke one. A gate the edit added is let off the criteria
// rule: the edit says in its summary that the criteria are to be written
// next, and there is nothing sensible to make them up from.
func checkFlows(file, instruction string, before, after *relsop.SOP, unfinished []string) error {
	var problems []string
	var where []string
	note := func(flow, msg string) {
		problems = append(problems, msg)
		if !slices.Contains(where, flow) {
			where = append(where, flow)
		}
	}
	for _, rt := range after.ReleaseTypes {
		if _, err := after.Resolve(rt.ID); err != nil {
			note(fmt.Sprintf("release type %q", rt.ID), fmt.Sprintf("release type %q no longer resolves: %v", rt.ID, err))
		}
	}
	old := flowErrors(before)
	now := flowErrors(after)
	keys := make([]string, 0, len(now))
	for k := range now {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		f := now[k]
		if _, had := old[k]; had {
			continue
		}
		if f.Code == "gate-criteria" && slices.Contains(unfinished, f.Element) {
			continue
		}
		flow := "the base flow"
		if rt := releaseTypeOf(f); rt != "" {
			flow = fmt.Sprintf("release type %q", rt)
		}
		msg := fmt.Sprintf("%s: %s", f.Code, f.Message)
		if f.Hint != "" {
			msg += " (" + f.Hint + ")"
		}
		note(flow, msg)
	}
	if len(problems) == 0 {
		return nil
	}
	return &FlowError{File: file, Instruction: instruction, Flows: where, Problems: problems}
}

// FlowError is an edit that was not made because it would break the base
// flow or the flow of a release type: the lint errors it would bring in.
type FlowError struct {
	File, Instruction string
	Flows             []string // "the base flow", `release type "emergency"`
	Problems          []string // rule: message (hint), one per finding
}

func (e *FlowError) Error() string {
	return fmt.Sprintf("%s: the edit %q was not made: it would break %s (relsop lint would report):\n  %s\nsay the edit another way, or change the release type first",
		e.File, e.Instruction, strings.Join(e.Flows, " and "), strings.Join(e.Problems, "\n  "))
}

// fitVariants decides what the release types do with the steps the edit
// added to the base flow.
//
// A step added to the base flow is part of every release type: a release
// type is the base flow with its own changes, so when it skips the step the
// new one was put after (or before), its rerouting around that step runs
// through the new step, and the new step stays. That is what a release
// manager expects from "add a security review after confirm scope": the
// emergency release that skips the scoping still gets the review.
//
// Sometimes a release type cannot run through the new step: it skips the
// whole stretch of flow the step was put into and leads around it with
// flows of its own (the emergency change that goes from the system test
// straight to the emergency CAB), or the new gate's no-go led back to a
// step the release type skips. The new step belongs to that stretch, so
// the release type skips it too, and the summary says so; leaving it in
// would leave a step nobody reaches, or a gate with nowhere to send a
// no-go. Any other problem is left for checkFlows to refuse.
func (d *doc) fitVariants() error {
	if len(d.added) == 0 || len(d.items("release_types")) == 0 {
		return nil
	}
	for range 3 {
		res := compile.Load(format.Format(d.tree))
		if len(res.Errors) > 0 || res.SOP == nil {
			return nil // Apply reports it
		}
		type skip struct{ rt, step, why string }
		var skips []skip
		for _, f := range lint.Run(res.SOP, lint.Config{Today: lintDay}) {
			rt := releaseTypeOf(f)
			if f.Severity != relsop.SeverityError || rt == "" || !slices.Contains(d.added, f.Element) {
				continue
			}
			if slices.ContainsFunc(skips, func(s skip) bool { return s.rt == rt && s.step == f.Element }) {
				continue
			}
			skips = append(skips, skip{rt, f.Element, variantOf.ReplaceAllString(f.Message, "")})
		}
		if len(skips) == 0 {
			return nil
		}
		for _, s := range skips {
			_, rt := d.item("release_types", "id", s.rt)
			if rt == nil {
				continue
			}
			removed := strs(rt.Get("remove"))
			if slices.Contains(removed, s.step) {
				continue
			}
			if v := rt.Get("remove"); v != nil && v.Kind == syntax.Sequence {
				v.Items = append(v.Items, strNode(s.step))
			} else {
				set(rt, "remove", listNode(append(removed, s.step)...))
			}
			d.say("release type %q skips the new step %q too: it leads around the part of the flow the step was put into, and with the step kept, %s", s.rt, s.step, s.why)
		}
	}
	return nil
}
