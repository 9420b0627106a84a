# Two commands do everything on a fresh clone:
#   make demo   set up .venv and lint the bundled example storefront
#   make test   set up .venv and run the whole test suite
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || \
	  { echo "promiselint needs Python >= 3.12 (see .python-version)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[test,catalog]' emoji regex six
	# camel-tools' normalizers only (not its 6 GB torch stack), for tests/test_camel.py;
	# last and with --no-deps, so pip has no unmet requirement of it to complain about
	$(VENV)/bin/pip install -q --no-deps camel-tools==1.6.0
	touch $@

.PHONY: demo test bench docs snapshot
demo: $(STAMP)
	$(VENV)/bin/promiselint check examples/storefront/en examples/storefront/ar examples/storefront/fa --fail-on never

test: $(STAMP)
	$(VENV)/bin/pytest

bench: $(STAMP)
	$(VENV)/bin/pip install -q -e '.[bench]'
	$(VENV)/bin/python bench/bench.py

# the findings snapshot of tests/test_snapshot.py, when rules change on purpose (review the diff)
snapshot: $(STAMP)
	$(VENV)/bin/python -m tests.test_snapshot --update

docs: $(STAMP)
	$(VENV)/bin/promiselint rules --markdown > docs/rules.md

# the VS Code extension (editors/vscode): npm ci from the committed lockfile, packaged with @vscode/vsce
.PHONY: vsix
vsix:
	cd editors/vscode && npm ci --ignore-scripts --no-audit --no-fund && npm run package
