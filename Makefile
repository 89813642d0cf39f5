# The registry's tasks. The two a newcomer needs: `make run` and `make test`.

GO        ?= go
DOCS_DIRS := api
SWAG      := $(GO) tool swag init --generalInfo doc.go --dir $(DOCS_DIRS) --outputTypes json --parseInternal --quiet

.PHONY: run build test test-go node-tools lint-openapi bench bench-go bench-load bench-smoke fuzz docs docs-check vet fmt-check clean screenshots

## run: build, then serve the API on http://127.0.0.1:8080 (LISTEN_ADDR=...) with an embedded SQLite file (registry.db)
# exec: the server itself gets Ctrl-C's SIGINT, shuts down gracefully and
# exits 0, so make reports no error.
LISTEN_ADDR ?= 127.0.0.1:8080
run: build
	LISTEN_ADDR='$(LISTEN_ADDR)' exec $(BIN) serve --log-format text

## build: build the registry binary into bin/ (stamped with the commit: registry version)
# -buildvcs=true wins over a GOFLAGS=-buildvcs=false in the environment.
BIN ?= bin/registry
build:
	$(GO) build -trimpath -buildvcs=true -o $(BIN) ./cmd/registry

## test: formatting, vet, fresh OpenAPI docs that Redocly passes, every test on SQLite and PostgreSQL (generated Go and TypeScript clients included), and a smoke run of the benchmarks
test: fmt-check vet docs-check lint-openapi test-go bench-smoke

test-go: node-tools
	.ci/ensure-postgres
	.ci/ensure-chromium
	$(GO) test -race -count=1 ./...

# node-tools: Node (Debian's packages when missing) and the npm tools .ci/node pins
node-tools:
	.ci/ensure-node

## lint-openapi: Redocly CLI's recommended rules on the OpenAPI document the service serves (docs/openapi.json)
lint-openapi: node-tools
	cd .ci/node && REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
		./node_modules/.bin/redocly lint --extends recommended --format stylish ../../docs/openapi.json

## bench: the Go benchmarks (store and HTTP, both engines; a 100,000-entity export) and the load benchmark
bench: bench-go bench-load

bench-go:
	.ci/ensure-postgres
	$(GO) test -run '^$$' -bench . -benchmem -timeout 60m ./...

## bench-load: the load benchmark against a throwaway PostgreSQL (about 10 minutes; prints a table)
bench-load:
	.ci/ensure-postgres
	$(GO) run ./cmd/registry-load

## bench-smoke: every benchmark once, on small data: that they run, not how fast (part of make test)
bench-smoke:
	BENCH_ENTITIES=300 $(GO) test -run '^$$' -bench . -benchtime 1x -timeout 20m ./...
	$(GO) run ./cmd/registry-load --quick

## screenshots: run the browser tests, saving PNGs of the console's pages into docs/console/ (needs Chromium)
screenshots:
	.ci/ensure-postgres
	.ci/ensure-chromium
	mkdir -p docs/console
	BROWSERTEST_SCREENSHOTS=$(CURDIR)/docs/console $(GO) test -count=1 -run 'TestBrowser' ./internal/console/

## fuzz: explore each fuzz target for FUZZTIME (default 30s); the seed corpus runs in make test
FUZZTIME      ?= 30s
FUZZ_TARGETS  := FuzzCreateEntity FuzzPatchEntity FuzzListQuery FuzzCursor FuzzImportCSV
fuzz:
	@for t in $(FUZZ_TARGETS); do \
		dir=api/testdata/fuzz/$$t; before=$$(ls $$dir 2>/dev/null | wc -l); \
		echo "fuzzing $$t for $(FUZZTIME)"; \
		if ! $(GO) test ./api -run='^$$' -fuzz="^$$t\$$" -fuzztime=$(FUZZTIME); then \
			after=$$(ls $$dir 2>/dev/null | wc -l); \
			if [ "$$after" -gt "$$before" ]; then echo "$$t: a failing input was saved in $$dir" >&2; exit 1; fi; \
			echo "$$t: failed without a failing input: Go's fuzz-time race (go.dev/issue/75804, fixed in Go 1.27), ignored" >&2; \
		fi; \
	done

## docs: regenerate docs/ (Swagger 2.0 by swag, then OpenAPI 3) from the handlers' annotations
docs:
	$(SWAG) --output docs
	$(GO) run ./internal/tools/openapi3 -in docs/swagger.json -out docs

## docs-check: fail when docs/ is not what make docs would write
docs-check:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(SWAG) --output "$$tmp" >/dev/null && \
	$(GO) run ./internal/tools/openapi3 -in "$$tmp/swagger.json" -out "$$tmp" && \
	for f in swagger.json openapi.json openapi.go; do \
		cmp -s "$$tmp/$$f" "docs/$$f" || { echo "docs/$$f is stale: run make docs and commit it" >&2; exit 1; }; \
	done

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l cmd api internal); [ -z "$$out" ] || { echo "gofmt would change: $$out" >&2; exit 1; }

clean:
	rm -rf bin registry.db registry.db-wal registry.db-shm
