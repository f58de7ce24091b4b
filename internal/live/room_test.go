package live

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"foresight/internal/workshop"
)

// Events that arrive while a room's tallies are being read are counted
// once: those the read saw are skipped, those after it are applied, and
// the store's events never wait for the read.
func TestEventsDuringALoadAreCountedOnce(t *testing.T) {
	src := newSource(testWorkshop(), testTally()) // read at seq 3
	gate, entered := make(chan struct{}), make(chan struct{}, 1)
	src.gate, src.entered = gate, entered
	h := NewHub(src, nil)
	defer h.Close()
	got := make(chan *Snapshot)
	go func() {
		snap, err := h.Snapshot(context.Background(), 1)
		if err != nil {
			t.Error(err)
		}
		got <- snap
	}()
	<-entered // the read has started: the room collects what arrives
	applied := make(chan struct{})
	go func() {
		h.Apply([]workshop.Event{
			rating(3, 2, nil, &workshop.Answer{Value: 4}), // the read has it already
			rating(4, 1, &workshop.Answer{Value: 2}, &workshop.Answer{Value: 5}),
		})
		close(applied)
	}()
	select {
	case <-applied:
	case <-time.After(5 * time.Second): // generous: this checks that Apply does not wait, not its speed
		t.Fatal("Apply waited for a read of the store")
	}
	close(gate)
	snap := <-got
	res := snap.Results(1)
	it, _ := res.Item(10, 20)
	// The store held 2 and 4; 2 became 5: 4 and 5.
	if snap.Seq != 4 || it.N != 2 || *it.Median != 4.5 {
		t.Fatalf("seq=%d n=%d median=%v, want 4 2 4.5", snap.Seq, it.N, *it.Median)
	}
}

// syncBuffer is a log destination that tests read while the hub writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// A recount that fails is logged and tried again; the subscribers get the
// recounted state once the store answers.
func TestFailedRecountIsLoggedAndRetried(t *testing.T) {
	src := newSource(testWorkshop(), testTally())
	var logs syncBuffer
	h := newHub(src, slog.New(slog.NewTextHandler(&logs, nil)), time.Second/4)
	close(h.done)
	t.Cleanup(h.Close)
	sub, err := h.Subscribe(context.Background(), 1, "k", func(s *Snapshot) [][]byte {
		res := s.Results(1)
		it, _ := res.Item(10, 20)
		return [][]byte{fmt.Appendf(nil, "n=%d", it.N)}
	})
	if err != nil {
		t.Fatal(err)
	}
	if m := string((<-sub.C)[0]); m != "n=2" {
		t.Fatalf("first message %q", m)
	}
	// A participant was removed: the store holds one rating less, and its
	// reads fail for a while.
	t1 := testTally()
	t1.Seq, t1.Counts = 4, t1.Counts[1:]
	src.set(testWorkshop(), t1)
	src.mu.Lock()
	src.fail = errors.New("disk I/O error")
	src.mu.Unlock()
	h.Apply([]workshop.Event{workshop.RecountNeeded{EventHead: head(4)}})

	waitFor := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); !ok(); time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) { // generous: this checks that it happens, not how fast
				t.Fatalf("waited 10 s for %s", what)
			}
		}
	}
	h.flush() // starts the recount in the background
	waitFor("the failure in the log", func() bool { return strings.Contains(logs.String(), "disk I/O error") })
	if !strings.Contains(logs.String(), "level=ERROR") || !strings.Contains(logs.String(), "workshop=1") {
		t.Fatalf("the log says %q", logs.String())
	}
	select {
	case m := <-sub.C:
		t.Fatalf("a subscriber got %q before the recount was in", m)
	default:
	}
	src.mu.Lock()
	src.fail = nil
	src.mu.Unlock()
	r := sub.room
	r.mu.Lock()
	r.retryAt = time.Time{} // skip the pause before the next try
	r.mu.Unlock()
	var got string
	waitFor("the recount to reach the subscriber", func() bool {
		h.flush()
		select {
		case m := <-sub.C:
			got = string(m[0])
			return true
		default:
			return false
		}
	})
	if got != "n=1" {
		t.Fatalf("after the recount the subscriber got %q, want n=1", got)
	}
}

