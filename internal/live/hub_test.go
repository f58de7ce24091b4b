package live

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"foresight/internal/workshop"
)

func testWorkshop() *workshop.Workshop {
	return &workshop.Workshop{
		ID: 1, Code: "K7QFM2XD", State: workshop.StateOpen, Round: 1, Seq: 3,
		Scenarios: []workshop.Scenario{{ID: 10}, {ID: 11}},
		Criteria:  []workshop.Criterion{{ID: 20, Kind: workshop.KindScale, Min: 1, Max: 5, Step: 1, DontKnow: true}},
	}
}

// The store already holds two ratings of item (10, 20) and one join more
// than those.
func testTally() workshop.Tally {
	return workshop.Tally{
		Seq: 3, Joined: 2,
		Counts: []workshop.TallyRow{
			{Round: 1, ScenarioID: 10, CriterionID: 20, Answer: workshop.Answer{Value: 2}, Count: 1},
			{Round: 1, ScenarioID: 10, CriterionID: 20, Answer: workshop.Answer{Value: 4}, Count: 1},
		},
		Rated: []workshop.RatedRow{{Round: 1, ParticipantID: 1, Items: 1}, {Round: 1, ParticipantID: 2, Items: 1}},
	}
}

// source is the store as the hub sees it, in memory: the tests say what
// it holds. It is a stand-in for the store's read side only; the store's
// own tests run against real SQLite files.
type source struct {
	mu      sync.Mutex
	w       map[int64]*workshop.Workshop
	tally   map[int64]workshop.Tally
	fail    error         // LoadTally fails with it while set
	gate    chan struct{} // LoadTally waits for it while set
	entered chan struct{} // LoadTally says here that it started, when set
	loads   int
}

func newSource(w *workshop.Workshop, t workshop.Tally) *source {
	return &source{w: map[int64]*workshop.Workshop{w.ID: w}, tally: map[int64]workshop.Tally{w.ID: t}}
}

func (s *source) LoadTally(ctx context.Context, id int64) (workshop.Tally, error) {
	s.mu.Lock()
	gate, entered := s.gate, s.entered
	s.mu.Unlock()
	if entered != nil {
		entered <- struct{}{}
	}
	if gate != nil {
		<-gate
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loads++
	if s.fail != nil {
		return workshop.Tally{}, s.fail
	}
	t, ok := s.tally[id]
	if !ok {
		return t, workshop.Errorf(workshop.ENotFound, "error.no_workshop_code")
	}
	return t, nil
}

func (s *source) WorkshopByID(ctx context.Context, id int64) (*workshop.Workshop, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w, ok := s.w[id]
	if !ok {
		return nil, workshop.Errorf(workshop.ENotFound, "error.no_workshop_code")
	}
	return w, nil
}

// set replaces what the store holds of workshop w.
func (s *source) set(w *workshop.Workshop, t workshop.Tally) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.w[w.ID], s.tally[w.ID] = w, t
}

func head(seq int64) workshop.EventHead { return workshop.EventHead{WorkshopID: 1, Seq: seq} }

func joined(seq int64) []workshop.Event {
	return []workshop.Event{workshop.ParticipantJoined{EventHead: head(seq)}}
}

func rating(seq int64, participant int64, old, new *workshop.Answer) workshop.RatingChanged {
	return workshop.RatingChanged{EventHead: head(seq), Round: 1, ParticipantID: participant, ScenarioID: 10, CriterionID: 20, Old: old, New: new}
}

func testHub(t *testing.T) (*Hub, *source) {
	t.Helper()
	src := newSource(testWorkshop(), testTally())
	h := NewHub(src, nil)
	t.Cleanup(h.Close)
	return h, src
}

