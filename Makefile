# The two commands of the README: `make demo` and `make test`. Each sets itself up on a fresh machine.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint typecheck bench clean system-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The tesseract binary is the fast OCR engine; where it cannot be installed the code falls back
# to easyocr (slower) and says so.
system-deps:
	@command -v tesseract >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get install -y -qq tesseract-ocr >/dev/null 2>&1 || \
	     (apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq tesseract-ocr >/dev/null 2>&1)) \
	    || echo "note: could not install tesseract-ocr; OCR falls back to easyocr"; \
	  else echo "note: tesseract not found and not installable here; OCR falls back to easyocr"; fi; }

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[all,dev]'
	@touch $(STAMP)

setup: system-deps $(STAMP)

demo: setup
	$(BIN)/headroom-image demo

test: setup
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

lint:
	$(BIN)/ruff check .

typecheck:
	$(BIN)/mypy

bench: setup
	$(BIN)/python benchmarks/tiles.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist
