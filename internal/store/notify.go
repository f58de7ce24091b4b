package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"foresight/internal/workshop"
)

// On PostgreSQL, several servers share the database, and each learns the
// others' commits through LISTEN/NOTIFY, as a server on SQLite learns the
// command line's through data_version (events.go).
//
// A write transaction sends its events with pg_notify before its COMMIT.
// PostgreSQL delivers them when, and only if, the transaction commits, in
// commit order, to every listening connection: no event of a committed
// change is lost, even if the server that wrote it dies just after. Each
// server listens on a connection of its own, skips its own notifications
// (it published those after its COMMIT), and hands the others' to its
// cache and its subscribers in the order they arrive. Every write announces
// what it changed (accounts, sessions and decks too), so the others react
// only where an event concerns them; a write that changed rows and
// announced nothing would send "changed", which makes the others empty
// their caches and recheck every viewer, as for another process's commit
// on SQLite. When the listening connection
// drops, notifications are missed until it is back: on reconnecting, the
// server reads everything again (StoreChanged).
//
// The order of events of different servers may differ from their seq
// order as it reaches a server. That is harmless: a view applies each
// event once, and only those newer than what it read (workshop/events.go).

// notifyChannel is the channel of Foresight's notifications.
const notifyChannel = "foresight"

// maxNotification keeps a notification under PostgreSQL's limit of 8,000
// bytes; a transaction's events are split over as many as they need.
const maxNotification = 7_800

// wireEvent is one event in a notification: its kind and its fields.
type wireEvent struct {
	Kind  string          `json:"k"`
	Event json.RawMessage `json:"e"`
}

// wireKind is how one type of event travels: its name on the wire, and
// how to read it back.
type wireKind struct {
	kind   string
	typ    reflect.Type
	decode func(json.RawMessage) (workshop.Event, error)
}

func wire[E workshop.Event](kind string) wireKind {
	return wireKind{kind: kind, typ: reflect.TypeFor[E](), decode: decodeAs[E]}
}

// wireKinds are every type of event, each once; TestEveryEventTravels
// checks that none is missing.
var wireKinds = []wireKind{
	wire[workshop.RatingChanged]("rating"),
	wire[workshop.ReasonChanged]("reason"),
	wire[workshop.JudgementChanged]("judgement"),
	wire[workshop.ParticipantJoined]("joined"),
	wire[workshop.IdeasChanged]("ideas"),
	wire[workshop.WorkshopChanged]("workshop"),
	wire[workshop.RecountNeeded]("recount"),
	wire[workshop.ParticipantRemoved]("removed"),
	wire[workshop.WorkshopDeleted]("deleted"),
	wire[workshop.AccountChanged]("account"),
	wire[workshop.SessionsEnded]("sessions-ended"),
	wire[workshop.SessionRecorded]("session"),
	wire[workshop.LinkCreated]("link"),
	wire[workshop.DeckChanged]("deck"),
	wire[workshop.KeysCreated]("keys"),
}

// wireByKind and wireByType find an entry of wireKinds.
var wireByKind, wireByType = func() (map[string]wireKind, map[reflect.Type]wireKind) {
	byKind, byType := map[string]wireKind{}, map[reflect.Type]wireKind{}
	for _, w := range wireKinds {
		byKind[w.kind], byType[w.typ] = w, w
	}
	return byKind, byType
}()

// storeChanged is a whole notification: see above.
const storeChanged = "changed"

func encodeEvent(ev workshop.Event) ([]byte, error) {
	w, ok := wireByType[reflect.TypeOf(ev)]
	if !ok {
		return nil, fmt.Errorf("no wire form for %T", ev)
	}
	body, err := json.Marshal(ev)
	if err != nil {
		return nil, err
	}
	return json.Marshal(wireEvent{Kind: w.kind, Event: body})
}

func decodeEvents(payload string) ([]workshop.Event, error) {
	var wire []wireEvent
	if err := json.Unmarshal([]byte(payload), &wire); err != nil {
		return nil, err
	}
	events := make([]workshop.Event, 0, len(wire))
	for _, w := range wire {
		kind, ok := wireByKind[w.Kind]
		if !ok {
			return nil, fmt.Errorf("unknown event kind %q", w.Kind)
		}
		ev, err := kind.decode(w.Event)
		if err != nil {
			return nil, err
		}
		events = append(events, ev)
	}
	return events, nil
}

func decodeAs[E workshop.Event](body json.RawMessage) (workshop.Event, error) {
	var ev E
	err := json.Unmarshal(body, &ev)
	return ev, err
}

