package export

import (
	"bufio"
	"encoding/json"
	"io"
	"strconv"
	"time"

	"foresight/internal/i18n"
	"foresight/internal/workshop"
)

// JSON format identifiers. A reader checks both; the version grows with
// every change that could break a reader (docs/export-format.md).
const (
	DocumentFormat  = "foresight-workshop"
	DocumentVersion = 2
)

// Document is workshop.json: the whole workshop. WriteJSON streams it;
// json.Unmarshal reads it back into this structure.
type Document struct {
	Format     string      `json:"format"`
	Version    int         `json:"version"`
	ExportedAt time.Time   `json:"exported_at"`
	Workshop   DocWorkshop `json:"workshop"`
	Deck       DocDeck     `json:"deck"`
	Rounds     []DocRound  `json:"rounds"`
	// Outcomes lists what became of every scenario (occurred null while
	// not known); Scores the scores of each percent criterion, once the
	// workshop has finished ([] before).
	Outcomes []OutcomeJSON `json:"outcomes"`
	Scores   []ScoresJSON  `json:"scores"`
	// Ideas are the room's ideas (issue 22), hidden and merged ones too.
	Ideas      []DocIdea      `json:"ideas"`
	Ratings    []DocRating    `json:"ratings"`
	Rationales []DocRationale `json:"rationales"`
	// CrossImpact is there when the workshop had cross-impact rounds.
	CrossImpact *DocCrossImpact `json:"cross_impact,omitempty"`
}

// DocWorkshop is the workshop's identity, state and settings.
type DocWorkshop struct {
	Code             string    `json:"code"`
	Title            string    `json:"title"`
	Description      string    `json:"description"`
	State            string    `json:"state"`
	Round            int       `json:"round"`
	Seq              int64     `json:"seq"`
	Visibility       string    `json:"visibility"`
	Pacing           string    `json:"pacing"`
	Anonymity        string    `json:"anonymity"`
	ParticipantLimit int       `json:"participant_limit"`
	CreatedAt        time.Time `json:"created_at"`
	Participants     int       `json:"participants"`
	CopiedFrom       *string   `json:"copied_from"` // the code of the workshop this one copies; null if none
	// Groups are the expert groups participants chose from, in the
	// facilitator's order; [] for none.
	Groups []DocGroup `json:"groups"`
}

// DocGroup is one expert group of the workshop.
type DocGroup struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// DocDeck is the snapshot of the deck the workshop was created from, in
// every language it has, as in the deck format (docs/deck-format.md), with
// the IDs that ratings refer to.
type DocDeck struct {
	Slug      string         `json:"slug"`
	Languages []string       `json:"languages"`
	Criteria  []DocCriterion `json:"criteria"`
	Scenarios []DocScenario  `json:"scenarios"`
}

// DocCriterion is one criterion of the deck snapshot.
type DocCriterion struct {
	ID       int64            `json:"id"`
	Key      string           `json:"key"`
	Name     workshop.Text    `json:"name"`
	Question workshop.Text    `json:"question,omitempty"`
	Kind     string           `json:"kind"`
	Min      int              `json:"min"`
	Max      int              `json:"max"`
	Step     int              `json:"step"`
	DontKnow bool             `json:"dont_know"`
	Labels   []workshop.Label `json:"labels"`
}

// DocScenario is one scenario of the deck snapshot; Number is its place
// in the deck, as participants see it.
type DocScenario struct {
	ID        int64           `json:"id"`
	Number    int             `json:"number"`
	Key       string          `json:"key"`
	Title     workshop.Text   `json:"title"`
	Narrative workshop.Text   `json:"narrative"`
	Source    workshop.Text   `json:"source,omitempty"`
	Signposts []workshop.Text `json:"signposts,omitempty"`
	// Origin is "deck", or "room" for a scenario promoted from an idea
	// (IdeaID), rated from round FromRound, with its source: who proposed
	// it (null when not known or anonymised) and the idea's votes then.
	Origin     string  `json:"origin"`
	IdeaID     *int64  `json:"idea_id"`
	FromRound  int     `json:"from_round"`
	ProposedBy *string `json:"proposed_by,omitempty"`
	IdeaVotes  *int    `json:"idea_votes,omitempty"`
}

// DocIdea is one idea of the room, with its votes.
type DocIdea struct {
	ID         int64           `json:"id"`
	Title      string          `json:"title"`
	Text       string          `json:"text"`
	ScenarioID *int64          `json:"scenario_id"` // the scenario it relates to
	Author     *string         `json:"author"`      // the proposer's pseudonym; null once removed or anonymised
	Votes      int             `json:"votes"`
	Groups     []GroupVoteJSON `json:"groups"`
	Hidden     bool            `json:"hidden"`
	MergedInto *int64          `json:"merged_into"`
	PromotedAs *int64          `json:"promoted_as"` // the scenario it became
	CreatedAt  time.Time       `json:"created_at"`
}