func TestApplyAndResults(t *testing.T) {
	h, _ := testHub(t)
	ctx := context.Background()
	if _, err := h.Snapshot(ctx, 1); err != nil {
		t.Fatal(err)
	}
	// Seq 3 was part of the load: applying it again must not count twice.
	// Participant 1 changes 2 -> 5; participant 3 joins and says "don't know".
	h.Apply([]workshop.Event{
		rating(3, 2, nil, &workshop.Answer{Value: 4}),
		rating(4, 1, &workshop.Answer{Value: 2}, &workshop.Answer{Value: 5}),
		workshop.ParticipantJoined{EventHead: head(5), ParticipantID: 3},
		rating(6, 3, nil, &workshop.Answer{DontKnow: true}),
	})
	snap, err := h.Snapshot(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	res := snap.Results(1)
	it, _ := res.Item(10, 20)
	if res.Seq != 6 || res.Joined != 3 || res.Rated != 3 || it.N != 2 || it.DontKnow != 1 || *it.Median != 4.5 {
		t.Fatalf("seq=%d joined=%d rated=%d n=%d dk=%d median=%v; want 6 3 3 2 1 4.5",
			res.Seq, res.Joined, res.Rated, it.N, it.DontKnow, *it.Median)
	}
	if other, _ := res.Item(11, 20); other.N != 0 || other.Median != nil || len(other.Histogram.Counts) != 5 {
		t.Fatalf("an unrated item: %+v", other)
	}
	// Clearing the only rating of participant 3 leaves them out of "rated".
	h.Apply([]workshop.Event{rating(7, 3, &workshop.Answer{DontKnow: true}, nil)})
	before := snap
	snap, _ = h.Snapshot(ctx, 1)
	if res := snap.Results(1); res.Rated != 2 {
		t.Fatalf("rated=%d after clearing, want 2", res.Rated)
	}
	// A snapshot keeps the count it was taken with.
	if res := before.Results(1); res.Rated != 3 {
		t.Fatalf("an earlier snapshot says rated=%d, want 3", res.Rated)
	}
}

func TestSubscribersGetLatestState(t *testing.T) {
	h, _ := testHub(t)
	renders := 0
	render := func(s *Snapshot) [][]byte {
		renders++
		return [][]byte{fmt.Appendf(nil, "seq=%d", s.Seq)}
	}
	sub, err := h.Subscribe(context.Background(), 1, "k", render)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := h.Subscribe(context.Background(), 1, "k", render)
	defer other.Close()
	if got := string((<-sub.C)[0]); got != "seq=3" {
		t.Fatalf("first message %q, want the full state at once", got)
	}
	// Many changes before the slow subscriber reads: it gets only the latest.
	for seq := int64(4); seq <= 20; seq++ {
		h.Apply(joined(seq))
	}
	renders = 0
	h.flush() // what the ticker does
	if got := string((<-sub.C)[0]); got != "seq=20" {
		t.Fatalf("after 17 changes got %q, want seq=20", got)
	}
	if renders != 1 {
		t.Fatalf("rendered %d times for two subscribers of one kind, want 1", renders)
	}
	select {
	case m := <-sub.C:
		t.Fatalf("a second message %q queued", m)
	default:
	}
	sub.Close()
	if _, ok := <-sub.C; ok {
		t.Fatal("C is open after Close")
	}
}

func TestTickerDeliversWithinASecond(t *testing.T) {
	src := newSource(testWorkshop(), testTally())
	h := NewHub(src, nil)
	defer h.Close()
	sub, err := h.Subscribe(context.Background(), 1, "k", func(s *Snapshot) [][]byte { return [][]byte{fmt.Appendf(nil, "%d", s.Seq)} })
	if err != nil {
		t.Fatal(err)
	}
	<-sub.C
	h.Apply(joined(9))
	select {
	case m := <-sub.C:
		if string(m[0]) != "9" {
			t.Fatalf("got %q", m)
		}
	case <-time.After(5 * time.Second): // generous: this checks delivery, not speed
		t.Fatal("no update delivered")
	}
	h.Close()
	if _, ok := <-sub.C; ok {
		t.Fatal("C is open after the hub closed")
	}
}

func TestRationalesAndRecount(t *testing.T) {
	w := testWorkshop()
	src := newSource(w, workshop.Tally{Seq: 3, Joined: 1, Rationales: []workshop.Rationale{{ID: 1, Round: 1, ScenarioID: 10, Text: "first"}}})
	h := NewHub(src, nil)
	defer h.Close()
	ctx := context.Background()
	snap, _ := h.Snapshot(ctx, 1)
	if got := snap.RoundRationales(1); len(got) != 1 || got[0].Text != "first" {
		t.Fatalf("loaded rationales %+v", got)
	}
	reason := func(seq, id int64, round int, text string, deleted bool) workshop.Event {
		return workshop.ReasonChanged{EventHead: head(seq), Rationale: workshop.Rationale{ID: id, Round: round, Text: text}, Deleted: deleted}
	}
	// An edit the load read already (seq 3) changes nothing; later ones
	// apply in commit order.
	h.Apply([]workshop.Event{reason(3, 1, 1, "already read", false), reason(6, 1, 1, "edited", false), reason(7, 2, 2, "round two", false)})
	snap, _ = h.Snapshot(ctx, 1)
	if got := snap.RoundRationales(1); len(got) != 1 || got[0].Text != "edited" {
		t.Fatalf("after edits: %+v", got)
	}
	h.Apply([]workshop.Event{reason(9, 1, 1, "", true)})
	snap, _ = h.Snapshot(ctx, 1)
	if got := snap.RoundRationales(1); len(got) != 0 {
		t.Fatalf("a deleted rationale stayed: %+v", got)
	}
	if got := snap.RoundRationales(2); len(got) != 1 {
		t.Fatalf("round 2: %+v", got)
	}

	// A recount reads the store again: a round that started pre-filled.
	src.set(w, workshop.Tally{Seq: 12, Joined: 1, Counts: []workshop.TallyRow{
		{Round: 2, ScenarioID: 10, CriterionID: 20, Answer: workshop.Answer{Value: 3}, Count: 1},
	}, Rated: []workshop.RatedRow{{Round: 2, ParticipantID: 1, Items: 1}}})
	h.Apply([]workshop.Event{workshop.RecountNeeded{EventHead: head(12)}})
	snap, _ = h.Snapshot(ctx, 1)
	res := snap.Results(2)
	if it, _ := res.Item(10, 20); it.N != 1 || res.Rated != 1 || snap.Seq != 12 {
		t.Fatalf("after the recount: n=%d rated=%d seq=%d", it.N, res.Rated, snap.Seq)
	}
	// A change already in the recount is not counted again.
	h.Apply([]workshop.Event{workshop.RatingChanged{EventHead: head(12), Round: 2, ParticipantID: 1, ScenarioID: 10, CriterionID: 20, New: &workshop.Answer{Value: 3}}})
	snap, _ = h.Snapshot(ctx, 1)
	res = snap.Results(2)
	if it, _ := res.Item(10, 20); it.N != 1 {
		t.Fatalf("a change before the recount was counted twice: n=%d", it.N)
	}
}

// manualHub is a hub without its ticker: the test's own flush calls are
// the only ones, so it can count them.
func manualHub(t *testing.T, interval time.Duration) *Hub {
	t.Helper()
	h, _ := manualHubSource(t, interval)
	return h
}

func manualHubSource(t *testing.T, interval time.Duration) (*Hub, *source) {
	t.Helper()
	src := newSource(testWorkshop(), testTally())
	h := newHub(src, nil, interval)
	close(h.done) // no run goroutine to wait for
	t.Cleanup(h.Close)
	return h, src
}

// subscribeSlow subscribes n views of kind "slow" that want an update a
// second.
func subscribeSlow(t *testing.T, h *Hub, render RenderFunc, n int) []*Subscription {
	t.Helper()
	var subs []*Subscription
	for range n {
		s, err := h.SubscribeEvery(context.Background(), 1, "slow", Viewer{}, render, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		subs = append(subs, s)
	}
	return subs
}

// received reports which subscriptions have a message waiting, taking it.
func received(subs []*Subscription) []string {
	var got []string
	for _, s := range subs {
		select {
		case m, ok := <-s.C:
			if ok {
				got = append(got, string(m[0]))
			}
		default:
		}
	}
	return got
}

// Slotted subscriptions take turns: with updates at most once a second and
// four flushes a second, each flush serves a quarter of them, each gets the
// latest state once within four flushes, and unslotted ones get every flush.
func TestSlottedSubscribersTakeTurns(t *testing.T) {
	h := manualHub(t, time.Second/4)
	render := func(s *Snapshot) [][]byte { return [][]byte{fmt.Appendf(nil, "%d", s.Seq)} }
	slow := subscribeSlow(t, h, render, 8)
	fast, err := h.Subscribe(context.Background(), 1, "fast", render)
	if err != nil {
		t.Fatal(err)
	}
	if got := received(append(slow, fast)); len(got) != 9 {
		t.Fatalf("%d of 9 subscribers had the state at once", len(got))
	}
	for seq := int64(4); seq <= 5; seq++ { // the store was read at 3
		h.Apply(joined(seq))
		want := fmt.Sprint(seq)
		var slowGot []string
		for flush := range 4 {
			h.flush()
			got := received(slow)
			if len(got) != 2 {
				t.Fatalf("seq %d, flush %d: %d slotted subscribers got a message, want 2 of 8", seq, flush, len(got))
			}
			slowGot = append(slowGot, got...)
			fastGot := received([]*Subscription{fast})
			if flush == 0 && (len(fastGot) != 1 || fastGot[0] != want) {
				t.Fatalf("seq %d: the unslotted subscriber got %q at the first flush", seq, fastGot)
			}
			if flush > 0 && len(fastGot) != 0 {
				t.Fatalf("seq %d, flush %d: nothing changed, yet the unslotted subscriber got %q", seq, flush, fastGot)
			}
		}
		for _, m := range slowGot {
			if m != want {
				t.Fatalf("seq %d: a slotted subscriber got %q", seq, m)
			}
		}
	}
	// Nothing changed: a whole round of flushes sends nothing.
	for range 4 {
		h.flush()
		if got := received(append(slow, fast)); len(got) != 0 {
			t.Fatalf("an unchanged room sent %q", got)
		}
	}
}

// A flush with many slotted subscribers wakes them in chunks spread over
// the tick, not all at once; closing the hub ends the pacing early.
func TestFlushPacesALargeRoom(t *testing.T) {
	// A long tick makes the gaps between chunks seconds long, so the test
	// sees the first chunk alone without depending on the machine's speed.
	h := manualHub(t, 40*time.Second)
	render := func(s *Snapshot) [][]byte { return [][]byte{fmt.Appendf(nil, "%d", s.Seq)} }
	// Two slots of three chunks each: the first flush serves slot 0.
	var subs, later []*Subscription
	for i := range 6 * paceChunk {
		s, err := h.SubscribeEvery(context.Background(), 1, "slow", Viewer{}, render, 80*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		<-s.C
		if i%2 == 0 {
			subs = append(subs, s)
		} else {
			later = append(later, s)
		}
	}
	h.Apply(joined(9))
	flushed := make(chan struct{})
	go func() {
		h.flush()
		close(flushed)
	}()
	// The first chunk arrives; the rest waits for its turn (8 s apart).
	var first *Subscription
	for first == nil {
		for _, s := range subs {
			if len(s.C) > 0 {
				first = s
				break
			}
		}
		time.Sleep(time.Millisecond)
	}
	waiting := 0
	for _, s := range subs {
		if len(s.C) > 0 {
			if m := string((<-s.C)[0]); m != "9" {
				t.Fatalf("got %q, want 9", m)
			}
		} else {
			waiting++
		}
	}
	if waiting < len(subs)-paceChunk {
		t.Fatalf("%d of %d subscribers were offered at once, want at most a chunk of %d", len(subs)-waiting, len(subs), paceChunk)
	}
	if got := received(later); len(got) != 0 {
		t.Fatalf("%d subscribers of the other slot got a message", len(got))
	}
	h.Close()
	<-flushed
	for _, s := range append(subs, later...) {
		for range s.C { // drain: C must be closed
		}
	}
}

// A change that does not alter a view's bytes (results hidden from
// participants, say) wakes none of its subscribers; one that does, wakes
// them all, each at its turn.
func TestUnchangedViewWakesNobody(t *testing.T) {
	h := manualHub(t, time.Second/4)
	text := "same"
	render := func(*Snapshot) [][]byte { return [][]byte{[]byte(text)} }
	fast, err := h.Subscribe(context.Background(), 1, "fast", render)
	if err != nil {
		t.Fatal(err)
	}
	slow := subscribeSlow(t, h, render, 4)
	all := append([]*Subscription{fast}, slow...)
	received(all)              // the first messages
	seq := int64(3)            // the store was read at 3
	round := func() []string { // a change, then a flush for every slot
		seq++
		h.Apply(joined(seq))
		var got []string
		for range 4 {
			h.flush()
			got = append(got, received(all)...)
		}
		return got
	}
	// The hub cannot know that the first messages had these bytes: once.
	if got := round(); len(got) != 5 {
		t.Fatalf("first round: %d messages, want one each (5)", len(got))
	}
	if got := round(); len(got) != 0 {
		t.Fatalf("a change with the same bytes woke subscribers: %q", got)
	}
	text = "changed"
	got := round()
	if len(got) != 5 {
		t.Fatalf("a change of the bytes reached %d of 5 subscribers", len(got))
	}
	for _, m := range got {
		if m != "changed" {
			t.Fatalf("got %q", m)
		}
	}
}

// A facilitator's change (WorkshopChanged) reaches every subscriber at the
// next flush, slot or not: phones follow "voting is open" at once.
func TestFacilitatorChangeReachesEveryoneAtOnce(t *testing.T) {
	h, src := manualHubSource(t, time.Second/4)
	render := func(s *Snapshot) [][]byte { return [][]byte{[]byte(s.Workshop.State)} }
	slow := subscribeSlow(t, h, render, 8)
	received(slow)
	closed := *testWorkshop()
	closed.State, closed.Seq = workshop.StateClosed, closed.Seq+1
	src.set(&closed, testTally()) // the store learns a change before the hub hears it
	h.Apply([]workshop.Event{workshop.WorkshopChanged{EventHead: head(closed.Seq)}})
	h.flush()
	got := received(slow)
	if len(got) != 8 {
		t.Fatalf("%d of 8 subscribers got the facilitator's change at the next flush", len(got))
	}
	for _, m := range got {
		if m != string(workshop.StateClosed) {
			t.Fatalf("got %q", m)
		}
	}
	// Once everyone has it, the room is settled until the next change.
	for range 4 {
		h.flush()
	}
	if got := received(slow); len(got) != 0 {
		t.Fatalf("a settled room sent %q", got)
	}
	r := slow[0].room
	r.mu.Lock()
	settled := r.settled == r.version
	r.mu.Unlock()
	if !settled {
		t.Fatal("the room is not settled after every subscriber got its state")
	}
}

// A kind of view's last rendering is kept while it has subscribers and
// goes with the last of them, so kinds that come and go (one per address
// a projector used) do not pile up.
func TestLastRenderingGoesWithLastSubscriber(t *testing.T) {
	h := manualHub(t, time.Second/4)
	render := func(s *Snapshot) [][]byte { return [][]byte{fmt.Appendf(nil, "%d", s.Seq)} }
	a, _ := h.Subscribe(context.Background(), 1, "k1", render)
	b, _ := h.Subscribe(context.Background(), 1, "k1", render)
	c, _ := h.Subscribe(context.Background(), 1, "k2", render)
	h.Apply(joined(9))
	h.flush()
	r := a.room
	count := func() int {
		r.mu.Lock()
		defer r.mu.Unlock()
		return len(r.sent)
	}
	if n := count(); n != 2 {
		t.Fatalf("%d renderings kept, want 2", n)
	}
	a.Close()
	if n := count(); n != 2 {
		t.Fatalf("after one of two subscribers left: %d renderings, want 2", n)
	}
	b.Close()
	c.Close()
	if n := count(); n != 0 {
		t.Fatalf("after every subscriber left: %d renderings kept", n)
	}
}
