# 两个入口：make run（在示例清单上运行）和 make test（全部检查和测试）。
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench clean

$(BIN)/qingdan: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

run: $(BIN)/qingdan
	$(BIN)/qingdan validate lists
	$(BIN)/qingdan stats lists

lint: $(BIN)/qingdan
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

bench: $(BIN)/qingdan
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/diff_bench.py

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache .pytest_cache
