package catalog

import "testing"

func BenchmarkBySkuID(b *testing.B) {
	load()
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := BySkuID("C7DF2760-2C81-4EF7-B578-5B5392B571DF"); !ok {
			b.Fatal("not found")
		}
	}
}

func BenchmarkPlanByID(b *testing.B) {
	load()
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := PlanByID("efb87545-963c-4e0d-99df-69c6916d9eb0"); !ok {
			b.Fatal("not found")
		}
	}
}

func BenchmarkProducts(b *testing.B) {
	load()
	b.ReportAllocs()
	for b.Loop() {
		if len(Products()) == 0 {
			b.Fatal("empty")
		}
	}
}
