// Package db holds the SQL migrations, embedded into the binary. Migrations
// are numbered, applied in order, appended to and never edited.
package db

import "embed"

// Migrations holds migrations/NNNN_name.sql.
//
//go:embed migrations/*.sql
var Migrations embed.FS
