# The two commands: `make demo` and `make test`. Both set up what is missing first.
SHELL := /bin/bash
JOBS ?= $(shell nproc)
BUILD := build
ASAN := build-asan
FUZZ := build-fuzz
DATA ?= data/demo
PORT ?= 8080
POPULATION ?= 200000
# ccache keys on paths relative to the clone, so a fresh clone (CI) reuses earlier builds.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1
WEB_SOURCES := $(shell find web/src web/index.html web/vite.config.* web/package.json -type f 2>/dev/null)

.PHONY: setup build web demo test test-postgresql test-asan test-fuzz test-e2e lint bench clean format

setup:
	@bash scripts/setup.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DCORDON_WERROR=ON

build: setup $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

web/dist/index.html: $(WEB_SOURCES)
	cd web && npm run build --silent
	@touch $@

web: setup web/dist/index.html

demo: build web
	$(BUILD)/cordon demo --data $(DATA) --port $(PORT) --population $(POPULATION)

$(ASAN)/build.ninja:
	CC=clang CXX=clang++ cmake -S . -B $(ASAN) -G Ninja -DCMAKE_BUILD_TYPE=Debug \
	  -DCORDON_SANITIZE=ON -DCORDON_BENCH=OFF -DCORDON_WERROR=ON

$(FUZZ)/build.ninja:
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCORDON_FUZZ=ON

test: build web
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -LE e2e
	$(MAKE) --no-print-directory test-postgresql test-asan test-fuzz lint test-e2e

# The unit and API tests again, on a throwaway PostgreSQL server on loopback.
test-postgresql: build
	JOBS=$(JOBS) bash scripts/test-postgresql.sh $(BUILD)

test-asan: $(ASAN)/build.ninja
	cmake --build $(ASAN) -j $(JOBS) --target cordon unit_tests api_tests
	cd $(ASAN) && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j $(JOBS) -L "unit|api"

test-fuzz: $(FUZZ)/build.ninja
	cmake --build $(FUZZ) -j $(JOBS)
	cd $(FUZZ) && ctest --output-on-failure -L fuzz

test-e2e: build web
	cd $(BUILD) && ctest --output-on-failure -L e2e

# clang-tidy (the repo's .clang-tidy) and clang-format over src/, tests/ and bench/.
lint: build
	bash scripts/lint.sh $(BUILD)

bench: build
	bash bench/run_all.sh

format:
	git ls-files '*.cc' '*.h' | xargs clang-format-14 -i

clean:
	rm -rf $(BUILD) $(ASAN) $(FUZZ) web/dist