// GroupVoteJSON is one expert group's votes for an idea.
type GroupVoteJSON struct {
	GroupID int64 `json:"group_id"`
	Votes   int   `json:"votes"`
}

// DocRound is one round: its times and its results.
type DocRound struct {
	N          int         `json:"n"`
	OpenedAt   *time.Time  `json:"opened_at"`
	ClosedAt   *time.Time  `json:"closed_at"`
	RevealedAt *time.Time  `json:"revealed_at"`
	Prefilled  bool        `json:"prefilled"`
	Results    ResultsJSON `json:"results"`
}

// ResultsJSON is the one JSON shape of a round's results: the results API
// (GET .../results), its live events (GET .../events) and every round of
// workshop.json carry it, so they cannot drift apart. README.md and
// docs/export-format.md document it.
type ResultsJSON struct {
	Round   int         `json:"round"`
	Group   *int64      `json:"group"` // the expert group whose participants alone it counts; null: everyone
	Seq     int64       `json:"seq"`
	Joined  int         `json:"joined"`
	Rated   int         `json:"rated"`
	Summary SummaryJSON `json:"summary"`
	Items   []ItemJSON  `json:"items"`
}

// SummaryJSON is a round's summary.
type SummaryJSON struct {
	Items                int      `json:"items"`
	Thin                 int      `json:"thin"` // items with 1 or 2 ratings: too thin to judge consensus
	ConsensusShare       *float64 `json:"consensus_share"`
	MeanRelativeIQR      *float64 `json:"mean_relative_iqr"`
	DeltaConsensusShare  *float64 `json:"delta_consensus_share"`
	DeltaMeanRelativeIQR *float64 `json:"delta_mean_relative_iqr"`
}

// ItemJSON is one item's statistics; null where undefined.
type ItemJSON struct {
	ScenarioID  int64            `json:"scenario_id"`
	CriterionID int64            `json:"criterion_id"`
	N           int64            `json:"n"`
	DontKnow    int64            `json:"dont_know"`
	Mean        *float64         `json:"mean"`
	Median      *float64         `json:"median"`
	Q1          *float64         `json:"q1"`
	Q3          *float64         `json:"q3"`
	IQR         *float64         `json:"iqr"`
	SD          *float64         `json:"sd"`
	CV          *float64         `json:"cv"`
	Agreement   *float64         `json:"agreement"`
	Consensus   bool             `json:"consensus"`
	Polarised   bool             `json:"polarised"`
	Bimodality  *float64         `json:"bimodality"`
	DeltaMedian *float64         `json:"delta_median"`
	DeltaIQR    *float64         `json:"delta_iqr"`
	Histogram   map[string]int64 `json:"histogram"`
	// Band is the term of the median on the criterion's yardstick
	// ("likely", or "between unlikely and realistic possibility"); null
	// without a yardstick or a median.
	Band *string `json:"band"`
	// Groups is each expert group's position on the item, in the
	// workshop's order of groups ([] without groups); GroupsDisagree
	// says two of them disagree (docs/statistics.md).
	Groups         []GroupJSON `json:"groups"`
	GroupsDisagree bool        `json:"groups_disagree"`
}

// GroupJSON is one expert group's position on an item.
type GroupJSON struct {
	GroupID int64    `json:"group_id"`
	N       int64    `json:"n"`
	Median  *float64 `json:"median"`
	Q1      *float64 `json:"q1"`
	Q3      *float64 `json:"q3"`
}

