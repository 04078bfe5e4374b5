package engine

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/metrics"
	"sync"
	"time"
)

// DefaultMemoryLimit is the heap size above which policy evaluations are stopped.
const DefaultMemoryLimit = 2 << 30

// errMemory is the cause of an evaluation stopped by the memory guard.
var errMemory = errors.New("the process went over its memory limit for policies")

// memoryGuard stops the policy evaluations in flight when the live heap grows over a
// limit: a policy (a user's, say) that builds a huge comprehension is stopped and
// reported before it exhausts the machine, and the other rules and files still report.
// Each rule's evaluation is watched on its own; the guard samples the heap only while
// some evaluation runs, and stops every evaluation in flight when the limit is passed
// (it cannot tell which one allocated the memory).
type memoryGuard struct {
	limit uint64
	every time.Duration

	mu       sync.Mutex
	inflight map[*context.CancelCauseFunc]bool
}

func newMemoryGuard(limit uint64) *memoryGuard {
	return &memoryGuard{limit: limit, every: 10 * time.Millisecond, inflight: map[*context.CancelCauseFunc]bool{}}
}

// watch returns a context that the guard cancels if the heap grows over the limit, and
// the function that ends the watch.
func (g *memoryGuard) watch(ctx context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	g.mu.Lock()
	if len(g.inflight) == 0 {
		go g.sample()
	}
	g.inflight[&cancel] = true
	g.mu.Unlock()
	return ctx, func() {
		g.mu.Lock()
		delete(g.inflight, &cancel)
		g.mu.Unlock()
		cancel(nil)
	}
}

// sample reads the heap size until no evaluation is in flight, and cancels them all when
// it is over the limit.
func (g *memoryGuard) sample() {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	for {
		time.Sleep(g.every)
		metrics.Read(sample)
		g.mu.Lock()
		if len(g.inflight) == 0 {
			g.mu.Unlock()
			return
		}
		over := sample[0].Value.Kind() == metrics.KindUint64 && sample[0].Value.Uint64() > g.limit
		if over {
			for cancel := range g.inflight {
				(*cancel)(fmt.Errorf("%w (%d MiB)", errMemory, g.limit>>20))
				delete(g.inflight, cancel)
			}
		}
		g.mu.Unlock()
		if over {
			// Collect what the stopped evaluations built before judging the next ones.
			runtime.GC()
		}
	}
}
