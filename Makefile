# Three commands do all the set-up: `make serve`, `make test` and `make check` (README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: serve build test check lint mutate figures notebooks costs bench measure screenshots chromium clean

# The virtual environment: the pinned requirements, then the project itself (editable, so
# `snippets` and `sitebuild` import from anywhere and MkDocs finds the `executed` plugin).
# Re-installed only when requirements.txt or pyproject.toml changes. The lock makes concurrent
# targets on a fresh clone wait for one installation instead of racing it.
$(STAMP): requirements.txt pyproject.toml
	@flock .venv.lock sh -c 'if [ ! -f $(STAMP) ] || [ requirements.txt -nt $(STAMP) ] || [ pyproject.toml -nt $(STAMP) ]; then \
	  { [ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV); } && \
	  $(BIN)/python -m pip install --quiet -r requirements.txt && \
	  $(BIN)/python -m pip install --quiet --no-deps -e . && touch $(STAMP); fi'

serve: $(STAMP)
	$(BIN)/mkdocs serve --strict -a 127.0.0.1:8000 --livereload

build: $(STAMP)
	$(BIN)/mkdocs build --strict

# The everyday loop: lint, then every test that needs neither a built site nor a browser
# (numerical oracles, parsers, cache logic, the bad-input table at a small Hypothesis profile,
# the claims decided by experiments, read from the experiment cache once computed).
test: $(STAMP) lint
	$(BIN)/python -m pytest -m "not site" --hypothesis-profile=fast

# Everything: the same tests at the full Hypothesis profile, plus the site builds, executed
# notebooks, Chromium and axe. CI (.ci/run) and the deploy workflow run this.
check: $(STAMP) chromium lint
	$(BIN)/python -m pytest --hypothesis-profile=full

lint: $(STAMP)
	$(BIN)/ruff check .

# Mutation testing, by hand (not in CI): mutmut edits the code that decides the claims one small
# change at a time ([tool.mutmut] in pyproject.toml says which modules and tests) and runs the
# tests that reach each change. Then `.venv/bin/mutmut results` lists the mutants no test
# noticed and `.venv/bin/mutmut show NAME` shows one; a second run tests only the functions that
# changed since (`rm -rf mutants` starts afresh). Two workers, one BLAS thread each: 7,701 of
# 7,793 mutants took 89 minutes on this 2-core machine, loaded by other work. mutmut and
# what it needs are pinned here, not in requirements.txt: no other target (nor CI, nor the
# deploy) needs them.
MUTMUT := mutmut==3.8.1 libcst==1.9.0 coverage==7.18.0 rich==15.0.0 textual==8.2.8 \
	setproctitle==1.3.8 linkify-it-py==2.2.0
mutate: $(STAMP)
	$(BIN)/python -m pip install --quiet $(MUTMUT)
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $(BIN)/mutmut run --max-children 2

# Render every figure into the cache without building the site.
figures: $(STAMP)
	$(BIN)/python -m sitebuild.figure_cache

# Execute the companion notebooks into the cache without building the site.
notebooks: $(STAMP)
	$(BIN)/python -m sitebuild.notebooks

# Time the activations of chapter 1 on this machine and record the result
# (snippets/experiments/why_relu_works/activation_cost_measured.py): the build never times.
costs: $(STAMP)
	$(BIN)/python -m snippets.experiments.why_relu_works.activation_cost

# Cold, warm and floor build times (prints; asserts nothing).
bench: $(STAMP)
	$(BIN)/python scripts/benchmark.py

# What a reader's browser gets: smallest figure text at 390 and 1280 px, first-load bytes,
# which palette's figures were fetched, layout shift, MathJax, palette at first paint.
measure: build chromium
	$(BIN)/python scripts/measure_pages.py

screenshots: build chromium
	$(BIN)/python scripts/screenshots.py

# The browser tests (make check) need Chromium. As root we install Debian's package; otherwise we stop
# and say what to install, rather than skipping those tests.
chromium:
	@if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then \
	  true; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Chromium for the browser tests (apt-get install chromium)"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	else \
	  echo "make check needs Chromium for its browser tests: install it (Debian/Ubuntu: sudo apt-get install chromium) and run make check again." >&2; \
	  exit 1; \
	fi

clean:
	rm -rf site .cache screenshots
