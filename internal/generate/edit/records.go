package edit

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// This file reads instructions about what the SOP records beside its flow:
// when it was reviewed and how often it must be, the runbooks and
// dashboards a step links to, and a step's documented exception to
// release practice.

// today is the date "reviewed today" writes; tests set it.
var today = func() time.Time { return time.Now() }

// reviewedOp reads "mark the SOP as reviewed today" and "mark the
// procedure as reviewed on 2026-11-02".
func (d *doc) reviewedOp(in instruction, m []string) (bool, error) {
	date := today().Format(time.DateOnly)
	if m[1] != "" && !strings.EqualFold(m[1], "today") {
		t, err := time.Parse(time.DateOnly, m[1])
		if err != nil {
			return true, fmt.Errorf("%q is not a date; write it as YYYY-MM-DD", m[1])
		}
		date = t.Format(time.DateOnly)
	}
	if err := d.setField("sop", "", "review.last_reviewed", date); err != nil {
		return true, err
	}
	d.say("the SOP was last reviewed on %s", date)
	return true, nil
}

// cadences are the review cadences people name in words.
var cadences = map[string]string{"weekly": "weekly", "monthly": "monthly", "quarterly": "quarterly", "annually": "annually", "yearly": "annually"}

// cadenceOp reads "review the SOP quarterly" and "set the review cadence
// to every 90 days".
func (d *doc) cadenceOp(in instruction, m []string) (bool, error) {
	word := strings.ToLower(strings.TrimSpace(m[1]))
	cadence, ok := cadences[word]
	if !ok {
		every := strings.TrimPrefix(word, "every ")
		if cadence, ok = monthsCadence(every); !ok {
			if cadence, ok = parseDuration(every); !ok {
				return true, fmt.Errorf("%q is not a review cadence: say weekly, monthly, quarterly, annually, every 6 months or every 90 days", m[1])
			}
		}
	}
	if err := d.setField("sop", "", "review.cadence", cadence); err != nil {
		return true, err
	}
	d.say("the SOP is to be reviewed %s", cadence)
	return true, nil
}

// reMonths is a cadence in months or years: "6 months", "a year", "2 years".
var reMonths = lazyRE(`(?i)^(\d+|an?|one|two|three|six|twelve)\s+(months?|years?)$`)

// monthsCadence writes "6 months" as the format does: a named cadence
// where there is one (monthly, quarterly, semiannually, annually), else
// the days at 30 a month.
func monthsCadence(s string) (string, bool) {
	m := reMonths.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return "", false
	}
	n, ok := map[string]int{"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "six": 6, "twelve": 12}[strings.ToLower(m[1])]
	if !ok {
		n, _ = strconv.Atoi(m[1])
	}
	if strings.HasPrefix(strings.ToLower(m[2]), "year") {
		n *= 12
	}
	switch n {
	case 0:
		return "", false
	case 1:
		return "monthly", true
	case 3:
		return "quarterly", true
	case 6:
		return "semiannually", true
	case 12:
		return "annually", true
	}
	return strconv.Itoa(n*30) + "d", true
}

// linkOp reads "add the runbook https://runbooks.example.com/rollback to
// roll back production" and "add a link 'Release dashboard'
// https://grafana.example.com/d/release to monitor release".
func (d *doc) linkOp(in instruction, m []string) (bool, error) {
	st, err := d.step(in.phrase(m[3]))
	if err != nil {
		return true, err
	}
	url := m[2]
	var title string
	if q := placeholder.FindString(m[1]); q != "" {
		title = in.phrase(q).text // "a link 'Release dashboard'": the quoted name
	} else {
		// "a runbook link", "the dashboard": the kind of document is the title.
		w := slices.DeleteFunc(words(m[1]), func(w string) bool { return w == "a" || w == "an" || w == "the" || w == "link" })
		title = strings.Join(w, " ")
	}
	if title == "" {
		title = url
	} else {
		title = strings.ToUpper(title[:1]) + title[1:]
	}
	links := linkValues(st.Links)
	if slices.ContainsFunc(links, func(l LinkValue) bool { return l.URL == url }) {
		d.say("step %q already links to %s; nothing changed", st.ID, url)
		return true, nil
	}
	links = append(links, LinkValue{Title: title, URL: url})
	if err := d.setField("step", st.ID, "links", links); err != nil {
		return true, err
	}
	d.say("step %q now links to %s (%s)", st.ID, url, title)
	return true, nil
}

// exceptionOp reads "record an exception for deploy to production:
// there is no staging for this service, approved by the CAB".
func (d *doc) exceptionOp(in instruction, m []string) (bool, error) {
	st, err := d.step(in.phrase(m[1]))
	if err != nil {
		return true, err
	}
	reason := in.phrase(m[2]).text
	if reason == "" {
		return true, fmt.Errorf("say why step %q may depart from practice: record an exception for %s: <reason>", st.ID, st.ID)
	}
	reason = strings.ToUpper(reason[:1]) + reason[1:]
	if !strings.HasSuffix(reason, ".") {
		reason += "."
	}
	by := ""
	if m[3] != "" {
		r, err := d.role(in.phrase(m[3]))
		if err != nil {
			return true, err
		}
		by = d.useRole(r)
	}
	// The reason first: an exception needs one before it takes an approver.
	if err := d.setField("step", st.ID, "exception.reason", reason); err != nil {
		return true, err
	}
	if err := d.setField("step", st.ID, "exception.approved_by", by); err != nil {
		return true, err
	}
	if by != "" {
		d.say("step %q records an exception to practice, approved by %s", st.ID, by)
	} else {
		d.say("step %q records an exception to practice", st.ID)
	}
	return true, nil
}
