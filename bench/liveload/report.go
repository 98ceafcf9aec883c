// The results: latency summaries, the results structure (also the -json
// output), and the printed report.

package main

import (
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"text/tabwriter"
)

type latency struct {
	Samples int     `json:"samples"`
	P50     float64 `json:"p50_ms"`
	P95     float64 `json:"p95_ms"`
	P99     float64 `json:"p99_ms"`
	Max     float64 `json:"max_ms"`
}

func summarise(ns []int64) latency {
	if len(ns) == 0 {
		return latency{}
	}
	slices.Sort(ns)
	q := func(p float64) float64 {
		i := int(math.Ceil(p*float64(len(ns)))) - 1
		return float64(ns[max(0, i)]) / 1e6
	}
	return latency{Samples: len(ns), P50: q(.50), P95: q(.95), P99: q(.99), Max: float64(ns[len(ns)-1]) / 1e6}
}

type results struct {
	Date    string `json:"date"`
	Machine struct {
		CPUs     int    `json:"cpus"`
		CPUModel string `json:"cpu_model"`
		LoadAvg  string `json:"loadavg_start"`
		LoadEnd  string `json:"loadavg_end"`
	} `json:"machine"`
	Server string `json:"server"`
	Store  string `json:"store"`
	Config struct {
		Editors    int     `json:"editors"`
		Docs       int     `json:"docs"`
		Rate       float64 `json:"rate_per_editor"`
		Arrivals   string  `json:"arrivals"`
		DurationS  float64 `json:"duration_s"`
		WarmupS    float64 `json:"warmup_s"`
		Steps      int     `json:"steps"`
		SetupS     float64 `json:"setup_s"`
		ConnectS   float64 `json:"connect_s"`
		MeasuredS  float64 `json:"measured_s"`
		DrainWaitS float64 `json:"drain_waited_s"`
	} `json:"config"`
	Throughput struct {
		OfferedPerS  float64 `json:"offered_per_s"`
		SentPerS     float64 `json:"sent_per_s"`
		AckedPerS    float64 `json:"acked_per_s"`
		Sent         int     `json:"sent_total"`
		Deliveries   int64   `json:"deliveries_total"`
		DeliveriesPS float64 `json:"deliveries_per_s"`
	} `json:"throughput"`
	Delivery latency `json:"delivery_latency"`
	Ack      latency `json:"ack_latency"`
	Problems struct {
		Lost           int            `json:"lost_batches"`
		LostDeliveries int            `json:"lost_deliveries"`
		LostDetail     []string       `json:"lost_detail,omitempty"`
		Unacked        int            `json:"unacked"`
		NeverWritten   int            `json:"unacked_never_written"`
		Rejected       int            `json:"rejected"`
		Gaps           int64          `json:"gaps"`
		OutOfOrder     int64          `json:"out_of_order"`
		Duplicates     int64          `json:"duplicates"`
		Unknown        int64          `json:"unknown_ops"`
		Disconnects    int            `json:"disconnects"`
		Reconnects     int            `json:"reconnects"`
		WaitingReady   int            `json:"reconnected_waiting_for_ready_at_end"`
		Resent         int            `json:"resent"`
		Snapshots      int            `json:"snapshots_after_reconnect"`
		Overflow       int64          `json:"batches_over_capacity"`
		SendErrors     int64          `json:"send_errors"`
		Messages       map[string]int `json:"messages,omitempty"`
		ServerLog      map[string]int `json:"server_log_levels,omitempty"`
	} `json:"problems"`
	Revisions struct {
		Messages int     `json:"messages"`
		PerDoc   float64 `json:"per_doc"`
	} `json:"revisions"`
	Memory struct {
		RSSBefore        int64   `json:"rss_before_bytes"`
		RSSAfter         int64   `json:"rss_after_bytes"`
		RSSEnd           int64   `json:"rss_end_bytes"`
		RSSPerClient     float64 `json:"rss_per_client_bytes"`
		HeapBefore       float64 `json:"heap_inuse_before_bytes"`
		HeapAfter        float64 `json:"heap_inuse_after_bytes"`
		HeapPerClient    float64 `json:"heap_per_client_bytes"`
		GoroutinesBefore float64 `json:"goroutines_before"`
		GoroutinesAfter  float64 `json:"goroutines_after"`
	} `json:"memory"`
	CPU struct {
		ServerS      float64 `json:"server_s"`
		ServerCores  float64 `json:"server_cores"`
		ServerMsPerB float64 `json:"server_ms_per_batch"`
		LoadgenS     float64 `json:"loadgen_s"`
		LoadgenCores float64 `json:"loadgen_cores"`
		SendMaxMs    float64 `json:"loadgen_write_max_ms"`
		LateMaxMs    float64 `json:"loadgen_schedule_late_max_ms"`
	} `json:"cpu"`
	ServerMetrics map[string]float64 `json:"server_metrics,omitempty"`
	Pass          bool               `json:"pass"`
	Verdict       string             `json:"verdict"`
}

func mb(b float64) string { return fmt.Sprintf("%.1f MiB", b/(1<<20)) }
func kb(b float64) string { return fmt.Sprintf("%.1f KiB", b/(1<<10)) }

