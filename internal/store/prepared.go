package store

import (
	"database/sql"
	"errors"
	"slices"
	"sync"
)

// preparedStmts holds statements of the hot write path (joins, ratings)
// prepared once on the writer pool. Preparing them again in every
// transaction was about a quarter of SaveRating's CPU; database/sql reuses
// a statement prepared on the transaction's connection (SQLite's writer
// pool has one; on PostgreSQL each lane's connection prepares it once, on
// first use).
type preparedStmts struct {
	mu        sync.Mutex
	m         map[string]*sql.Stmt
	closed    bool
	preparing bool // one goroutine prepares, without holding mu
}

// hotQueries are prepared on the writer before the first transaction that
// uses them: preparing needs the writer's one connection, which a running
// transaction holds.
// Each dialect adds its own (dialect.hotQueries).
var hotQueries = []string{
	qJoinWorkshop, qJoinInsert, qJoinGroups, qBumpSeq,
	qItemState, qItemScenario, qItemCriterion, qDeleteRating, qSetSeq,
	qSavepoint, qRelease, qRollbackTo,
}

// prepareHot prepares the hot queries once. Call it outside a transaction.
// A failure is not fatal: unprepared queries work, only slower. It holds
// no lock while it waits for a connection, which another lane's running
// transaction may hold: meanwhile the statements run unprepared.
func (d *DB) prepareHot() {
	ps := &d.stmts
	ps.mu.Lock()
	if ps.m != nil || ps.closed || ps.preparing {
		ps.mu.Unlock()
		return
	}
	ps.preparing = true
	ps.mu.Unlock()
	queries := append(slices.Clone(hotQueries), d.dialect.hotQueries()...)
	m := map[string]*sql.Stmt{}
	for _, q := range queries {
		s, err := d.writer.Prepare(q)
		if err != nil {
			for _, s := range m {
				s.Close()
			}
			m = nil
			break
		}
		m[q] = s
	}
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.preparing = false
	if ps.closed {
		for _, s := range m {
			s.Close()
		}
		return
	}
	ps.m = m
}

// stmt returns query prepared for tx, or nil if it is not prepared.
func (d *DB) stmt(tx *Tx, query string) *sql.Stmt {
	if s := tx.bound[query]; s != nil {
		return s
	}
	ps := &d.stmts
	ps.mu.Lock()
	s := ps.m[query]
	ps.mu.Unlock()
	if s == nil {
		return nil
	}
	if tx.bound == nil {
		tx.bound = map[string]*sql.Stmt{}
	}
	s = tx.Stmt(s)
	tx.bound[query] = s
	return s
}

// txQueryRow runs a query in tx, prepared if it is a hot one.
func (d *DB) txQueryRow(tx *Tx, query string, args ...any) *sql.Row {
	if s := d.stmt(tx, query); s != nil {
		return s.QueryRow(args...)
	}
	return tx.QueryRow(query, args...)
}

// txExec runs a statement in tx, prepared if it is a hot one.
func (d *DB) txExec(tx *Tx, query string, args ...any) (sql.Result, error) {
	if s := d.stmt(tx, query); s != nil {
		return s.Exec(args...)
	}
	return tx.Exec(query, args...)
}

// closeStmts closes the prepared statements; Close calls it.
func (d *DB) closeStmts() error {
	ps := &d.stmts
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.closed = true
	var errs []error
	for _, s := range ps.m {
		errs = append(errs, s.Close())
	}
	ps.m = nil
	return errors.Join(errs...)
}
