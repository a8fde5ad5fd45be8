# The two commands of the README: `make run` (the demo) and `make test` (the suite).
PYTHON ?= python3
UV = $(PYTHON) -m uv
VENV = .venv
PY = $(VENV)/bin/python

.PHONY: run test install lint check clean mutation

$(VENV)/.installed: pyproject.toml uv.lock
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

install: $(VENV)/.installed

run: install
	$(PY) scripts/run_demo.py

test: install
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
