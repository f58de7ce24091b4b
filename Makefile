# Foresight. Needs only Go and gcc (cgo builds SQLite). Browser tests use
# Debian's Chromium at /usr/bin/chromium when it is there.
GO      ?= go
ADDR    ?= 127.0.0.1:8080
DB      ?= ./data/foresight.db
PKGS    := ./...

.PHONY: run build test generate check-generated check-escapes fmt-check vet verify unit unit-postgres e2e clean

## run: build and serve on http://localhost:8080 with the built-in deck
run: build
	./bin/foresight serve --addr $(ADDR) --db $(DB)

## build: write bin/foresight
build:
	CGO_ENABLED=1 $(GO) build -o bin/foresight ./cmd/foresight

## generate: regenerate the templ views (the generated code is committed)
generate:
	$(GO) tool templ generate

## test: every check CI runs
test: check-generated check-escapes fmt-check vet verify unit unit-postgres

# The *_templ.go files must be what templ generates from the .templ files:
# regenerate and compare (a stale file is fixed in place; commit it).
check-generated:
	@before=$$(ls views/*_templ.go | xargs cat | sha256sum); \
	$(GO) tool templ generate >/dev/null 2>&1 || $(GO) tool templ generate; \
	after=$$(ls views/*_templ.go | xargs cat | sha256sum); \
	if [ "$$before" != "$$after" ]; then \
		echo "templ generate changed views/*_templ.go: the generated code was stale; commit the regenerated files"; exit 1; fi
	@echo "generated code is current"

# templ's escape hatches print data unescaped: none may appear in our code
# (generated files aside). Calls and conversions are what count: a function
# that returns templ.SafeURL built by templ.URL, which sanitises, is fine.
ESCAPES := templ\.(Raw|SafeURL|SafeCSS|SafeCSSProperty|SafeClass|JSUnsafeFuncCall|JSExpression|FromGoHTML)[[:space:]]*\(
check-escapes:
	@out=$$(git ls-files -co --exclude-standard '*.go' '*.templ' | grep -v '_templ\.go$$' | xargs grep -nE '$(ESCAPES)'); \
	if [ -n "$$out" ]; then echo "templ escape hatches (print data unescaped; use templ.URL, attributes and components):"; echo "$$out"; exit 1; fi
	@echo "templ escape hatches: none"

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	@echo "gofmt: clean"

vet:
	$(GO) vet $(PKGS)

verify:
	$(GO) mod verify

# go test with the race detector; browser tests run when Chromium is there
# (FORESIGHT_E2E=required makes its absence a failure).
unit:
	$(GO) test -race -count=1 $(PKGS)

# The store's and the web server's tests once more, on PostgreSQL: a
# throwaway cluster from Debian's postgresql package (initdb in a temporary
# folder). Without it they skip with a message; FORESIGHT_PG=required makes
# its absence a failure.
unit-postgres:
	FORESIGHT_STORE_ENGINE=postgres $(GO) test -race -count=1 ./internal/store/ ./internal/http/

## e2e: only the browser tests, with screenshots in ./tmp/screenshots
e2e:
	mkdir -p tmp/screenshots
	FORESIGHT_SCREENSHOTS=$(CURDIR)/tmp/screenshots $(GO) test -count=1 -run . -v ./internal/e2e/

clean:
	rm -rf bin tmp

# The Nu HTML Checker for the browser tests' HTML check (internal/e2e): too
# big to commit (~30 MB), so fetched from npm, pinned and verified. The
# tests find it at tmp/vnu/vnu.jar or $$FORESIGHT_VNU_JAR; it needs java.
VNU_VERSION := 26.9.27
VNU_SHA256  := 22f15dd39a33bed929d2a5c0cddf5946849a647eca9272bf4d5d00bc7e7a4d47

.PHONY: vnu
## vnu: fetch the Nu HTML Checker (vnu-jar $(VNU_VERSION) from npm) into tmp/vnu/vnu.jar
vnu: tmp/vnu/vnu.jar
tmp/vnu/vnu.jar:
	@mkdir -p tmp/vnu
	cd tmp/vnu && npm pack --silent vnu-jar@$(VNU_VERSION) >/dev/null && \
		tar xzf vnu-jar-$(VNU_VERSION).tgz package/build/dist/vnu.jar && \
		mv package/build/dist/vnu.jar vnu.jar.new && rm -rf package vnu-jar-$(VNU_VERSION).tgz
	@echo "$(VNU_SHA256)  tmp/vnu/vnu.jar.new" | sha256sum -c --quiet || { rm -f tmp/vnu/vnu.jar.new; echo "vnu.jar: sha256 mismatch"; exit 1; }
	mv tmp/vnu/vnu.jar.new tmp/vnu/vnu.jar

.PHONY: bench bench-full bench-postgres bench-rooms bench-rooms-postgres
BENCH_PKGS := ./internal/workshop ./internal/live ./views ./internal/store ./internal/http

## bench: micro-benchmarks, then a short load run (2,000 participants, 20 s of
## ratings) against a real server on a temporary database; see docs/benchmarks.md
bench:
	$(GO) test -run XXX -bench . -benchmem $(BENCH_PKGS)
	./.ci/bench short

## bench-full: the whole load table: 10,000 participants, 2,000 ratings/s for
## 60 s, saturation steps and the SQLite floor, once with results live on every
## phone and once with the default visibility (about 14 minutes)
bench-full:
	./.ci/bench full
	BENCH_OUT=tmp/bench/load-full-after-reveal.json ./.ci/bench full --visibility after_reveal

## bench-postgres: the same 10,000-participant table with results live, on a
## throwaway PostgreSQL cluster served by two instances (about 7 minutes;
## needs Debian's postgresql)
bench-postgres:
	BENCH_ENGINE=postgres BENCH_SERVERS=2 BENCH_OUT=tmp/bench/load-full-postgres.json ./.ci/bench full

## bench-rooms: many rooms at once: 20 workshops x 500 participants, 2,000
## ratings/s in all, then saturation steps, on SQLite (one instance), with
## each room's vote-to-screen and rating latency (about 7 minutes)
bench-rooms:
	BENCH_OUT=tmp/bench/load-rooms.json ./.ci/bench rooms

## bench-rooms-postgres: the same on a throwaway PostgreSQL cluster served by
## two instances (needs PostgreSQL's initdb)
bench-rooms-postgres:
	BENCH_ENGINE=postgres BENCH_SERVERS=2 BENCH_OUT=tmp/bench/load-rooms-postgres.json ./.ci/bench rooms
