package store

import (
	"context"
	"strings"

	"foresight/internal/workshop"
)

// groupsOf reads a workshop's expert groups in the facilitator's order;
// nil when it has none.
func groupsOf(q querier, workshopID int64) ([]workshop.Group, error) {
	rows, err := q.Query(`SELECT id, name FROM groups WHERE workshop_id = $1 ORDER BY position`, workshopID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []workshop.Group
	for rows.Next() {
		var g workshop.Group
		if err := rows.Scan(&g.ID, &g.Name); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// SetGroups sets the expert groups of workshop code to names (as typed;
// none removes them) and records it in the workshop's log. Groups change
// only in the lobby: once voting opened, the groups' results must stay
// what the participants chose. A name that stays (letter case aside)
// keeps its group, so its participants keep it; the participants of a
// group whose name goes belong to none. Names equal to the current ones
// change nothing, in any state. UpdateSettings sets them with the
// settings, in the same transaction.
func (d *DB) SetGroups(ctx context.Context, code string, names []string, by workshop.User) (*workshop.Workshop, error) {
	names, err := workshop.CleanGroupNames(names)
	if err != nil {
		return nil, err
	}
	w, err := d.WorkshopByCode(ctx, code)
	if err != nil || sameGroups(w.Groups, names) {
		return w, err
	}
	return d.changeWorkshop(ctx, code, func(tx *Tx, w *workshop.Workshop, head workshop.EventHead) error {
		if err := workshop.CheckGroupsChange(w.State); err != nil {
			return err
		}
		if err := writeGroups(tx, w, names, by); err != nil {
			return err
		}
		// The participants per group change: every view counts again.
		tx.announce(workshop.RecountNeeded{EventHead: head})
		return nil
	})
}

// writeGroups replaces the groups of w, as read in tx, with names (clean:
// workshop.CleanGroupNames) and logs the change as by's; the caller checks
// that the groups may change and announces it.
func writeGroups(tx *Tx, w *workshop.Workshop, names []string, by workshop.User) error {
	kept := map[string]int64{} // lower-case name -> the group that keeps it
	for _, g := range w.Groups {
		kept[strings.ToLower(g.Name)] = g.ID
	}
	stays := map[int64]bool{}
	for _, name := range names {
		if id, ok := kept[strings.ToLower(name)]; ok {
			stays[id] = true
		}
	}
	for _, g := range w.Groups {
		if !stays[g.ID] {
			// Its participants' group_id becomes NULL (ON DELETE SET NULL).
			if _, err := tx.Exec(`DELETE FROM groups WHERE id = $1`, g.ID); err != nil {
				return err
			}
		}
	}
	// Out of the way of the new positions, which UNIQUE holds to one
	// group each at every step.
	if _, err := tx.Exec(`UPDATE groups SET position = position + 100 WHERE workshop_id = $1`, w.ID); err != nil {
		return err
	}
	for i, name := range names {
		var err error
		if id, ok := kept[strings.ToLower(name)]; ok {
			_, err = tx.Exec(`UPDATE groups SET position = $1, name = $2 WHERE id = $3`, i+1, name, id)
		} else {
			_, err = tx.Exec(`INSERT INTO groups (workshop_id, position, name) VALUES ($1, $2, $3)`, w.ID, i+1, name)
		}
		if err != nil {
			return mapError(err)
		}
	}
	return logAction(tx, w.ID, by, workshop.LogGroupsChanged, workshop.LogFields{Groups: strings.Join(names, ", ")})
}

// sameGroups reports whether groups carry exactly names, in order.
func sameGroups(groups []workshop.Group, names []string) bool {
	if len(groups) != len(names) {
		return false
	}
	for i, g := range groups {
		if g.Name != names[i] {
			return false
		}
	}
	return true
}
