package main

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	_ "github.com/jackc/pgx/v5/stdlib" // … or the servers' PostgreSQL database
	_ "github.com/mattn/go-sqlite3"    // the --db check reads the server's file

	"foresight/internal/store"
)

// Answers are int32 in the model; two values no scale uses stand for
// "don't know" and for no answer at all.
const (
	dontKnowValue int32 = math.MinInt32
	noValue       int32 = math.MinInt32 + 1
)

// model is what the generator knows the server holds: for every
// participant x item, the value of the acknowledged rating with the highest
// seq (the server's commit order), and the values of ratings whose outcome
// is unknown (no answer: they may or may not have been stored).
type model struct {
	mu     sync.Mutex
	items  int
	cells  []cell
	firsts int // first ratings scheduled so far; the scheduler's own
}

type cell struct {
	sentAny bool
	last    int32 // the last value sent, so a change picks another
	ackSeq  int64
	ackVal  int32
	unsure  []int32
}

func newModel(participants, items int) *model {
	return &model{items: items, cells: make([]cell, participants*items)}
}

func (m *model) cell(p, it int) *cell { return &m.cells[p*m.items+it] }

func (m *model) sent(r rating) {
	m.mu.Lock()
	c := m.cell(r.p, r.it)
	c.sentAny, c.last = true, r.v
	m.mu.Unlock()
}

func (m *model) last(p, it int) int32 {
	m.mu.Lock()
	defer m.mu.Unlock()
	if c := m.cell(p, it); c.sentAny {
		return c.last
	}
	return noValue
}

// ack records an acknowledged rating. Seqs order commits; an unchanged
// answer is acknowledged with the seq current at its turn, which ties only
// with a commit of the same value.
func (m *model) ack(r rating, seq int64) {
	m.mu.Lock()
	if c := m.cell(r.p, r.it); seq >= c.ackSeq {
		c.ackSeq, c.ackVal = seq, r.v
	}
	m.mu.Unlock()
}

func (m *model) unsure(r rating) {
	m.mu.Lock()
	c := m.cell(r.p, r.it)
	c.unsure = append(c.unsure, r.v)
	m.mu.Unlock()
}

// itemValue is one bar of one item's histogram ("don't know" included).
type itemValue struct {
	it int
	v  int32
}

// bounds are what the server may hold, per item: the bars that are
// certain (what was there before, plus every acknowledged answer with no
// unanswered request after it), and the participants whose requests got no
// answer, grouped by the set of answers they may have left (noValue: none).
type bounds struct {
	certain        []map[int32]int64
	unsure         []map[string]*unsureGroup
	acked, unknown int
}

type unsureGroup struct {
	vals []int32 // sorted; noValue may be among them
	n    int64
}

func (b bounds) lo(it int, v int32) int64 { return b.certain[it][v] }

func (b bounds) hi(it int, v int32) int64 {
	n := b.certain[it][v]
	for _, g := range b.unsure[it] {
		if slices.Contains(g.vals, v) {
			n += g.n
		}
	}
	return n
}

// bounds are what room rm may hold, from what it held before.
func (ld *load) bounds(rm *room, before map[itemValue]int64) bounds {
	m := ld.model
	m.mu.Lock()
	defer m.mu.Unlock()
	b := bounds{certain: make([]map[int32]int64, len(rm.items)), unsure: make([]map[string]*unsureGroup, len(rm.items))}
	for it := range rm.items {
		b.certain[it], b.unsure[it] = map[int32]int64{}, map[string]*unsureGroup{}
	}
	for k, n := range before {
		if k.it >= 0 {
			b.certain[k.it][k.v] += n
		}
	}
	for _, part := range rm.parts {
		for it := range len(rm.items) {
			c := m.cell(part.pos, it)
			if !c.sentAny {
				continue
			}
			final := noValue
			if c.ackSeq > 0 {
				final = c.ackVal
				b.acked++
			}
			if len(c.unsure) == 0 {
				if final != noValue {
					b.certain[it][final]++
				}
				continue
			}
			b.unknown++
			vals := append([]int32{final}, c.unsure...)
			slices.Sort(vals)
			vals = slices.Compact(vals)
			key := fmt.Sprint(vals)
			g := b.unsure[it][key]
			if g == nil {
				g = &unsureGroup{vals: vals}
				b.unsure[it][key] = g
			}
			g.n++
		}
	}
	return b
}