func (res *results) print(w io.Writer) {
	c := res.Config
	fmt.Fprintf(w, "liveload %s: %d editors on %d docs (saas-weekly), %g batches/s each (%s), %gs warm-up + %gs measured\n",
		res.Date, c.Editors, c.Docs, c.Rate, c.Arrivals, c.WarmupS, c.DurationS)
	fmt.Fprintf(w, "server %s, %s; machine %d CPUs (%s), load average %s at start, %s at end\n",
		res.Server, res.Store, res.Machine.CPUs, res.Machine.CPUModel, res.Machine.LoadAvg, res.Machine.LoadEnd)
	fmt.Fprintf(w, "set-up %.1f s, connecting %.1f s, drain waited %.1f s\n\n", c.SetupS, c.ConnectS, c.DrainWaitS)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	t := res.Throughput
	fmt.Fprintf(tw, "throughput\toffered %.0f/s\tsent %.1f/s\tacknowledged %.1f/s\tdeliveries to others %.0f/s\n", t.OfferedPerS, t.SentPerS, t.AckedPerS, t.DeliveriesPS)
	l := res.Delivery
	fmt.Fprintf(tw, "send → seen by each other editor\tp50 %.1f ms\tp95 %.1f ms\tp99 %.1f ms\tmax %.1f ms\t(%d pairs)\n", l.P50, l.P95, l.P99, l.Max, l.Samples)
	a := res.Ack
	fmt.Fprintf(tw, "send → acknowledged\tp50 %.1f ms\tp95 %.1f ms\tp99 %.1f ms\tmax %.1f ms\t(%d batches)\n", a.P50, a.P95, a.P99, a.Max, a.Samples)
	p := res.Problems
	fmt.Fprintf(tw, "lost (acked, not delivered)\t%d batches\t%d deliveries\t\t\n", p.Lost, p.LostDeliveries)
	fmt.Fprintf(tw, "never acknowledged (never written) / rejected\t%d (%d)\t%d\t\t\n", p.Unacked, p.NeverWritten, p.Rejected)
	fmt.Fprintf(tw, "gaps / out of order / duplicates\t%d\t%d\t%d\t\n", p.Gaps, p.OutOfOrder, p.Duplicates)
	fmt.Fprintf(tw, "disconnects / reconnects (still waiting for ready) / resent\t%d\t%d (%d)\t%d\t\n", p.Disconnects, p.Reconnects, p.WaitingReady, p.Resent)
	fmt.Fprintf(tw, "send errors / unknown ops / snapshots after reconnect\t%d\t%d\t%d\t\n", p.SendErrors, p.Unknown, p.Snapshots)
	fmt.Fprintf(tw, "revision messages (checkpoints)\t%d\t%.1f per doc\t\t\n", res.Revisions.Messages, res.Revisions.PerDoc)
	m := res.Memory
	if m.RSSBefore > 0 {
		fmt.Fprintf(tw, "server RSS\tbefore %s\tconnected %s\tend %s\t%s per client\n", mb(float64(m.RSSBefore)), mb(float64(m.RSSAfter)), mb(float64(m.RSSEnd)), kb(m.RSSPerClient))
	}
	if !math.IsNaN(m.HeapBefore) {
		fmt.Fprintf(tw, "server Go heap in use\tbefore %s\tconnected %s\t\t%s per client\n", mb(m.HeapBefore), mb(m.HeapAfter), kb(m.HeapPerClient))
		fmt.Fprintf(tw, "server goroutines\tbefore %.0f\tconnected %.0f\t\t%.1f per client\n", m.GoroutinesBefore, m.GoroutinesAfter, (m.GoroutinesAfter-m.GoroutinesBefore)/float64(c.Editors))
	}
	u := res.CPU
	if u.ServerS >= 0 {
		fmt.Fprintf(tw, "server CPU (measured period)\t%.1f s\t%.2f cores\t%.2f ms per batch\t\n", u.ServerS, u.ServerCores, u.ServerMsPerB)
	}
	fmt.Fprintf(tw, "load generator CPU\t%.1f s\t%.2f cores\twrite max %.1f ms\tschedule late max %.1f ms\n", u.LoadgenS, u.LoadgenCores, u.SendMaxMs, u.LateMaxMs)
	tw.Flush()
	if len(p.Messages) > 0 {
		fmt.Fprintln(w, "\nmessages:")
		for _, k := range slices.Sorted(maps.Keys(p.Messages)) {
			fmt.Fprintf(w, "  %6d  %s\n", p.Messages[k], k)
		}
	}
	if len(p.LostDetail) > 0 {
		fmt.Fprintln(w, "\nlost, by receiver:")
		for _, l := range p.LostDetail {
			fmt.Fprintln(w, "  "+l)
		}
	}
	if len(p.ServerLog) > 0 {
		fmt.Fprintf(w, "server log lines by level: %v\n", p.ServerLog)
	}
	if len(res.ServerMetrics) > 0 {
		fmt.Fprintf(w, "server /metrics at the end: live operations %.0f, rejects %.0f, connections %.0f\n",
			res.ServerMetrics["relsop_live_operations_total"], res.ServerMetrics["relsop_live_rejects_total"], res.ServerMetrics["relsop_live_connections"])
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, res.Verdict)
}
