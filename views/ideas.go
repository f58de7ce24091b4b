package views

import (
	"context"
	"strings"

	"foresight/internal/i18n"
	"foresight/internal/workshop"
)

// MaxProjectorIdeas is how many ideas the projector shows: the top ones.
const MaxProjectorIdeas = 8

// ideaTitle is the title of idea id among ideas.
func ideaTitle(ideas []workshop.Idea, id int64) string {
	for _, i := range ideas {
		if i.ID == id {
			return i.Title
		}
	}
	return ""
}

// roomSource says where a scenario from the room comes from: who proposed
// it (by pseudonym, when known) and its votes.
func roomSource(ctx context.Context, s workshop.Scenario) string {
	votes := i18n.N(ctx, s.SourceVotes, "ideas.votes_count")
	if s.SourcePseudonym != "" {
		// A word joiner keeps "P-7KQ2M" on one line.
		return i18n.Tf(ctx, "ideas.source_by", strings.Replace(s.SourcePseudonym, "-", "-\u2060", 1), votes)
	}
	return i18n.Tf(ctx, "ideas.source_anonymous", votes)
}

// stageOf names what the projector shows, so that its pages start again
// at the first when it changes: the state and round, or the ideas.
func stageOf(w *workshop.Workshop) string {
	if w.IdeasOpen {
		return "ideas-" + itoa(w.Round)
	}
	return string(w.State) + "-" + itoa(w.Round)
}
