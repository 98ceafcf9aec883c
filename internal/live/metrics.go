package live

import "github.com/prometheus/client_golang/prometheus"

// metrics counts live editing for /metrics.
type metrics struct {
	ops         prometheus.Counter
	rejects     prometheus.Counter
	connections prometheus.Gauge
}

// newMetrics registers the live editing metrics with reg.
func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		ops:         prometheus.NewCounter(prometheus.CounterOpts{Name: "relsop_live_operations_total", Help: "Live operations applied and passed to editors (stored here or read from other servers)."}),
		rejects:     prometheus.NewCounter(prometheus.CounterOpts{Name: "relsop_live_rejects_total", Help: "Batches of live edits refused."}),
		connections: prometheus.NewGauge(prometheus.GaugeOpts{Name: "relsop_live_connections", Help: "Live editor connections open."}),
	}
	reg.MustRegister(m.ops, m.rejects, m.connections)
	return m
}

// The methods accept a nil *metrics: a hub without metrics counts nothing.

func (m *metrics) op() {
	if m != nil {
		m.ops.Inc()
	}
}

func (m *metrics) reject() {
	if m != nil {
		m.rejects.Inc()
	}
}

func (m *metrics) connected(delta float64) {
	if m != nil {
		m.connections.Add(delta)
	}
}
