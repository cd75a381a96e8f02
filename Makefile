# corresp — build every edition in output/ from seeds/, and run the tests.
# `make` and `make test` do all set-up themselves (a virtualenv in .venv).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CORRESP := $(BIN)/corresp

# Builds are reproducible: the same inputs give byte-identical files.
export SOURCE_DATE_EPOCH ?= 1767225600

SEEDS  := $(wildcard seeds/*.txt)
NAMES  := $(SEEDS:seeds/%.txt=%)
CODE   := $(shell find src -name '*.py') pyproject.toml

JSON := $(NAMES:%=output/%.json)
EPUB := $(NAMES:%=output/%.epub)
PDF  := $(NAMES:%=output/%.pdf)
DOCX := $(NAMES:%=output/%.docx)

.PHONY: all json epub pdf docx test verify bench clean distclean setup
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

output/%.json: seeds/%.txt $(CODE) | $(STAMP)
	$(CORRESP) build $< -o output -f json -q

output/%.epub: seeds/%.txt styles/epub.css $(CODE) | $(STAMP)
	$(CORRESP) build $< -o output -f epub -q

output/%.pdf: seeds/%.txt styles/pdf.toml $(wildcard styles/fonts/*) $(CODE) | $(STAMP)
	$(CORRESP) build $< -o output -f pdf -q

output/%.docx: seeds/%.txt styles/reference.docx $(CODE) | $(STAMP)
	$(CORRESP) build $< -o output -f docx -q

test: $(STAMP)
	$(BIN)/python -m pytest -q

clean:
	find output -mindepth 1 ! -name .gitkeep -delete

distclean: clean
	rm -rf $(VENV)