// Rooms that nobody watches and nothing changes leave memory: after 1,000
// workshops were opened and left, the hub holds none of them.
func TestIdleRoomsAreEvicted(t *testing.T) {
	src := newSource(testWorkshop(), testTally())
	h := newHub(src, nil, time.Second/4)
	close(h.done)
	t.Cleanup(h.Close)
	h.idle = 8 // flushes

	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	ctx := context.Background()
	big := benchSource(1000) // each workshop's tallies: 1,000 raters
	for i := range int64(1000) {
		w := *benchWorkshop()
		w.ID = 100 + i
		src.set(&w, big.tally[1])
		sub, err := h.Subscribe(ctx, w.ID, "k", func(*Snapshot) [][]byte { return nil })
		if err != nil {
			t.Fatal(err)
		}
		h.Apply([]workshop.Event{workshop.ParticipantJoined{EventHead: workshop.EventHead{WorkshopID: w.ID, Seq: 2}}})
		sub.Close()
	}
	// One workshop stays in use: watched, its room stays.
	watched, err := h.Subscribe(ctx, 100, "k", func(*Snapshot) [][]byte { return nil })
	if err != nil {
		t.Fatal(err)
	}
	defer watched.Close()
	if n := h.Rooms(); n != 1000 {
		t.Fatalf("%d rooms in use, want 1000", n)
	}
	full := heap()
	for range 10 {
		h.flush()
	}
	if n := h.Rooms(); n != 1 {
		t.Fatalf("%d rooms after they were left, want the 1 still watched", n)
	}
	src.mu.Lock()
	clear(src.w)
	clear(src.tally)
	src.mu.Unlock()
	after := heap()
	t.Logf("heap: %d KiB before, %d KiB with 1,000 rooms, %d KiB after eviction", before>>10, full>>10, after>>10)
	// The rooms held well over 10 MB; what stays is the one room in use
	// and the test's own bookkeeping.
	if full < before+10<<20 || after > before+(full-before)/10 {
		t.Fatalf("heap %d KiB before, %d KiB full, %d KiB after: memory is not given back", before>>10, full>>10, after>>10)
	}
	// A room that left comes back at its next use, read from the store.
	src.set(benchWorkshop(), big.tally[1])
	if _, err := h.Snapshot(ctx, 1); err != nil {
		t.Fatal(err)
	}
}

// Subscribe renders the first message outside the room's lock: a render
// that itself looks at the room does not deadlock, and the store's events
// do not wait for a render.
func TestSubscribeRendersOutsideTheLock(t *testing.T) {
	h, _ := testHub(t)
	ctx := context.Background()
	rendered := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		_, err := h.Subscribe(ctx, 1, "k", func(s *Snapshot) [][]byte {
			h.Apply(joined(9)) // takes the room's lock
			close(rendered)
			return [][]byte{[]byte("x")}
		})
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Subscribe held the room's lock while it rendered")
	}
	<-rendered
}

// When another process changed the database, every room is read again and
// every subscriber's right to watch is checked again.
func TestStoreChangedRecountsAndRechecks(t *testing.T) {
	h, src := manualHubSource(t, time.Second/4)
	sub, err := h.Subscribe(context.Background(), 1, "k", func(s *Snapshot) [][]byte { return [][]byte{fmt.Appendf(nil, "%d", s.Joined)} })
	if err != nil {
		t.Fatal(err)
	}
	<-sub.C
	t1 := testTally()
	t1.Joined, t1.Seq = 7, 3 // written by another process: the seq says nothing
	src.set(testWorkshop(), t1)
	h.Apply([]workshop.Event{workshop.StoreChanged{}})
	select {
	case <-sub.Recheck():
	default:
		t.Fatal("no signal to check the viewer again")
	}
	h.flush() // starts the recount
	h.loads.Wait()
	h.flush()
	select {
	case m := <-sub.C:
		if string(m[0]) != "7" {
			t.Fatalf("got %q, want the store's 7 participants", m)
		}
	default:
		t.Fatal("no update after the store changed")
	}
}

// A workshop deleted by another process (the store no longer has it) ends
// its subscriptions at the recount, instead of retrying for ever.
func TestRecountOfADeletedWorkshopEndsItsStreams(t *testing.T) {
	h, src := manualHubSource(t, time.Second/4)
	sub, err := h.Subscribe(context.Background(), 1, "k", func(*Snapshot) [][]byte { return [][]byte{[]byte("x")} })
	if err != nil {
		t.Fatal(err)
	}
	<-sub.C
	src.mu.Lock()
	clear(src.w)
	clear(src.tally)
	src.mu.Unlock()
	h.Apply([]workshop.Event{workshop.StoreChanged{}})
	h.flush()
	h.loads.Wait()
	if _, ok := <-sub.C; ok {
		t.Fatal("the subscription is open after its workshop was deleted elsewhere")
	}
	if n := h.Rooms(); n != 0 {
		t.Fatalf("%d rooms, want none", n)
	}
}

