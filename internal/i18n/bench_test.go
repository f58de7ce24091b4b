package i18n

import (
	"context"
	"testing"
)

func BenchmarkT(b *testing.B) {
	pl := WithLang(context.Background(), "pl")
	for b.Loop() {
		_ = T(pl, "layout.skip_content")
	}
}

func BenchmarkN(b *testing.B) {
	pl := WithLang(context.Background(), "pl")
	for b.Loop() {
		_ = N(pl, 5, "facilitator.participants_count")
	}
}

func BenchmarkNumbers(b *testing.B) {
	pl := WithLang(context.Background(), "pl")
	for b.Loop() {
		_ = Decimal(pl, 3.25, 2)
		_ = Integer(pl, 12345)
	}
}
