package index

import "container/heap"

// queue is a heap of T, the lowest by less first: the index's heaps (the
// tiers' combinations, the phrases waiting for their turn, the best k of
// a ranking, the first places by name) share it rather than each spelling
// out container/heap's methods.
type queue[T any] struct {
	items []T
	less  func(a, b T) bool
}

func (q *queue[T]) Len() int           { return len(q.items) }
func (q *queue[T]) Less(i, j int) bool { return q.less(q.items[i], q.items[j]) }
func (q *queue[T]) Swap(i, j int)      { q.items[i], q.items[j] = q.items[j], q.items[i] }
func (q *queue[T]) Push(x any)         { q.items = append(q.items, x.(T)) }
func (q *queue[T]) Pop() any {
	x := q.items[len(q.items)-1]
	q.items = q.items[:len(q.items)-1]
	return x
}

func (q *queue[T]) push(x T) { heap.Push(q, x) }
func (q *queue[T]) pop() T   { return heap.Pop(q).(T) }

// first returns the lowest item without taking it.
func (q *queue[T]) first() T { return q.items[0] }

// replaceFirst puts x in place of the lowest item.
func (q *queue[T]) replaceFirst(x T) {
	q.items[0] = x
	heap.Fix(q, 0)
}

// order makes a heap of items appended directly.
func (q *queue[T]) order() { heap.Init(q) }

// byKey orders candidates by key, lowest first.
func byKey(a, b candidate) bool { return a.key < b.key }
