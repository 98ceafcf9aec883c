package cli

import "sync"

// inOrder runs work(i) for every i in [0, n) on up to workers goroutines
// and hands each result to use in index order, so what a command prints
// and writes is the same however the work was scheduled. At most
// 2×workers results wait for use at a time, which bounds the memory held
// by results finished ahead of a slow one. When use returns false, no
// further work starts, and inOrder returns once the work under way has
// finished.
func inOrder[T any](n, workers int, work func(i int) T, use func(i int, r T) bool) {
	workers = max(1, min(workers, n))
	results := make([]chan T, n)
	for i := range results {
		results[i] = make(chan T, 1)
	}
	next := make(chan int)
	stop := make(chan struct{})
	window := make(chan struct{}, 2*workers)
	go func() {
		defer close(next)
		for i := range n {
			select {
			case window <- struct{}{}:
			case <-stop:
				return
			}
			select {
			case next <- i:
			case <-stop:
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				results[i] <- work(i)
			}
		})
	}
	for i := range n {
		r := <-results[i]
		<-window
		if !use(i, r) {
			close(stop)
			break
		}
	}
	wg.Wait()
}