// compare lists where got cannot be what the server holds: a bar outside
// its bounds or, when every bar is within them, an item whose histogram no
// outcome of the unanswered requests explains.
func (ld *load) compare(rm *room, b bounds, got map[itemValue]int64, where string) []string {
	if len(ld.rooms) > 1 {
		where = rm.code + " " + where
	}
	var problems []string
	perItem := make([]map[int32]int64, len(rm.items))
	for it := range perItem {
		perItem[it] = map[int32]int64{}
	}
	for k, n := range got {
		if k.it < 0 {
			problems = append(problems, fmt.Sprintf("%s: %d answers to an item the workshop does not have", where, n))
			continue
		}
		perItem[k.it][k.v] += n
	}
	for it := range rm.items {
		vals := map[int32]bool{}
		for v := range perItem[it] {
			vals[v] = true
		}
		for v := range b.certain[it] {
			vals[v] = true
		}
		for _, g := range b.unsure[it] {
			for _, v := range g.vals {
				if v != noValue {
					vals[v] = true
				}
			}
		}
		sorted := make([]int32, 0, len(vals))
		for v := range vals {
			sorted = append(sorted, v)
		}
		slices.Sort(sorted)
		bad := false
		for _, v := range sorted {
			g, lo, hi := perItem[it][v], b.lo(it, v), b.hi(it, v)
			if g < lo || g > hi {
				bad = true
				problems = append(problems, fmt.Sprintf("%s: %s = %s: %d, want %s", where, rm.itemName(it), valueName(v), g, rangeText(lo, hi)))
			}
		}
		if !bad && !feasible(b.certain[it], b.unsure[it], perItem[it]) {
			problems = append(problems, fmt.Sprintf("%s: %s: no outcome of the unanswered requests gives the histogram %v", where, rm.itemName(it), perItem[it]))
		}
	}
	return problems
}

// feasible reports whether the participants with unanswered requests can
// each be given one of their possible answers (or none, where that is
// possible) so that, with the certain answers, the bars come to got. It is
// a transportation problem, solved as a maximum flow: source -> group
// (its size) -> each answer it allows -> bar (what the bar lacks) -> sink,
// with "no answer" as one more bar that takes whatever is left.
func feasible(certain map[int32]int64, unsure map[string]*unsureGroup, got map[int32]int64) bool {
	demand := map[int32]int64{}
	var need int64
	for v, n := range got {
		d := n - certain[v]
		if d < 0 {
			return false
		}
		if d > 0 {
			demand[v] = d
			need += d
		}
	}
	for v, n := range certain {
		if got[v] < n {
			return false
		}
	}
	var supply int64
	groups := make([]*unsureGroup, 0, len(unsure))
	for _, g := range unsure {
		groups = append(groups, g)
		supply += g.n
	}
	if need > supply {
		return false
	}
	if supply == 0 {
		return need == 0
	}
	bars := make([]int32, 0, len(demand))
	for v := range demand {
		bars = append(bars, v)
	}
	// Nodes: 0 source, then groups, then bars, then "no answer", then sink.
	nG, nB := len(groups), len(bars)
	absent, sink := 1+nG+nB, 2+nG+nB
	f := newFlow(sink + 1)
	for i, g := range groups {
		f.add(0, 1+i, g.n)
		for j, v := range bars {
			if slices.Contains(g.vals, v) {
				f.add(1+i, 1+nG+j, g.n)
			}
		}
		if slices.Contains(g.vals, noValue) {
			f.add(1+i, absent, g.n)
		}
	}
	for j, v := range bars {
		f.add(1+nG+j, sink, demand[v])
	}
	f.add(absent, sink, supply-need)
	return f.max(0, sink) == supply
}

// flow is a small graph for Edmonds-Karp: capacities in a matrix.
type flow struct {
	n   int
	cap [][]int64
}

