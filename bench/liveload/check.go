// Checking what was received: whether the drain is complete, the tally of
// latencies, losses and errors, and the verdict against the goal.

package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// complete says whether every batch sent is answered (acknowledged or
// refused) and every acknowledged one delivered to all other editors on
// its document.
func (r *runState) complete() bool {
	for _, e := range r.editors {
		want := r.peers[e.doc] &^ (1 << e.peer)
		for i := range e.nsent.Load() {
			b := &e.batches[i]
			if b.rejected.Load() != nil {
				continue
			}
			if b.ackAt.Load() == 0 || b.seenBy.Load()&want != want {
				return false
			}
		}
	}
	return true
}

func (r *runState) tally(res *results, tStart, tEnd, measured time.Duration) {
	p := &res.Problems
	p.Messages = map[string]int{}
	var lat, ack []int64
	var acked, sent int
	missed := map[int][]int64{} // receiver → the numbers of the batches it never got
	docLast := make([]int64, len(r.docs))
	for _, e := range r.editors {
		lat = append(lat, e.lat...)
		p.Gaps += e.gaps
		p.OutOfOrder += e.disorder
		p.Duplicates += e.dups
		p.Unknown += e.unknown
		res.Revisions.Messages += e.revs
		p.Reconnects += e.reconnects
		p.Resent += e.resent
		p.Snapshots += e.snapshots
		for k, v := range e.errs {
			if strings.HasPrefix(k, "disconnect: ") {
				p.Disconnects += v
			}
			p.Messages[k] += v
		}
		want := r.peers[e.doc] &^ (1 << e.peer)
		for i := range e.nsent.Load() {
			b := &e.batches[i]
			res.Throughput.Deliveries += int64(bitsSet(b.seenBy.Load()))
			timed := b.sentAt >= tStart && b.sentAt < tEnd
			if timed {
				sent++
			}
			if b.rejected.Load() != nil {
				p.Rejected++
				continue
			}
			at := b.ackAt.Load()
			if at == 0 {
				p.Unacked++
				if !b.written.Load() {
					p.NeverWritten++
				}
				continue
			}
			if at >= int64(tStart) && at < int64(tEnd) {
				acked++
			}
			if timed {
				ack = append(ack, at-int64(b.sentAt))
			}
			if missing := want &^ b.seenBy.Load(); missing != 0 {
				p.Lost++
				p.LostDeliveries += bitsSet(missing)
				for peer := range 64 {
					if missing&(1<<peer) != 0 {
						rcv := peer*len(r.docs) + e.doc
						missed[rcv] = append(missed[rcv], b.seq.Load())
					}
				}
			}
			if q := b.seq.Load(); q > docLast[e.doc] {
				docLast[e.doc] = q
			}
		}
	}
	for _, i := range slices.Sorted(maps.Keys(missed)) {
		e, seqs := r.editors[i], missed[i]
		slices.Sort(seqs)
		p.LostDetail = append(p.LostDetail, fmt.Sprintf("editor %d (doc %d): missed %d batches, seq %d..%d; it saw up to seq %d, the doc is at %d",
			i, r.docs[e.doc], len(seqs), seqs[0], seqs[len(seqs)-1], e.lastSeq.Load(), docLast[e.doc]))
	}
	p.SendErrors = r.sendErrs.Load()
	p.Overflow = r.overflow.Load()
	res.Delivery, res.Ack = summarise(lat), summarise(ack)
	res.Revisions.PerDoc = float64(res.Revisions.Messages) / float64(len(r.editors)) // each doc's revisions reach all its editors
	if s := measured.Seconds(); s > 0 {
		res.Throughput.Sent = sent
		res.Throughput.SentPerS = float64(sent) / s
		res.Throughput.AckedPerS = float64(acked) / s
		res.Throughput.DeliveriesPS = float64(len(lat)) / s
	}
}

func bitsSet(x uint64) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}

// judge sets the verdict against the goal.
func (res *results) judge(cfg config) {
	var why []string
	p := res.Problems
	if p.Lost > 0 {
		why = append(why, fmt.Sprintf("%d batches lost", p.Lost))
	}
	if p.Unacked > 0 {
		why = append(why, fmt.Sprintf("%d never acknowledged", p.Unacked))
	}
	if p.Rejected > 0 {
		why = append(why, fmt.Sprintf("%d rejected", p.Rejected))
	}
	if p.Gaps > 0 || p.OutOfOrder > 0 {
		why = append(why, fmt.Sprintf("%d gaps, %d out of order", p.Gaps, p.OutOfOrder))
	}
	if p.Disconnects > 0 || p.SendErrors > 0 || p.Overflow > 0 {
		why = append(why, fmt.Sprintf("%d disconnects, %d send errors", p.Disconnects, p.SendErrors))
	}
	if res.Delivery.Samples == 0 {
		why = append(why, "no deliveries measured")
	} else if d := time.Duration(res.Delivery.P99 * float64(time.Millisecond)); d >= goalP99 {
		why = append(why, fmt.Sprintf("delivery p99 %.1f ms ≥ %s", res.Delivery.P99, goalP99))
	}
	if res.Throughput.AckedPerS < 0.95*res.Throughput.OfferedPerS {
		why = append(why, fmt.Sprintf("acknowledged %.1f/s of %.0f/s offered", res.Throughput.AckedPerS, res.Throughput.OfferedPerS))
	}
	atGoal := cfg.editors >= goalEditors && cfg.docs <= goalDocs && cfg.rate >= goalRate
	res.Pass = len(why) == 0
	goal := fmt.Sprintf("goal: %d editors on %d docs at %g batches/s each, p99 < %s, 0 lost", goalEditors, goalDocs, goalRate, goalP99)
	switch {
	case !res.Pass:
		res.Verdict = "FAIL (" + goal + "): " + strings.Join(why, "; ")
	case atGoal:
		res.Verdict = "PASS (" + goal + ")"
	default:
		res.Verdict = "PASS at this load, which is below the goal (" + goal + ")"
	}
}