// notifications are the payloads that tell the other servers of events:
// "INSTANCE [event, …]", as many as the events need. An event too large
// for one notification goes as a recount of its workshop.
func notifications(instance string, events []workshop.Event) ([]string, error) {
	var out []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			b.WriteByte(']')
			out = append(out, b.String())
			b.Reset()
		}
	}
	for _, ev := range events {
		one, err := encodeEvent(ev)
		if err != nil {
			return nil, err
		}
		if len(instance)+len(one)+3 > maxNotification {
			if one, err = encodeEvent(workshop.RecountNeeded{EventHead: ev.Head()}); err != nil {
				return nil, err
			}
		}
		if b.Len() > 0 && b.Len()+len(one)+2 > maxNotification {
			flush()
		}
		if b.Len() == 0 {
			b.WriteString(instance)
			b.WriteString(" [")
		} else {
			b.WriteByte(',')
		}
		b.Write(one)
	}
	flush()
	return out, nil
}

// notify sends tx's events to the other servers (see above); they arrive
// only if the COMMIT succeeds.
func (pg *postgresDialect) notify(tx *Tx) error {
	if len(tx.events) == 0 {
		// Rows written without events, or nothing written at all (a
		// rating saved again with the same value): only the first
		// concerns the others.
		var wrote bool
		if err := tx.QueryRow(`SELECT pg_current_xact_id_if_assigned() IS NOT NULL`).Scan(&wrote); err != nil || !wrote {
			return err
		}
		_, err := tx.Exec(`SELECT pg_notify($1, $2)`, notifyChannel, pg.instance+" "+storeChanged)
		return err
	}
	msgs, err := notifications(pg.instance, tx.events)
	if err != nil {
		return err
	}
	for _, m := range msgs {
		if _, err := tx.Exec(`SELECT pg_notify($1, $2)`, notifyChannel, m); err != nil {
			return err
		}
	}
	return nil
}

// newInstance names this server among those that share the database.
func newInstance() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// listen receives the other servers' notifications until ctx ends,
// reconnecting with a growing pause when the connection drops. ready is
// closed after the first attempt to listen, whether it worked or not.
func (pg *postgresDialect) listen(ctx context.Context, d *DB, log *slog.Logger, ready chan<- struct{}) {
	pause := 250 * time.Millisecond
	isReady := false
	markReady := func() {
		if !isReady {
			isReady = true
			close(ready)
		}
	}
	for first := true; ctx.Err() == nil; first = false {
		err := pg.listenOnce(ctx, d, log, !first, func() {
			pause = 250 * time.Millisecond
			markReady()
		})
		markReady() // the first attempt failed: say so, and keep trying
		if ctx.Err() != nil {
			return
		}
		log.Error("listen for the other servers' changes", "err", err, "retry_in", pause)
		select {
		case <-ctx.Done():
			return
		case <-time.After(pause):
		}
		pause = min(2*pause, 5*time.Second)
	}
}

// listenerName is the application_name of the listening connection, as
// pg_stat_activity shows it.
const listenerName = "foresight listener"

// listenOnce connects, listens and hands on notifications until the
// connection fails. After a reconnection it first has everything read
// again: notifications sent meanwhile are lost. listening is called once
// LISTEN took effect.
func (pg *postgresDialect) listenOnce(ctx context.Context, d *DB, log *slog.Logger, reconnected bool, listening func()) error {
	cfg := pg.cfg.Copy()
	cfg.RuntimeParams["application_name"] = listenerName
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+notifyChannel); err != nil {
		return err
	}
	listening()
	if reconnected {
		log.Info("listening again for the other servers' changes: reading everything again")
		d.otherWriterCommitted()
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		pg.received(d, n.Payload, log)
	}
}

// received hands on one notification of another server.
func (pg *postgresDialect) received(d *DB, payload string, log *slog.Logger) {
	instance, body, _ := strings.Cut(payload, " ")
	if instance == pg.instance {
		return // this server's own: published after its COMMIT
	}
	if body == storeChanged {
		d.otherWriterCommitted()
		return
	}
	events, err := decodeEvents(body)
	if err != nil {
		log.Error("a notification that cannot be read: reading everything again", "err", err)
		d.otherWriterCommitted()
		return
	}
	c := d.workshops()
	c.commitMu.Lock()
	defer c.commitMu.Unlock()
	c.learnRemote(events)
	d.publish(events)
}