// A seq that never arrives (a change whose event this server missed) makes
// the room count again after holeAfter; events of other servers that only
// arrive late, after later ones of this server, do not.
func TestAMissingSeqRecountsTheRoom(t *testing.T) {
	h, src := manualHubSource(t, time.Second/4)
	sub, err := h.Subscribe(context.Background(), 1, "k", func(s *Snapshot) [][]byte { return [][]byte{fmt.Appendf(nil, "%d", s.Joined)} })
	if err != nil {
		t.Fatal(err)
	}
	<-sub.C // read at seq 3 with 2 joined
	loads := func() int {
		src.mu.Lock()
		defer src.mu.Unlock()
		return src.loads
	}
	flushFor := func(d time.Duration) {
		for range int(d / h.interval) {
			h.flush()
			h.loads.Wait()
		}
	}

	// Late, not missing: 5 before 4, 7 before 6.
	h.Apply(joined(5))
	flushFor(holeAfter / 2)
	h.Apply(joined(4))
	h.Apply(joined(7))
	flushFor(holeAfter / 2)
	h.Apply(joined(6))
	flushFor(2 * holeAfter)
	if n := loads(); n != 1 {
		t.Fatalf("the store was read %d times for events that came late, want once", n)
	}
	drain(sub.C)

	// Missing: 8 never comes. The store holds 9 changes' worth.
	t9 := testTally()
	t9.Seq, t9.Joined = 9, 8
	src.set(testWorkshop(), t9)
	h.Apply(joined(9))
	flushFor(holeAfter - h.interval)
	if n := loads(); n != 1 {
		t.Fatalf("the room counted again %d times before the hole was %v old", n-1, holeAfter)
	}
	flushFor(2 * h.interval)
	if n := loads(); n != 2 {
		t.Fatalf("the store was read %d times; want a recount after seq 8 stayed missing", n)
	}
	flushFor(time.Second) // a slotted subscriber's turn comes once a second
	var last string
	for {
		select {
		case m := <-sub.C:
			last = string(m[0])
			continue
		default:
		}
		break
	}
	if last != "8" {
		t.Fatalf("the subscriber last got %q, want the store's 8 participants", last)
	}
	// The recount read up to 9: nothing is missing any more.
	h.Apply(joined(10))
	flushFor(2 * holeAfter)
	if n := loads(); n != 2 {
		t.Fatalf("the store was read %d times after the recount, want no more", n)
	}
}

func drain[T any](c <-chan T) {
	for {
		select {
		case <-c:
		default:
			return
		}
	}
}

// A change of someone's right to watch reaches that viewer's streams and
// no others: a user's sign-out their own streams, a disabled account also
// the display links (a disabled owner's links end), a removed participant
// their own stream, a change of the workshop (a display link revoked) the
// display links of that workshop. Sessions, links and decks reach no one.
func TestRechecksReachOnlyTheViewersConcerned(t *testing.T) {
	h, _ := manualHubSource(t, time.Second/4)
	render := func(s *Snapshot) [][]byte { return [][]byte{fmt.Appendf(nil, "%d", s.Seq)} }
	subscribe := func(v Viewer) *Subscription {
		t.Helper()
		s, err := h.SubscribeEvery(context.Background(), 1, "k", v, render, 0)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		return s
	}
	alice, bob := subscribe(Viewer{UserID: 1}), subscribe(Viewer{UserID: 2})
	display, phone, other := subscribe(Viewer{Display: true}), subscribe(Viewer{ParticipantID: 7}), subscribe(Viewer{ParticipantID: 8})
	all := map[string]*Subscription{"alice": alice, "bob": bob, "display": display, "phone 7": phone, "phone 8": other}
	expect := func(what string, ev workshop.Event, want ...string) {
		t.Helper()
		h.Apply([]workshop.Event{ev})
		told := map[string]bool{}
		for name, s := range all {
			select {
			case <-s.Recheck():
				told[name] = true
			default:
			}
		}
		wanted := map[string]bool{}
		for _, name := range want {
			wanted[name] = true
		}
		if !reflect.DeepEqual(told, wanted) {
			t.Fatalf("%s told %v, want %v", what, told, wanted)
		}
	}
	expect("a sign-out of user 1", workshop.SessionsEnded{UserID: 1}, "alice")
	expect("user 2's account disabled", workshop.AccountChanged{UserID: 2}, "bob", "display")
	expect("a new session", workshop.SessionRecorded{UserID: 1})
	expect("a deck", workshop.DeckChanged{DeckID: 3})
	expect("a link", workshop.LinkCreated{})
	seq := testTally().Seq
	expect("participant 7 removed", workshop.ParticipantRemoved{EventHead: workshop.EventHead{WorkshopID: 1, Seq: seq + 1}, ParticipantID: 7}, "phone 7")
	expect("the display link revoked", workshop.WorkshopChanged{EventHead: workshop.EventHead{WorkshopID: 1, Seq: seq + 2}}, "display")
	expect("another process", workshop.StoreChanged{}, "alice", "bob", "display", "phone 7", "phone 8")
}
