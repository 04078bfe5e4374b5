// Package typecache memoizes what the reflection walks of the model (input conversion,
// the model budget, the secret index) compute once per Go type: which fields of a struct
// to visit, whether a type can hold a value of interest.
package typecache

import (
	"reflect"
	"sync"
)

// Cache maps a reflect.Type to a value computed from it, once per type; it is safe for
// concurrent use. Two goroutines may compute the same type's value at once and one of
// the results is kept, so the computation must depend on the type alone.
type Cache[V any] struct {
	values sync.Map
}

// Get returns the value for t, calling compute(t) the first time.
func (c *Cache[V]) Get(t reflect.Type, compute func(reflect.Type) V) V {
	if v, ok := c.values.Load(t); ok {
		return v.(V)
	}
	v, _ := c.values.LoadOrStore(t, compute(t))
	return v.(V)
}
