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

func (ld *load) bounds(before map[itemValue]int64) bounds {
	m := ld.model
	m.mu.Lock()
	defer m.mu.Unlock()
	b := bounds{certain: make([]map[int32]int64, len(ld.items)), unsure: make([]map[string]*unsureGroup, len(ld.items))}
	for it := range ld.items {
		b.certain[it], b.unsure[it] = map[int32]int64{}, map[string]*unsureGroup{}
	}
	for k, n := range before {
		if k.it >= 0 {
			b.certain[k.it][k.v] += n
		}
	}
	for p := range len(ld.parts) {
		for it := range len(ld.items) {
			c := m.cell(p, it)
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
func (ld *load) compare(b bounds, got map[itemValue]int64, where string) []string {
	var problems []string
	perItem := make([]map[int32]int64, len(ld.items))
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
	for it := range ld.items {
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
				problems = append(problems, fmt.Sprintf("%s: %s = %s: %d, want %s", where, ld.itemName(it), valueName(v), g, rangeText(lo, hi)))
			}
		}
		if !bad && !feasible(b.certain[it], b.unsure[it], perItem[it]) {
			problems = append(problems, fmt.Sprintf("%s: %s: no outcome of the unanswered requests gives the histogram %v", where, ld.itemName(it), perItem[it]))
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

func (ld *load) itemName(it int) string {
	if it < 0 || it >= len(ld.items) {
		return "an unknown item"
	}
	i := ld.items[it]
	return fmt.Sprintf("scenario %d x criterion %d", i.scenario, i.criterion)
}

func valueName(v int32) string {
	if v == dontKnowValue {
		return `"don't know"`
	}
	return strconv.Itoa(int(v))
}

// itemIndex maps scenario x criterion to the item's index, -1 if unknown.
func (ld *load) itemIndex(scenario, criterion int64) int {
	for i, it := range ld.items {
		if it.scenario == scenario && it.criterion == criterion {
			return i
		}
	}
	return -1
}

// histograms turns an API answer into bars.
func (ld *load) histograms(res apiResults) map[itemValue]int64 {
	out := map[itemValue]int64{}
	for _, item := range res.Items {
		it := ld.itemIndex(item.ScenarioID, item.CriterionID)
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
func (ld *load) check(before, after apiResults) CheckReport {
	b := ld.bounds(ld.histograms(before))
	r := CheckReport{Items: len(ld.items), Acknowledged: b.acked, Unknown: b.unknown}
	if after.Round != before.Round {
		r.Problems = append(r.Problems, fmt.Sprintf("the round changed during the run (%d to %d): nothing to compare", before.Round, after.Round))
	} else {
		r.Problems = append(r.Problems, ld.compare(b, ld.histograms(after), "results")...)
	}
	wantLo := before.Joined + len(ld.parts)
	wantHi := wantLo + int(ld.joinUnsure.Load())
	r.Joined = after.Joined
	r.JoinedWant = rangeText(int64(wantLo), int64(wantHi))
	if after.Joined < wantLo || after.Joined > wantHi {
		r.Problems = append(r.Problems, fmt.Sprintf("joined = %d, want %s", after.Joined, r.JoinedWant))
	}
	r.OK = len(r.Problems) == 0
	return r
}

// readStored counts the ratings of the workshop's current round in the
// server's database (a file, read-only, or a PostgreSQL URL, in a read-only
// transaction): what is stored, not what is in memory.
func (ld *load) readStored(ctx context.Context) (map[itemValue]int64, error) {
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
	rows, err := tx.QueryContext(ctx, query, ld.cfg.code)
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
		k := itemValue{ld.itemIndex(s, c), dontKnowValue}
		if v.Valid {
			k.v = int32(v.Int64)
		}
		out[k] += n
	}
	return out, rows.Err()
}

// checkStored adds the comparison with the database file to r.
func (ld *load) checkStored(r *CheckReport, before, after map[itemValue]int64) {
	b := ld.bounds(before)
	problems := ld.compare(b, after, "database")
	r.Disk = "ok"
	if len(problems) > 0 {
		r.Disk = fmt.Sprintf("%d problems", len(problems))
	}
	r.Problems = append(r.Problems, problems...)
	r.OK = len(r.Problems) == 0
}
