package store

import (
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"strings"
	"testing"
	"time"

	"foresight/internal/workshop"
)

// A batch's events are split over notifications under PostgreSQL's limit
// of 8,000 bytes, and read back exactly; an event too large for one goes
// as a recount of its workshop.
func TestNotificationsSplitAndRoundTrip(t *testing.T) {
	var events []workshop.Event
	for i := range 400 {
		old := &workshop.Answer{Value: i % 5}
		events = append(events, workshop.RatingChanged{EventHead: workshop.EventHead{WorkshopID: 7, Seq: int64(100 + i)},
			Round: 2, ParticipantID: int64(i), GroupID: 3, ScenarioID: 11, CriterionID: 12, Old: old, New: &workshop.Answer{DontKnow: true}})
	}
	reason := workshop.ReasonChanged{EventHead: workshop.EventHead{WorkshopID: 7, Seq: 600}, Rationale: workshop.Rationale{
		ID: 9, Round: 2, ParticipantID: 4, ScenarioID: 11, Text: strings.Repeat("żółć \"≥\" ", 100),
		UpdatedAt: time.Date(2026, 12, 4, 12, 0, 0, 5, time.UTC), Pseudonym: "P-ABCDE", DisplayName: "Ala"}}
	events = append(events, reason,
		workshop.ParticipantJoined{EventHead: workshop.EventHead{WorkshopID: 7, Seq: 601}, ParticipantID: 5, GroupID: 2},
		workshop.WorkshopChanged{EventHead: workshop.EventHead{WorkshopID: 7, Seq: 602}},
		workshop.RecountNeeded{EventHead: workshop.EventHead{WorkshopID: 7, Seq: 603}},
		workshop.WorkshopDeleted{EventHead: workshop.EventHead{WorkshopID: 7, Seq: 604}})
	const instance = "0123456789abcdef"
	msgs, err := notifications(instance, events)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) < 5 {
		t.Fatalf("%d notifications for %d events: not split", len(msgs), len(events))
	}
	var back []workshop.Event
	for _, m := range msgs {
		if len(m) >= 8000 {
			t.Fatalf("a notification of %d bytes: PostgreSQL takes fewer than 8,000", len(m))
		}
		inst, body, _ := strings.Cut(m, " ")
		if inst != instance {
			t.Fatalf("notification from %q, want %q", inst, instance)
		}
		evs, err := decodeEvents(body)
		if err != nil {
			t.Fatal(err)
		}
		back = append(back, evs...)
	}
	if !reflect.DeepEqual(back, events) {
		t.Fatalf("events read back differ:\n%+v\nwant\n%+v", back[len(back)-6:], events[len(events)-6:])
	}

	huge := reason
	huge.Rationale.Text = strings.Repeat("\u0000", 1500) // 6 bytes each in JSON: more than a reason may hold
	msgs, err = notifications(instance, []workshop.Event{huge})
	if err != nil {
		t.Fatal(err)
	}
	_, body, _ := strings.Cut(msgs[0], " ")
	if got, err := decodeEvents(body); err != nil || !reflect.DeepEqual(got, []workshop.Event{workshop.RecountNeeded{EventHead: huge.EventHead}}) {
		t.Fatalf("an event too large for a notification: %+v, %v; want a recount", got, err)
	}
}

// TestEveryEventTravels reads the domain's events and fails on one that
// has no wire form (but StoreChanged, which travels as the notification
// "changed"): a write that announced it would fail on PostgreSQL. Each
// kind goes and comes back whole.
func TestEveryEventTravels(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "../workshop/events.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, w := range wireKinds {
		known[w.typ.Name()] = true
	}
	events := 0
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok {
			continue
		}
		for _, spec := range gd.Specs {
			ts, ok := spec.(*ast.TypeSpec)
			if !ok {
				continue
			}
			st, ok := ts.Type.(*ast.StructType)
			if !ok || len(st.Fields.List) == 0 || len(st.Fields.List[0].Names) != 0 {
				continue
			}
			if id, ok := st.Fields.List[0].Type.(*ast.Ident); !ok || id.Name != "EventHead" || ts.Name.Name == "StoreChanged" {
				continue
			}
			events++
			if !known[ts.Name.Name] {
				t.Errorf("workshop.%s has no wire form in wireKinds", ts.Name.Name)
			}
		}
	}
	if events < len(wireKinds) {
		t.Fatalf("found %d event types in events.go, fewer than the %d wire kinds", events, len(wireKinds))
	}
	sent := []workshop.Event{
		workshop.ParticipantRemoved{EventHead: workshop.EventHead{WorkshopID: 3, Seq: 9}, ParticipantID: 4},
		workshop.AccountChanged{UserID: 5}, workshop.SessionsEnded{UserID: 6}, workshop.SessionRecorded{UserID: 7},
		workshop.LinkCreated{}, workshop.DeckChanged{DeckID: 8}, workshop.KeysCreated{},
	}
	msgs, err := notifications("i", sent)
	if err != nil {
		t.Fatal(err)
	}
	var back []workshop.Event
	for _, m := range msgs {
		_, body, _ := strings.Cut(m, " ")
		evs, err := decodeEvents(body)
		if err != nil {
			t.Fatal(err)
		}
		back = append(back, evs...)
	}
	if !reflect.DeepEqual(back, sent) {
		t.Fatalf("came back %#v, want %#v", back, sent)
	}
}
