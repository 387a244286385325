# Comptoir: `make demo` serves the demo store, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
DEMO_BUNDLE := demo/store.json
ADDR ?= 127.0.0.1:8000

.PHONY: venv demo test lint migrate messages clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

migrate: venv
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_store $(DEMO_BUNDLE)
	$(BIN)/python manage.py demo_logins
	$(BIN)/python manage.py runserver --insecure $(ADDR)

# SQLite unless TEST_DATABASE_URL (or DATABASE_URL) names another database.
test: venv
	DATABASE_URL="$${TEST_DATABASE_URL:-$${DATABASE_URL:-}}" $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

messages: venv
	cd comptoir && ../$(BIN)/python ../manage.py makemessages -l fr --no-obsolete
	cd comptoir && ../$(BIN)/python ../manage.py compilemessages

clean:
	rm -rf $(VENV) var staticfiles
