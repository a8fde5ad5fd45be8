# The two commands of the README: `make run` (the demo) and `make test` (the suite).
PYTHON ?= python3
UV = $(PYTHON) -m uv
VENV = .venv
PY = $(VENV)/bin/python

.PHONY: office run test install bytecode lint check clean mutation

$(VENV)/.installed: pyproject.toml uv.lock
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	@touch $@

install: $(VENV)/.installed

# Bytecode compiled ahead: where PYTHONDONTWRITEBYTECODE is set (as on the machine CI runs on),
# Python never keeps it, and every process the suite or the demo starts compiled each module it imports
# from source again (`manage.py check`: 3.6 s, 1.5 s with bytecode). The libraries are compiled
# when installed (above); our own modules here, each time (only changed files are rewritten).
APP_CODE = icp_secretariat committees communications documents meetings members portal \
	public_site demo scripts tests benchmarks manage.py
bytecode: install
	@$(PY) -m compileall -q -j0 $(APP_CODE)

run: install office bytecode
	$(PY) scripts/run_demo.py

# LibreOffice headless converts office papers (issue 15); installed with apt when missing.
office:
	@command -v soffice >/dev/null 2>&1 || { \
	  echo "Installing LibreOffice (Writer, Impress, Calc; no GUI) for office papers..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q \
	    libreoffice-writer-nogui libreoffice-impress-nogui libreoffice-calc-nogui \
	  || echo "LibreOffice could not be installed: office papers will fail to convert (PDFs work)."; }

# Three test processes (pytest-xdist) on two cores: while one waits on a browser, a worker or a
# server, the others use the CPU. Each has its own test database (copied from one migrated
# template: tests/template_db.py), Redis database and VAR_DIR (icp_secretariat/test_settings.py).
# `make test PYTEST_ARGS=` runs them in one process.
PYTEST_ARGS ?= -n 3 --dist loadgroup

test: install bytecode
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

check: install
	@mkdir -p $${VAR_DIR:-var}  # makemigrations --check opens the default SQLite database
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# Mutation testing (mutmut) over the rule modules, each with only the tests that cover it; not part
# of `make test` or CI. MUTATION_MODULES="public_cache outbox" runs some; default: all.
mutation: install
	$(PY) scripts/mutation.py $(MUTATION_MODULES)

clean:
	rm -rf $(VENV) var
