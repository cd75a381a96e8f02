# corresp — build every edition in $(OUT)/ from $(SEEDS_DIR)/, and run the tests.
# `make` and `make test` do all set-up themselves (a virtualenv in .venv).
# Incremental: a target is rebuilt only when its source, its style, a setting (NOTES,
# STYLES) or the code changed.

PYTHON ?= python3
VENV   ?= .venv
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

# The default style ships in the package; $(STYLES) holds only what an edition changes, and
# each part it lacks comes from the default. A format depends on both.
DEFAULT_STYLES := src/corresp/styles
style_part = $(DEFAULT_STYLES)/$(1) $(wildcard $(STYLES)/$(1))
PDF_STYLE := $(call style_part,pdf.toml) $(wildcard $(DEFAULT_STYLES)/fonts/*) \
             $(shell find $(STYLES) -type f \( -iname '*.ttf' -o -iname '*.otf' \) 2>/dev/null)

# A stamp per setting, rewritten (at parse time) only when its value changes: a build with
# another NOTES or STYLES is then out of date although no file changed.
SETTINGS := $(OUT)/.settings
record = $(shell mkdir -p $(SETTINGS) && v='$(2)' && \
           { [ "$$(cat $(SETTINGS)/$(1) 2>/dev/null)" = "$$v" ] || printf '%s\n' "$$v" >$(SETTINGS)/$(1); })
NOTES_STAMP  := $(SETTINGS)/notes
STYLES_STAMP := $(SETTINGS)/styles
$(call record,notes,$(NOTES))
$(call record,styles,$(abspath $(STYLES)))

# corresp needs Python >= 3.11. A .venv made by another Python (or broken) is made again.
py_version = $(shell $(1) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
PY_VERSION   := $(call py_version,$(PYTHON))
VENV_VERSION := $(if $(wildcard $(VENV)),$(or $(call py_version,$(BIN)/python),broken))
STALE_VENV   := $(if $(and $(VENV_VERSION),$(PY_VERSION)),$(filter-out $(PY_VERSION),$(VENV_VERSION)))

JSON := $(NAMES:%=$(OUT)/%.json)
EPUB := $(NAMES:%=$(OUT)/%.epub)
PDF  := $(NAMES:%=$(OUT)/%.pdf)
PRINT := $(NAMES:%=$(OUT)/%.print.pdf)
DOCX := $(NAMES:%=$(OUT)/%.docx)
TEI  := $(NAMES:%=$(OUT)/%.tei.xml)
CMIF := $(NAMES:%=$(OUT)/%.cmif.xml)
# The web edition of each seed: a folder, published whole; its index.html stands for it.
SITE := $(NAMES:%=$(OUT)/%.web/index.html)
# The correspondents' authority URIs (TEI, CMIF), when the edition has them.
PERSONS := $(wildcard persons.toml)
# A seed's corrections file (seeds/NAME.corrections.toml), when it has one, is part of its source.
.SECONDEXPANSION:
CORRECTIONS = $$(wildcard $(SEEDS_DIR)/$$*.corrections.toml)

.PHONY: all json epub pdf pdf-print docx tei cmif site test verify bench volume web preview setup clean distclean FORCE
.DELETE_ON_ERROR:

all: json epub pdf pdf-print docx tei cmif site

json: $(JSON)
epub: $(EPUB)
pdf:  $(PDF)
pdf-print: $(PRINT)
docx: $(DOCX)
tei:  $(TEI)
cmif: $(CMIF)
site: $(SITE)

# The package's bytecode, written once: an editable install has none, and where
# PYTHONDONTWRITEBYTECODE is set (as on the machines this project runs on) every process
# would compile each module it imports again (0.07 s a process; a build forks several).
# Python reads it only while it matches its source.
COMPILE_BYTECODE = $(BIN)/python -m compileall -q src >/dev/null

setup: $(STAMP)

# The modules that setup.py compiles (when there is a C compiler): their
# compiled twins are built again when these change (an edited .py runs as Python until then).
# (setup.py's ACCELERATED: one quoted path a line)
ACCELERATED := $(foreach m,$(shell sed -n 's|^    "\(corresp/[a-z_/]*\)",$$|\1|p' setup.py),$(wildcard src/$(m).py src/$(m).pxd))

$(STAMP): pyproject.toml setup.py $(ACCELERATED) $(if $(STALE_VENV),FORCE)
	@case "$(PY_VERSION)" in 3.1[1-9]|3.[2-9][0-9]) ;; *) \
	  echo "make: corresp needs Python >= 3.11; $(PYTHON) is $(or $(PY_VERSION),not found)" \
	       "(run make PYTHON=python3.11, or newer)" >&2; exit 1;; esac
	$(if $(STALE_VENV),rm -rf $(VENV)  # made by Python $(VENV_VERSION))
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	$(COMPILE_BYTECODE)
	touch $@

# Written above when make starts; made again if `make clean` removed them in this same run.
$(NOTES_STAMP):
	@mkdir -p $(@D) && printf '%s\n' '$(NOTES)' >$@
$(STYLES_STAMP):
	@mkdir -p $(@D) && printf '%s\n' '$(abspath $(STYLES))' >$@

$(OUT)/%.json: $(SEEDS_DIR)/%.txt $(CORRECTIONS) $(NOTES_STAMP) $(CODE) $(CONFIG) | $(STAMP)
	$(BUILD) -f json

$(OUT)/%.epub: $(SEEDS_DIR)/%.txt $(CORRECTIONS) $(call style_part,epub.css) $(NOTES_STAMP) $(STYLES_STAMP) $(CODE) $(CONFIG) | $(STAMP)
	$(BUILD) -f epub

$(OUT)/%.pdf: $(SEEDS_DIR)/%.txt $(CORRECTIONS) $(PDF_STYLE) $(NOTES_STAMP) $(STYLES_STAMP) $(CODE) $(CONFIG) | $(STAMP)
	$(BUILD) -f pdf

# The PDF/X-4 print edition (bleed from the style folder's optional print.toml).
$(OUT)/%.print.pdf: $(SEEDS_DIR)/%.txt $(CORRECTIONS) $(PDF_STYLE) $(wildcard $(STYLES)/print.toml) $(NOTES_STAMP) $(STYLES_STAMP) $(CODE) $(CONFIG) | $(STAMP)
	$(BUILD) -f pdf-print

$(OUT)/%.docx: $(SEEDS_DIR)/%.txt $(CORRECTIONS) $(call style_part,reference.docx) $(NOTES_STAMP) $(STYLES_STAMP) $(CODE) $(CONFIG) | $(STAMP)
	$(BUILD) -f docx

$(OUT)/%.tei.xml: $(SEEDS_DIR)/%.txt $(CORRECTIONS) $(PERSONS) $(NOTES_STAMP) $(CODE) $(CONFIG) | $(STAMP)
	$(BUILD) -f tei

$(OUT)/%.cmif.xml: $(SEEDS_DIR)/%.txt $(CORRECTIONS) $(PERSONS) $(CODE) $(CONFIG) | $(STAMP)
	$(BUILD) -f cmif

$(OUT)/%.web/index.html: $(SEEDS_DIR)/%.txt $(CORRECTIONS) $(call style_part,epub.css) $(NOTES_STAMP) $(STYLES_STAMP) $(PERSONS) $(CODE) $(CONFIG) | $(STAMP)
	$(BUILD) -f web

# Reads every file back and checks all formats carry the same notes.
verify: all
	$(CORRESP) verify $(OUT)

# The volume described by edition.toml (all its sources, one chapter each).
volume: $(STAMP)
	$(CORRESP) build --config edition.toml --verify

# The volume's web edition (output/NAME.web/, with its JSON to verify against), and a preview
# of it on http://localhost:8000/ (any static host serves the folder as it is).
web: $(STAMP)
	$(CORRESP) build --config edition.toml -f web -f json --verify

preview: web
	$(BIN)/python -m http.server 8000 --directory $(OUT)/$$(sed -n 's/^name *= *"\(.*\)"/\1/p' edition.toml).web

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(COMPILE_BYTECODE)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/web.py | tee bench/web-results.txt
	$(BIN)/python bench/redos.py | tee bench/redos-results.txt

clean:
	find $(OUT) -mindepth 1 ! -name .gitkeep -delete

distclean: clean
	rm -rf $(VENV)
	find src -name __pycache__ -type d -prune -exec rm -rf {} +
