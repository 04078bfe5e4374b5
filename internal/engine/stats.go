package engine

import (
	"sort"
	"sync/atomic"
	"time"
)

// ruleStats accumulates what one rule's evaluations cost, across goroutines.
type ruleStats struct {
	evals atomic.Int64
	nanos atomic.Int64
}

func (s *ruleStats) add(d time.Duration) {
	s.evals.Add(1)
	s.nanos.Add(int64(d))
}

// Stats says where the engine spent its time: building inputs and evaluating each
// rule, summed over every file and goroutine (so they may exceed the wall time).
type Stats struct {
	// Load is the wall time Load took: reading, compiling and preparing the policies.
	Load time.Duration
	// Input is the time spent converting models to Rego inputs.
	Input time.Duration
	// Inputs is the number of inputs built.
	Inputs int64
	// Rules lists each rule's evaluations, the most costly first.
	Rules []RuleStat
}

// RuleStat is what one rule cost.
type RuleStat struct {
	Rule  string
	Evals int64
	Time  time.Duration
}

// Stats returns the engine's time accounting so far.
func (e *Engine) Stats() Stats {
	s := Stats{Load: e.load, Input: time.Duration(e.input.nanos.Load()), Inputs: e.input.evals.Load()}
	for i := range e.compiled {
		c := &e.compiled[i]
		s.Rules = append(s.Rules, RuleStat{Rule: c.meta.ID, Evals: c.stats.evals.Load(), Time: time.Duration(c.stats.nanos.Load())})
	}
	sort.SliceStable(s.Rules, func(i, j int) bool { return s.Rules[i].Time > s.Rules[j].Time })
	return s
}
