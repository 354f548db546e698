# 两个入口：make run（在示例清单上运行）和 make test（全部检查和测试）。
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OLDEST ?= .venv-oldest
PIP_FLAGS := --quiet --disable-pip-version-check

.PHONY: run test lint bench lock clean

# The venv is rebuilt whenever the project's dependencies or the lock change.
$(BIN)/qingdan: pyproject.toml requirements/lock.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install $(PIP_FLAGS) -c requirements/lock.txt -e '.[dev]'
	touch $@

run: $(BIN)/qingdan
	$(BIN)/qingdan validate lists
	$(BIN)/qingdan stats lists

lint: $(BIN)/qingdan
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

# The suite runs twice, side by side: with the locked (newest) versions and with the oldest
# declared ones. Each run's output is shown whole, after both have finished. The oldest run leaves
# out the tests of qingdan's own behaviour that no library version changes (command fuzzing, kill -9
# during writes, git hooks, finding the set, check's drafts, cache staleness, output paths, the
# benchmark scripts): the locked run has them, and CI stays within its time.
NOT_VERSIONED := fuzz_commands interrupted integrations discovery drafts cache_staleness outputs benchmarks
test: lint $(OLDEST)/bin/qingdan
	@mkdir -p build
	@$(BIN)/pytest > build/test-newest.log 2>&1 & newest=$$!; \
	$(OLDEST)/bin/pytest -p no:cacheprovider $(NOT_VERSIONED:%=--ignore=tests/test_%.py) \
	  > build/test-oldest.log 2>&1; oldest=$$?; \
	wait $$newest; newest=$$?; \
	echo "== 锁定版本（requirements/lock.txt）"; cat build/test-newest.log; \
	echo "== 最低版本（requirements/oldest.txt）"; cat build/test-oldest.log; \
	test $$newest -eq 0 && test $$oldest -eq 0

bench: $(BIN)/qingdan
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/diff_bench.py
	$(BIN)/python benchmarks/derived_bench.py

# Newest versions the ranges allow, written to the lock; review the diff, then run make test.
lock:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install $(PIP_FLAGS) -e '.[dev]'
	{ sed -n '1,2p' requirements/lock.txt; \
	  .venv-lock/bin/python -m pip freeze --exclude-editable | grep -v '^qingdan'; \
	  echo 'colorama==0.4.6 ; sys_platform == "win32"'; } > requirements/lock.new
	mv requirements/lock.new requirements/lock.txt
	rm -rf .venv-lock

# The oldest versions pyproject.toml declares, in a venv of its own.
$(OLDEST)/bin/qingdan: pyproject.toml requirements/oldest.txt
	$(PYTHON) -m venv $(OLDEST)
	$(OLDEST)/bin/python -m pip install $(PIP_FLAGS) -c requirements/oldest.txt -e '.[dev]'
	touch $@

clean:
	rm -rf $(VENV) $(OLDEST) .venv-lock build dist .mypy_cache .ruff_cache .pytest_cache
