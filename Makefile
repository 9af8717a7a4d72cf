# sportlake — the two commands: `make demo` and `make test`. See README.md.
PRESET ?= release
BUILD_DIR := build/$(PRESET)
JOBS ?= $(shell nproc)
SPORTLAKE := $(BUILD_DIR)/src/cli/sportlake

.PHONY: all deps build test test-unit test-slow demo bench fmt lint fuzz fuzz-smoke asan clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@[ -f $(BUILD_DIR)/build.ninja ] || cmake --preset $(PRESET) >/dev/null
	@cmake --build $(BUILD_DIR) -j $(JOBS)

# Every suite but the long ones (label `slow`: `make test-slow`).
test: build
	@scripts/run-tests.sh $(BUILD_DIR)

test-unit: build
	@cd $(BUILD_DIR) && ctest -L unit --output-on-failure -j $(JOBS)

# The long suites: pytest marker `slow` (Spark + delta-spark interop, the real Debezium connector
# vs `sportlake cdc`, memory budgets); no C++ test is long.
test-slow: build
	@SL_WITH_SPARK=1 scripts/install-deps.sh
	@SL_BUILD_DIR=$(CURDIR)/$(BUILD_DIR) SPORTLAKE=$(CURDIR)/$(SPORTLAKE) .venv/bin/python -m pytest -q -m slow tests

demo: build
	@scripts/demo.sh $(SPORTLAKE)

bench: build
	@scripts/run-benchmarks.sh $(BUILD_DIR)

asan:
	@$(MAKE) test PRESET=asan

fuzz: deps
	@[ -f build/fuzz/build.ninja ] || cmake --preset fuzz >/dev/null
	@cmake --build build/fuzz -j $(JOBS)

# Every fuzz target for FUZZ_SECONDS (15) from the seed corpora; fails naming a crash file.
fuzz-smoke: deps
	@JOBS=$(JOBS) scripts/fuzz-smoke.sh

fmt:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format-14 -i

lint:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format-14 --dry-run --Werror

clean:
	rm -rf build