// NewResultsJSON puts a round's results of workshop w in the JSON shape,
// every statistic at full precision and every scale point in the
// histogram; yardstick terms are in lang.
func NewResultsJSON(w *workshop.Workshop, res workshop.Results, lang string) ResultsJSON {
	criteria := make(map[int64]workshop.Criterion, len(w.Criteria))
	for _, c := range w.Criteria {
		criteria[c.ID] = c
	}
	s := res.Summary
	out := ResultsJSON{Round: res.Round, Group: groupPtr(res.Group), Seq: res.Seq, Joined: res.Joined, Rated: res.Rated, Items: make([]ItemJSON, 0, len(res.Items)),
		Summary: SummaryJSON{Items: s.Items, Thin: s.Thin, ConsensusShare: s.ConsensusShare, MeanRelativeIQR: s.MeanRelativeIQR,
			DeltaConsensusShare: s.DeltaConsensusShare, DeltaMeanRelativeIQR: s.DeltaMeanRelativeIQR}}
	for _, it := range res.Items {
		hist := make(map[string]int64, len(it.Histogram.Counts))
		for i, c := range it.Histogram.Counts {
			hist[strconv.Itoa(it.Histogram.Value(i))] = c
		}
		item := ItemJSON{ScenarioID: it.ScenarioID, CriterionID: it.CriterionID, N: it.N, DontKnow: it.DontKnow,
			Mean: it.Mean, Median: it.Median, Q1: it.Q1, Q3: it.Q3, IQR: it.IQR, SD: it.SD, CV: it.CV, Agreement: it.Share,
			Consensus: it.Consensus, Polarised: it.Polarised, Bimodality: it.Bimodality,
			DeltaMedian: it.DeltaMedian, DeltaIQR: it.DeltaIQR, Histogram: hist,
			Groups: make([]GroupJSON, 0, len(it.Groups)), GroupsDisagree: it.GroupsDisagree}
		for _, g := range it.Groups {
			item.Groups = append(item.Groups, GroupJSON{GroupID: g.GroupID, N: g.N, Median: g.Median, Q1: g.Q1, Q3: g.Q3})
		}
		if c, ok := criteria[it.CriterionID]; ok && it.Median != nil {
			if y, ok := c.YardstickOf(); ok {
				band := y.Term(y.Place(*it.Median), i18n.TextsIn(lang))
				item.Band = &band
			}
		}
		out.Items = append(out.Items, item)
	}
	return out
}

// DocRating is one rating; Value is null for "don't know".
type DocRating struct {
	Round       int       `json:"round"`
	Participant string    `json:"participant"`
	ScenarioID  int64     `json:"scenario_id"`
	CriterionID int64     `json:"criterion_id"`
	Value       *int      `json:"value"`
	DontKnow    bool      `json:"dont_know"`
	RatedAt     time.Time `json:"rated_at"`
	Group       *string   `json:"group"` // the participant's expert group; null for none
}

// DocRationale is one rationale.
type DocRationale struct {
	ID          int64     `json:"id"`
	Round       int       `json:"round"`
	Participant string    `json:"participant"`
	ScenarioID  int64     `json:"scenario_id"`
	Text        string    `json:"text"`
	Hidden      bool      `json:"hidden"`
	Featured    bool      `json:"featured"`
	UpdatedAt   time.Time `json:"updated_at"`
	Group       *string   `json:"group"` // the participant's expert group; null for none
}

// header is everything of the document but the streamed lists.
func header(src *Source) (Document, error) {
	w := src.Workshop
	d := Document{
		Format: DocumentFormat, Version: DocumentVersion, ExportedAt: src.ReadAt.UTC(),
		Workshop: DocWorkshop{Code: w.Code, Title: w.Title, Description: w.Description, State: string(w.State), Round: w.Round, Seq: w.Seq,
			Visibility: string(w.Visibility), Pacing: string(w.Pacing), Anonymity: string(w.Anonymity), ParticipantLimit: w.ParticipantLimit,
			CreatedAt: w.CreatedAt.UTC(), Participants: src.Joined, CopiedFrom: stringPtr(w.CopiedFrom), Groups: []DocGroup{}},
		Deck: DocDeck{Slug: w.DeckSlug, Languages: w.Languages, Criteria: []DocCriterion{}, Scenarios: []DocScenario{}},
	}
	for _, g := range w.Groups {
		d.Workshop.Groups = append(d.Workshop.Groups, DocGroup{ID: g.ID, Name: g.Name})
	}
	if d.Deck.Languages == nil {
		d.Deck.Languages = []string{}
	}
	for _, c := range w.Criteria {
		labels := c.Labels
		if labels == nil {
			labels = []workshop.Label{}
		}
		d.Deck.Criteria = append(d.Deck.Criteria, DocCriterion{ID: c.ID, Key: c.Key, Name: c.Name, Question: c.Question, Kind: c.Kind,
			Min: c.Min, Max: c.Max, Step: c.Step, DontKnow: c.DontKnow, Labels: labels})
	}
	for i, s := range w.Scenarios {
		ds := DocScenario{ID: s.ID, Number: i + 1, Key: s.Key, Title: s.Title,
			Narrative: s.Narrative, Source: s.Source, Signposts: s.Signposts, Origin: workshop.OriginDeck, FromRound: max(1, s.FromRound)}
		if s.FromRoom() {
			votes := s.SourceVotes
			ds.Origin, ds.IdeaID, ds.ProposedBy, ds.IdeaVotes = workshop.OriginRoom, groupPtr(s.IdeaID), stringPtr(s.SourcePseudonym), &votes
		}
		d.Deck.Scenarios = append(d.Deck.Scenarios, ds)
	}
	d.Ideas = []DocIdea{}
	for _, i := range src.Ideas {
		di := DocIdea{ID: i.ID, Title: i.Title, Text: i.Text, ScenarioID: groupPtr(i.ScenarioID), Author: stringPtr(i.Author), Votes: i.Votes,
			Groups: []GroupVoteJSON{}, Hidden: i.Hidden, MergedInto: groupPtr(i.MergedInto), PromotedAs: groupPtr(i.PromotedAs), CreatedAt: i.CreatedAt.UTC()}
		for _, g := range w.Groups {
			di.Groups = append(di.Groups, GroupVoteJSON{GroupID: g.ID, Votes: i.GroupVotes[g.ID]})
		}
		d.Ideas = append(d.Ideas, di)
	}
	d.Rounds = []DocRound{}
	d.Outcomes = NewOutcomesJSON(w)
	d.Scores = []ScoresJSON{}
	scores, err := src.Scores()
	if err != nil {
		return d, err
	}
	for _, sc := range scores {
		d.Scores = append(d.Scores, NewScoresJSON(sc.Scores))
	}
	results, err := src.Results()
	if err != nil {
		return d, err
	}
	for _, res := range results {
		r := src.Round(res.Round)
		dr := DocRound{N: res.Round, OpenedAt: timePtr(r.OpenedAt), ClosedAt: timePtr(r.ClosedAt), RevealedAt: timePtr(r.RevealedAt),
			Prefilled: r.Prefilled, Results: NewResultsJSON(w, res, src.lang())}
		d.Rounds = append(d.Rounds, dr)
	}
	return d, nil
}

