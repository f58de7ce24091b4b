package workshop

import (
	"math"
	"strings"
)

// Expert groups: a mixed panel (military, diplomatic, humanitarian,
// intelligence) names its communities, each participant says which one
// they belong to when they join, and the results show where the
// communities disagree.

// Group is one community of a workshop's panel.
type Group struct {
	ID   int64
	Name string
}

// Limits of a workshop's groups.
const (
	MinGroups         = 2
	MaxGroups         = 12
	MaxGroupNameRunes = 40
)

// Group returns the workshop's group with the given ID.
func (w *Workshop) Group(id int64) (Group, bool) {
	for _, g := range w.Groups {
		if g.ID == id {
			return g, true
		}
	}
	return Group{}, false
}

// GroupNames lists the names of the workshop's groups, in order; nil when
// it has none.
func (w *Workshop) GroupNames() []string {
	var names []string
	for _, g := range w.Groups {
		names = append(names, g.Name)
	}
	return names
}

// SplitGroupNames reads the names a facilitator typed, one per line or
// separated by commas ("military, diplomatic, humanitarian").
func SplitGroupNames(s string) []string {
	var names []string
	for _, line := range strings.Split(CleanText(s), "\n") {
		for _, name := range strings.Split(line, ",") {
			if name = strings.TrimSpace(name); name != "" {
				names = append(names, name)
			}
		}
	}
	return names
}

// CleanGroupNames checks a workshop's group names: none (no groups), or
// 2 to 12 different names (letter case aside) of one line each, without
// commas.
func CleanGroupNames(names []string) ([]string, error) {
	if len(names) == 0 {
		return nil, nil
	}
	if len(names) < MinGroups || len(names) > MaxGroups {
		return nil, FieldError("groups", "error.name_groups_none", MinGroups, MaxGroups)
	}
	seen := map[string]bool{}
	out := make([]string, 0, len(names))
	for _, name := range names {
		name = strings.TrimSpace(name)
		if err := CheckLine(name, MaxGroupNameRunes); err != nil || name == "" {
			return nil, FieldError("groups", "error.give_each_group_name", MaxGroupNameRunes)
		}
		if strings.Contains(name, ",") {
			// The settings form separates names by commas too: a name
			// with one would come back from it as two.
			return nil, FieldError("groups", "error.groups_name_cannot_hold")
		}
		if key := strings.ToLower(name); seen[key] {
			return nil, FieldError("groups", "error.group_named_twice", name)
		} else {
			seen[key] = true
		}
		out = append(out, name)
	}
	return out, nil
}

// GroupStat is one group's position on an item.
type GroupStat struct {
	GroupID        int64
	N              int64
	Median, Q1, Q3 *float64
}

// GroupsDisagreeMinN is the smallest n of each of two groups whose
// disagreement counts.
const GroupsDisagreeMinN = 3

// groupsDisagree reports whether two groups, each with at least
// GroupsDisagreeMinN ratings, have medians at least a quarter of the
// scale's range apart (Tolerance: 1 point on 1-5, 25 points on 0-100 %)
// and interquartile ranges that do not overlap (docs/statistics.md).
func groupsDisagree(groups []GroupStat, min, max int) bool {
	tol := Tolerance(min, max)
	for i, a := range groups {
		if a.N < GroupsDisagreeMinN {
			continue
		}
		for _, b := range groups[i+1:] {
			if b.N < GroupsDisagreeMinN {
				continue
			}
			apart := math.Abs(*a.Median-*b.Median) >= tol-1e-9
			separate := *a.Q3 < *b.Q1 || *b.Q3 < *a.Q1
			if apart && separate {
				return true
			}
		}
	}
	return false
}
