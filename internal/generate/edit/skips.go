package edit

import (
	"fmt"
	"github.com/relsop/relsop"
	"slices"
	"strings"
)

// This file reads instructions that change which base-flow steps an
// existing release type skips: "skip confirm scope in minor releases",
// "the minor release should skip confirm scope", "restore agree readiness
// in minor releases". "make a minor variant that skips ..." (variant.go)
// also makes the release type when it is not there.

// releaseTypeWords end a reference to a release type: "minor releases",
// "the hotfix release type", "the emergency variant".
var releaseTypeWords = lazyRE(`(?i)^(?:the\s+|all\s+|our\s+)?(.+?)\s+(?:releases?(?:\s+types?)?|release-types?|variants?)$`)

// releaseType resolves "minor releases" or "the hotfix release type" to a
// release type; ok is false when ref names no release type at all.
func (d *doc) releaseType(in instruction, ref string) (c candidate, ok bool, err error) {
	m := releaseTypeWords.FindStringSubmatch(strings.TrimSpace(ref))
	if m == nil {
		// "minor changes" for the release type "Minor change": its id or
		// its whole name, singular or plural.
		if rt := d.releaseTypeNamed(ref); rt != nil {
			return candidate{id: rt.ID, name: rt.Name}, true, nil
		}
		return candidate{}, false, nil
	}
	var cands []candidate
	for _, rt := range d.sop.ReleaseTypes {
		cands = append(cands, candidate{id: rt.ID, name: rt.Name})
	}
	c, err = resolve("release type", in.phrase(m[1]), cands)
	return c, true, err
}

// skipInOp reads "skip confirm scope in minor releases".
func (d *doc) skipInOp(in instruction, m []string) (bool, error) {
	return d.changeSkips(in, m[2], m[1], true)
}

// typeSkipsOp reads "the minor release should skip confirm scope" and
// "minor releases no longer skip agree readiness".
func (d *doc) typeSkipsOp(in instruction, m []string) (bool, error) {
	return d.changeSkips(in, m[1], m[3], !strings.Contains(strings.ToLower(m[2]), "no longer"))
}

// restoreInOp reads "restore agree readiness in minor releases".
func (d *doc) restoreInOp(in instruction, m []string) (bool, error) {
	return d.changeSkips(in, m[2], m[1], false)
}

// changeSkips makes the release type typeRef skip the step stepRef, or no
// longer skip it.
func (d *doc) changeSkips(in instruction, typeRef, stepRef string, skip bool) (bool, error) {
	rt, ok, err := d.releaseType(in, typeRef)
	if !ok {
		return false, nil
	}
	if err != nil {
		return true, err
	}
	st, err := d.skipStep(in.phrase(stepRef))
	if err != nil {
		return true, err
	}
	remove := slices.Clone(d.sop.ReleaseType(rt.id).Remove)
	switch has := slices.Contains(remove, st.ID); {
	case skip && has:
		d.say("release type %q already skips step %q; nothing changed", rt.id, st.ID)
		return true, nil
	case !skip && !has:
		return true, fmt.Errorf("release type %q does not skip step %q (it skips: %s)", rt.id, st.ID, strings.Join(remove, ", "))
	case skip:
		remove = append(remove, st.ID)
	default:
		remove = slices.DeleteFunc(remove, func(id string) bool { return id == st.ID })
	}
	if err := d.setField("release_type", rt.id, "remove", remove); err != nil {
		return true, err
	}
	verb := "skips"
	if !skip {
		verb = "no longer skips"
	}
	d.say("release type %q %s step %q (%s)", rt.id, verb, st.ID, st.Name)
	return true, nil
}

// releaseTypeNamed is the release type whose id or whole name ref is,
// with or without a plural s and a leading article; nil if none.
func (d *doc) releaseTypeNamed(ref string) *relsop.ReleaseType {
	key := compact(article.ReplaceAllString(strings.TrimSpace(ref), ""))
	for i := range d.sop.ReleaseTypes {
		rt := &d.sop.ReleaseTypes[i]
		for _, n := range []string{compact(rt.ID), compact(rt.Name)} {
			if n != "" && (key == n || key == n+"s" || key == n+"es") {
				return rt
			}
		}
	}
	return nil
}
