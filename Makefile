# corresp — build every edition in $(OUT)/ from $(SEEDS_DIR)/, and run the tests.
# `make` and `make test` do all set-up themselves (a virtualenv in .venv).
# Incremental: a target is rebuilt only when its source, its style or the code changed.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CORRESP := $(BIN)/corresp

SEEDS_DIR ?= seeds
STYLES    ?= styles
OUT       ?= output
NOTES     ?= per-document

# Builds are reproducible: the same inputs give byte-identical files.
export SOURCE_DATE_EPOCH ?= 1767225600

SEEDS := $(wildcard $(SEEDS_DIR)/*.txt)
NAMES := $(SEEDS:$(SEEDS_DIR)/%.txt=%)
CODE  := $(shell find src -name '*.py') pyproject.toml
CONFIG := $(wildcard edition.toml)
BUILD = $(CORRESP) build $< -o $(OUT) --style $(STYLES) --notes $(NOTES) -q

JSON := $(NAMES:%=$(OUT)/%.json)
EPUB := $(NAMES:%=$(OUT)/%.epub)
PDF  := $(NAMES:%=$(OUT)/%.pdf)
DOCX := $(NAMES:%=$(OUT)/%.docx)

.PHONY: all json epub pdf docx test verify bench volume setup clean distclean
.DELETE_ON_ERROR:

all: json epub pdf docx

json: $(JSON)
epub: $(EPUB)
pdf:  $(PDF)
docx: $(DOCX)

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

$(OUT)/%.json: $(SEEDS_DIR)/%.txt $(CODE) $(CONFIG) | $(STAMP)
	$(BUILD) -f json

$(OUT)/%.epub: $(SEEDS_DIR)/%.txt $(STYLES)/epub.css $(CODE) $(CONFIG) | $(STAMP)
	$(BUILD) -f epub

$(OUT)/%.pdf: $(SEEDS_DIR)/%.txt $(STYLES)/pdf.toml $(wildcard $(STYLES)/fonts/*) $(CODE) $(CONFIG) | $(STAMP)
	$(BUILD) -f pdf

$(OUT)/%.docx: $(SEEDS_DIR)/%.txt $(STYLES)/reference.docx $(CODE) $(CONFIG) | $(STAMP)
	$(BUILD) -f docx

# Reads every file back and checks all formats carry the same notes.
verify: all
	$(CORRESP) verify $(OUT)

# The volume described by edition.toml (all its sources, one chapter each).
volume: $(STAMP)
	$(CORRESP) build --config edition.toml --verify

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	find $(OUT) -mindepth 1 ! -name .gitkeep -delete

distclean: clean
	rm -rf $(VENV)