func newFlow(n int) *flow {
	f := &flow{n: n, cap: make([][]int64, n)}
	for i := range f.cap {
		f.cap[i] = make([]int64, n)
	}
	return f
}

func (f *flow) add(a, b int, c int64) { f.cap[a][b] += c }

// max returns the maximum flow from s to t (augmenting along shortest
// paths; the graph has a few dozen nodes at most).
func (f *flow) max(s, t int) int64 {
	var total int64
	for {
		prev := make([]int, f.n)
		for i := range prev {
			prev[i] = -1
		}
		prev[s] = s
		queue := []int{s}
		for len(queue) > 0 && prev[t] < 0 {
			a := queue[0]
			queue = queue[1:]
			for b := range f.n {
				if prev[b] < 0 && f.cap[a][b] > 0 {
					prev[b] = a
					queue = append(queue, b)
				}
			}
		}
		if prev[t] < 0 {
			return total
		}
		push := int64(math.MaxInt64)
		for b := t; b != s; b = prev[b] {
			push = min(push, f.cap[prev[b]][b])
		}
		for b := t; b != s; b = prev[b] {
			f.cap[prev[b]][b] -= push
			f.cap[b][prev[b]] += push
		}
		total += push
	}
}

func rangeText(lo, hi int64) string {
	if lo == hi {
		return strconv.FormatInt(lo, 10)
	}
	return fmt.Sprintf("%d to %d", lo, hi)
}

func (rm *room) itemName(it int) string {
	if it < 0 || it >= len(rm.items) {
		return "an unknown item"
	}
	i := rm.items[it]
	return fmt.Sprintf("scenario %d x criterion %d", i.scenario, i.criterion)
}

func valueName(v int32) string {
	if v == dontKnowValue {
		return `"don't know"`
	}
	return strconv.Itoa(int(v))
}

// itemIndex maps scenario x criterion to the item's index, -1 if unknown.
func (rm *room) itemIndex(scenario, criterion int64) int {
	for i, it := range rm.items {
		if it.scenario == scenario && it.criterion == criterion {
			return i
		}
	}
	return -1
}

// histograms turns an API answer into bars.
func (rm *room) histograms(res apiResults) map[itemValue]int64 {
	out := map[itemValue]int64{}
	for _, item := range res.Items {
		it := rm.itemIndex(item.ScenarioID, item.CriterionID)
		for k, n := range item.Histogram {
			v, err := strconv.Atoi(k)
			if err != nil || n == 0 {
				continue
			}
			out[itemValue{it, int32(v)}] += n
		}
		if item.DontKnow > 0 {
			out[itemValue{it, dontKnowValue}] += item.DontKnow
		}
	}
	return out
}

// check compares the results the server shows with what was acknowledged:
// every acknowledged rating counted exactly once, every participant who
// joined counted.
func (ld *load) check(rm *room, before, after apiResults) CheckReport {
	b := ld.bounds(rm, rm.histograms(before))
	r := CheckReport{Items: len(rm.items), Acknowledged: b.acked, Unknown: b.unknown}
	if after.Round != before.Round {
		r.Problems = append(r.Problems, fmt.Sprintf("%s: the round changed during the run (%d to %d): nothing to compare", rm.code, before.Round, after.Round))
	} else {
		r.Problems = append(r.Problems, ld.compare(rm, b, rm.histograms(after), "results")...)
	}
	wantLo := before.Joined + len(rm.parts)
	wantHi := wantLo + int(rm.joinUnsure.Load())
	r.Joined = after.Joined
	r.JoinedWant = rangeText(int64(wantLo), int64(wantHi))
	if after.Joined < wantLo || after.Joined > wantHi {
		r.Problems = append(r.Problems, fmt.Sprintf("%s: joined = %d, want %s", rm.code, after.Joined, r.JoinedWant))
	}
	r.OK = len(r.Problems) == 0
	return r
}

// readStored counts the ratings of room rm's current round in the
// server's database (a file, read-only, or a PostgreSQL URL, in a read-only
// transaction): what is stored, not what is in memory.
func (ld *load) readStored(ctx context.Context, rm *room) (map[itemValue]int64, error) {
	query := `SELECT r.scenario_id, r.criterion_id, r.value, count(*)
		FROM ratings r JOIN workshops w ON w.id = r.workshop_id AND r.round = w.round
		WHERE w.code = ? GROUP BY r.scenario_id, r.criterion_id, r.value`
	var db *sql.DB
	var err error
	if store.IsPostgresURL(ld.cfg.db) {
		db, err = sql.Open("pgx", ld.cfg.db)
		query = strings.Replace(query, "?", "$1", 1)
	} else {
		q := url.Values{"mode": {"ro"}, "_busy_timeout": {"5000"}}
		db, err = sql.Open("sqlite3", "file:"+ld.cfg.db+"?"+q.Encode())
	}
	if err != nil {
		return nil, err
	}
	defer db.Close()
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, query, rm.code)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[itemValue]int64{}
	for rows.Next() {
		var s, c, n int64
		var v sql.NullInt64
		if err := rows.Scan(&s, &c, &v, &n); err != nil {
			return nil, err
		}
		k := itemValue{rm.itemIndex(s, c), dontKnowValue}
		if v.Valid {
			k.v = int32(v.Int64)
		}
		out[k] += n
	}
	return out, rows.Err()
}

// checkStored adds the comparison with the database file to r.
func (ld *load) checkStored(rm *room, r *CheckReport, before, after map[itemValue]int64) {
	b := ld.bounds(rm, before)
	problems := ld.compare(rm, b, after, "database")
	r.Disk = "ok"
	if len(problems) > 0 {
		r.Disk = fmt.Sprintf("%d problems", len(problems))
	}
	r.Problems = append(r.Problems, problems...)
	r.OK = len(r.Problems) == 0
}

// checkRooms checks every room (checkRoom) and sums the checks: the run's
// check passes when every room's does.
func (ld *load) checkRooms(ctx context.Context) ([]RoomReport, CheckReport) {
	var rooms []RoomReport
	sum := CheckReport{OK: true}
	var lo, hi, diskBad int
	for _, rm := range ld.rooms {
		c := ld.checkRoom(ctx, rm)
		rooms = append(rooms, RoomReport{Code: rm.code, Attempted: rm.attempted, Joined: len(rm.parts), Check: c})
		if c.Skipped != "" {
			sum.Skipped = c.Skipped
		}
		sum.OK = sum.OK && c.OK
		sum.Items = c.Items
		sum.Acknowledged += c.Acknowledged
		sum.Unknown += c.Unknown
		sum.Joined += c.Joined
		sum.Problems = append(sum.Problems, c.Problems...)
		if rm.baseline != nil {
			lo += rm.baseline.Joined + len(rm.parts)
			hi += rm.baseline.Joined + len(rm.parts) + int(rm.joinUnsure.Load())
		}
		switch {
		case c.Disk == "":
		case c.Disk != "ok":
			diskBad++
			fallthrough
		default:
			sum.Disk = "ok"
		}
	}
	if diskBad > 0 {
		sum.Disk = fmt.Sprintf("problems in %d rooms", diskBad)
	}
	if len(ld.rooms) == 1 {
		return rooms, rooms[0].Check
	}
	sum.JoinedWant = rangeText(int64(lo), int64(hi))
	return rooms, sum
}

// checkRoom compares room rm's results (and with --db, what is stored)
// with what was acknowledged.
func (ld *load) checkRoom(ctx context.Context, rm *room) CheckReport {
	var r CheckReport
	if ld.facCookie != "" && ld.model != nil && rm.baseline != nil {
		final, err := ld.results(ctx, rm)
		if err != nil {
			r.Problems = append(r.Problems, rm.code+": results after the run: "+err.Error())
		} else {
			r = ld.check(rm, *rm.baseline, final)
		}
	} else {
		r.Skipped = "no facilitator session: the results were not checked"
		r.OK = true
	}
	if rm.dbBaseline != nil && ld.model != nil {
		stored, err := ld.readStored(ctx, rm)
		if err != nil {
			r.Problems = append(r.Problems, rm.code+": --db after the run: "+err.Error())
			r.OK = false
		} else {
			ld.checkStored(rm, &r, rm.dbBaseline, stored)
		}
	}
	return r
}
