package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// Many rooms at once (--rooms N): the workshop of --code is the first
// room, and the generator makes the others as a facilitator would, by
// copying it (POST /workshops/{code}/copy) and opening the copy's first
// round. Participant i goes to room i mod N; the participants of a room
// are spread over the servers, and every room has its own projector
// streams, its own vote-to-screen figures and its own results check.

// room is one workshop of the run.
type room struct {
	idx   int
	code  string
	ws    apiWorkshop
	items []itemInfo

	parts      []*participant // those who joined
	projectors []*projector

	baseline   *apiResults         // results before the run
	dbBaseline map[itemValue]int64 // stored before the run, with --db
	joinUnsure atomic.Int64        // joins without an answer: maybe stored
	attempted  int                 // joins attempted
}

// setupRooms reads the first room and makes and opens the others.
func (ld *load) setupRooms(ctx context.Context) error {
	codes := []string{ld.cfg.code}
	if ld.cfg.rooms > 1 {
		if ld.facCookie == "" {
			return errors.New("--rooms needs a facilitator (--email or --session): the generator copies the workshop")
		}
		ld.logf("making %d more workshops: copies of %s, opened", ld.cfg.rooms-1, ld.cfg.code)
		for range ld.cfg.rooms - 1 {
			code, err := ld.copyWorkshop(ctx, ld.cfg.code)
			if err != nil {
				return err
			}
			codes = append(codes, code)
		}
	}
	for i, code := range codes {
		rm := &room{idx: i, code: code}
		if err := ld.loadWorkshop(ctx, rm); err != nil {
			return err
		}
		if i > 0 && !sameScales(ld.rooms[0].items, rm.items) {
			return fmt.Errorf("workshop %s does not have the items of %s", code, codes[0])
		}
		ld.rooms = append(ld.rooms, rm)
	}
	ld.items = ld.rooms[0].items
	return nil
}

// copyWorkshop copies workshop code as its facilitator and opens the
// copy's first round; it returns the copy's code.
func (ld *load) copyWorkshop(ctx context.Context, code string) (string, error) {
	t := ld.targets[0]
	resp, err := t.do(ctx, 0, "POST", "/workshops/"+code+"/copy", ld.facCookie, "application/x-www-form-urlencoded", []byte{})
	if err != nil {
		return "", fmt.Errorf("copy %s: %w", code, err)
	}
	loc := resp.header.Get("Location")
	rest, ok := strings.CutPrefix(loc, "/workshops/")
	if resp.status != http.StatusSeeOther || !ok {
		return "", fmt.Errorf("copy %s: status %d, Location %q", code, resp.status, loc)
	}
	copied, _, _ := strings.Cut(rest, "?")
	resp, err = t.do(ctx, 0, "POST", "/api/v1/workshops/"+copied+"/rounds", ld.facCookie, "application/json", []byte{})
	if err != nil {
		return "", fmt.Errorf("open %s: %w", copied, err)
	}
	if resp.status != http.StatusOK {
		return "", fmt.Errorf("open %s: status %d: %.200s", copied, resp.status, resp.body)
	}
	return copied, nil
}

// sameScales reports whether two rooms have the same items, scale by
// scale: the ratings are drawn once for all rooms.
func sameScales(a, b []itemInfo) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.min != y.min || x.max != y.max || x.step != y.step || x.dontKnow != y.dontKnow {
			return false
		}
	}
	return true
}

// roomOf places participant i (of n in all) in room i mod N.
func (ld *load) roomOf(i int) *room { return ld.rooms[i%len(ld.rooms)] }

// RoomReport is one room's part of the run: who joined, and its check.
type RoomReport struct {
	Code      string      `json:"code"`
	Attempted int         `json:"joins_attempted"`
	Joined    int         `json:"joined"`
	Check     CheckReport `json:"check"`
}

// RoomPhase is one room's part of a rating phase: its ratings' latency to
// the ack, and the time from an ack to the room's projector.
type RoomPhase struct {
	Code         string         `json:"code"`
	Sent         int            `json:"sent"`
	OK           int            `json:"ok"`
	Errors       map[string]int `json:"errors"`
	Latency      Summary        `json:"latency"`
	VoteToScreen Summary        `json:"vote_to_screen"`
	NotOnScreen  int            `json:"not_on_screen"`
}

// roomPhase collects one room's figures during a phase.
type roomPhase struct {
	sent atomic.Int64
	lat  *recorder
	errs *counter
	acks []seqAt // guarded by the phase's acksMu
}

func newRoomPhases(n int) []*roomPhase {
	out := make([]*roomPhase, n)
	for i := range out {
		out[i] = &roomPhase{lat: newRecorder(), errs: newCounter()}
	}
	return out
}

// worstRoom is the room with the highest p99 of vote to screen, for the
// table's summary line.
func worstRoom(rs []RoomPhase, pick func(RoomPhase) Summary) (RoomPhase, bool) {
	var worst RoomPhase
	found := false
	for _, r := range rs {
		if !found || pick(r).P99 > pick(worst).P99 {
			worst, found = r, true
		}
	}
	return worst, found
}

// msText is a duration in milliseconds, for the table.
func msText(ms float64) string {
	return (time.Duration(ms * float64(time.Millisecond))).Round(100 * time.Microsecond).String()
}
