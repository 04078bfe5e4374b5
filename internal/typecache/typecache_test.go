package typecache

import (
	"reflect"
	"testing"
)

func TestGetComputesOncePerType(t *testing.T) {
	var c Cache[int]
	calls := 0
	numFields := func(t reflect.Type) int {
		calls++
		return t.NumField()
	}
	type pair struct{ A, B int }
	type one struct{ A int }
	for _, tt := range []struct {
		typ       reflect.Type
		want      int
		wantCalls int
	}{
		{reflect.TypeFor[pair](), 2, 1},
		{reflect.TypeFor[pair](), 2, 1},
		{reflect.TypeFor[one](), 1, 2},
	} {
		if got := c.Get(tt.typ, numFields); got != tt.want || calls != tt.wantCalls {
			t.Errorf("Get(%v) = %d after %d computations, want %d after %d", tt.typ, got, calls, tt.want, tt.wantCalls)
		}
	}
}
