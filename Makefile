# Comptoir: `make demo` serves the demo store, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
DEMO_BUNDLE := demo/store.json
ADDR ?= 127.0.0.1:8000

WORKERS ?= 2

.PHONY: venv demo serve worker test lint migrate messages clean

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

# Production profile: gunicorn (WORKERS processes) with WhiteNoise for static files; settings
# from the environment (docs/deployment.md). Stateless: run it on as many machines as needed.
serve: migrate
	STATIC_ROOT="$${STATIC_ROOT:-staticfiles}" $(BIN)/python manage.py collectstatic --noinput -v0
	STATIC_ROOT="$${STATIC_ROOT:-staticfiles}" $(BIN)/gunicorn comptoir.wsgi:application \
		--bind $(ADDR) --workers $(WORKERS) --timeout 30 --graceful-timeout 20 \
		--max-requests 2000 --max-requests-jitter 200 --access-logfile -

# The background task worker of the configured backend (TASKS_BACKEND: database or rq).
worker: migrate
	if [ "$${TASKS_BACKEND:-database}" = rq ]; then \
		$(BIN)/python manage.py rqworker default --with-scheduler; \
	else \
		$(BIN)/python manage.py db_worker; \
	fi

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
