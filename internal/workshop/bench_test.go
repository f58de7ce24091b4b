package workshop_test

import (
	"testing"

	"foresight/internal/workshop"
)

// Benchmarks of the statistics every live update recomputes: per item of a
// 10 scenario x 2 criterion workshop, 4 times a second while people vote.

var (
	benchScale   = workshop.Criterion{ID: 1, Kind: workshop.KindScale, Min: 1, Max: 5, Step: 1, DontKnow: true}
	benchPercent = workshop.Criterion{ID: 2, Kind: workshop.KindPercent, Min: 0, Max: 100, Step: 5, DontKnow: true}
)

// benchHistogram spreads n ratings over c's scale, unevenly, with one in
// twenty "don't know".
func benchHistogram(c workshop.Criterion, n int) workshop.Histogram {
	h := workshop.NewHistogram(c)
	points := c.Points()
	for i := range n {
		if i%20 == 0 {
			h.Add(workshop.Answer{DontKnow: true}, 1)
			continue
		}
		h.Add(workshop.Answer{Value: points[(i*i/7)%len(points)]}, 1)
	}
	return h
}

func BenchmarkHistogramStats(b *testing.B) {
	for _, bc := range []struct {
		name string
		c    workshop.Criterion
	}{{"scale5", benchScale}, {"percent21", benchPercent}} {
		b.Run(bc.name, func(b *testing.B) {
			h := benchHistogram(bc.c, 10000)
			b.ReportAllocs()
			for b.Loop() {
				_ = h.Stats()
			}
		})
	}
}

func BenchmarkAgreement(b *testing.B) {
	h := benchHistogram(benchScale, 10000)
	s := h.Stats()
	b.ReportAllocs()
	for b.Loop() {
		_ = h.Agreement(s, benchScale.Min, benchScale.Max)
	}
}

// BenchmarkSummarise computes the results of a round of 20 items from
// their histograms and summarises them against the previous round: what
// one live update of one round costs in statistics.
func BenchmarkSummarise(b *testing.B) {
	items := func() workshop.Results {
		var res workshop.Results
		for s := range int64(10) {
			for _, c := range []workshop.Criterion{benchScale, {ID: 3, Kind: workshop.KindScale, Min: 1, Max: 5, Step: 1}} {
				res.Items = append(res.Items, workshop.NewItemResult(s+1, c, benchHistogram(c, 10000+int(s)*37)))
			}
		}
		return res
	}
	prev := items()
	prev.Summarise(nil)
	b.Run("summarise", func(b *testing.B) {
		res := items()
		b.ReportAllocs()
		for b.Loop() {
			res.Summarise(&prev)
		}
	})
	b.Run("items+summarise", func(b *testing.B) {
		hists := make([]workshop.Histogram, 20)
		for i := range hists {
			hists[i] = benchHistogram(benchScale, 10000+i*37)
		}
		b.ReportAllocs()
		for b.Loop() {
			res := workshop.Results{Items: make([]workshop.ItemResult, 0, 20)}
			for i, h := range hists {
				res.Items = append(res.Items, workshop.NewItemResult(int64(i/2+1), benchScale, h))
			}
			res.Summarise(&prev)
		}
	})
}
