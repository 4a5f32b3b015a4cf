# Two commands on a fresh machine: `make run` (the app on embedded SQLite) and `make test` (everything).
VENV ?= .venv
PY := $(VENV)/bin/python
# Only this machine can reach `make run`; a public deployment goes behind deploy/haproxy.cfg (README).
ADDRESS ?= 127.0.0.1

.PHONY: run test lint bench setup

$(VENV)/.installed: requirements.txt requirements-dev.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed

run: setup
	$(PY) cli.py migrate
	$(PY) -m streamlit run server.py --server.address $(ADDRESS)

test:
	bash scripts/test.sh

lint: setup
	$(VENV)/bin/ruff check .

bench: setup
	$(PY) -m bench all
