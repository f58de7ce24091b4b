// Package db holds the SQL migrations, embedded into the binary. Migrations
// are numbered, applied in order, appended to and never edited. Each engine
// has its own: migrations/ for SQLite (the history since the first release),
// postgres/ for PostgreSQL (the same tables and constraints, written once
// for that engine, with its own types for times and flags).
package db

import "embed"

// Migrations holds migrations/NNNN_name.sql, SQLite's.
//
//go:embed migrations/*.sql
var Migrations embed.FS

// PostgresMigrations holds postgres/NNNN_name.sql.
//
//go:embed postgres/*.sql
var PostgresMigrations embed.FS