// groupPtr is an ID (of a group, a scenario, an idea), or nil (null in
// JSON) for none.
func groupPtr(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// stringPtr is s, or nil (null in JSON) when it is empty.
func stringPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// WriteJSON writes workshop.json. The document's fixed part is encoded at
// once; ratings and rationales follow one per line as they stream from the
// source, so memory stays flat.
func WriteJSON(w io.Writer, src *Source) error {
	if err := check(src); err != nil {
		return err
	}
	ew := &errWriter{w: w}
	bw := bufio.NewWriterSize(ew, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	// Encode the header with empty lists, cut its closing "[]}" parts off,
	// and stream the lists in their place.
	d, err := header(src)
	if err != nil {
		return err
	}
	cib, err := docCrossImpact(src)
	if err != nil {
		return err
	}
	b, err := json.Marshal(struct {
		Format     string        `json:"format"`
		Version    int           `json:"version"`
		ExportedAt time.Time     `json:"exported_at"`
		Workshop   DocWorkshop   `json:"workshop"`
		Deck       DocDeck       `json:"deck"`
		Rounds     []DocRound    `json:"rounds"`
		Outcomes   []OutcomeJSON `json:"outcomes"`
		Scores     []ScoresJSON  `json:"scores"`
		Ideas      []DocIdea     `json:"ideas"`
		// CrossImpact is there when the workshop had cross-impact rounds.
		CrossImpact *DocCrossImpact `json:"cross_impact,omitempty"`
	}{d.Format, d.Version, d.ExportedAt, d.Workshop, d.Deck, d.Rounds, d.Outcomes, d.Scores, d.Ideas, cib})
	if err != nil {
		return err
	}
	bw.Write(b[:len(b)-1]) // without the closing brace
	bw.WriteString(",\n\"ratings\": [\n")
	groups := namesOfGroups(src.Workshop)
	first := true
	for r, err := range ratingsOf(src) {
		if err != nil {
			return err
		}
		if !first {
			bw.WriteString(",")
		}
		first = false
		dr := DocRating{Round: r.Round, Participant: r.Pseudonym, ScenarioID: r.ScenarioID, CriterionID: r.CriterionID,
			DontKnow: r.Answer.DontKnow, RatedAt: r.RatedAt.UTC(), Group: groups.of(r.GroupID)}
		if !r.Answer.DontKnow {
			v := r.Answer.Value
			dr.Value = &v
		}
		if err := enc.Encode(dr); err != nil { // ends with a newline
			return err
		}
	}
	bw.WriteString("],\n\"rationales\": [\n")
	first = true
	for r, err := range rationalesOf(src) {
		if err != nil {
			return err
		}
		if !first {
			bw.WriteString(",")
		}
		first = false
		if err := enc.Encode(DocRationale{ID: r.ID, Round: r.Round, Participant: r.Pseudonym, ScenarioID: r.ScenarioID,
			Text: r.Text, Hidden: r.Hidden, Featured: r.Featured, UpdatedAt: r.UpdatedAt.UTC(), Group: groups.of(r.GroupID)}); err != nil {
			return err
		}
	}
	bw.WriteString("]}\n")
	if err := bw.Flush(); err != nil {
		return err
	}
	return ew.err
}
