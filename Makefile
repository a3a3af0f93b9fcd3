# Cổng Dịch vụ công — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Embedded defaults for `make run`: SQLite, in-process tasks, e-mail to files, the payment sandbox, the demo data and
# mailbox (each stand-in named, though DJANGO_DEBUG=1 turns them on by default).
RUN_ENV := DJANGO_DEBUG=1 PAYMENT_SANDBOX=1 DEMO_MODE=1 SITE_URL=http://$(HOST):$(PORT)

PROOF_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal_proof

.PHONY: proof run test test-fast install migrate seed messages bench bench-catalogue cluster drill clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

# axe-core (npm) for the browser tests' accessibility check; `make run` does not need it.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the accessibility check of the browser tests needs it (apt install npm)"; fi

install: $(VENV)/.installed node_modules/.installed

migrate: $(VENV)/.installed
	$(RUN_ENV) $(PY) manage.py migrate --noinput

seed: migrate
	$(RUN_ENV) $(PY) manage.py seed_demo

run: seed
	@echo "Cổng Dịch vụ công: http://$(HOST):$(PORT)/  (quản trị: http://$(HOST):$(PORT)/admin/)"
	@echo "Hộp thư mẫu (e-mail xác nhận…): http://$(HOST):$(PORT)/tai-khoan/hop-thu/"
	@echo "Cán bộ: đăng nhập Cổng, rồi thiết lập xác thực hai lớp tại http://$(HOST):$(PORT)/tai-khoan/xac-thuc-hai-lop/ trước khi vào trang quản trị."
	$(RUN_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

# Uses DATABASE_URL if set (CI points it at PostgreSQL), otherwise SQLite under var/.
test: install
	$(PY) -m pytest $(PYTEST_ARGS)

# The fast tier, for the edit-test loop: no PostgreSQL-only, browser, reliability or integration tests
# (no service to start; a few minutes on SQLite). `make test` remains the gate.
test-fast: install
	$(PY) -m pytest -m "not postgres and not browser and not reliability and not integration" $(PYTEST_ARGS)

# The proofs of README "Kiểm chứng" alone: journey in Chromium, reliability suite, input fuzzing (PostgreSQL + Redis).
proof: install
	DATABASE_URL=$(PROOF_DATABASE_URL) REQUIRE_SERVICES=1 $(PY) -m pytest tests/e2e/test_journey.py tests/reliability tests/fuzz \
		tests/cluster $(PYTEST_ARGS)

# After changing a user-visible string: refresh both catalogues (needs gettext), translate, then compile.
# The compiled .mo files are committed, so `make run` needs no gettext.
messages: install
	DJANGO_DEBUG=1 $(PY) manage.py makemessages -l en -l vi --no-obsolete --no-location --ignore=node_modules \
		--ignore=.venv --ignore=tests --ignore=bench --ignore=var --ignore=artifacts
	cd locale && DJANGO_DEBUG=1 ../$(PY) ../manage.py compilemessages

bench: install
	$(PY) bench/run.py $(BENCH)

# Backup and point-in-time restore drill (issue #27 §2, runbook docs/operations.md): a PostgreSQL 15 cluster of its own
# with pgBackRest (run as the postgres user: needs root), its own S3 and Redis; restores to a time T and checks the
# portal. Results in bench/results/drill.md; DRILL_QUICK=1 is the short CI form (results in artifacts/drill/).
drill: install
	$(PY) ops/drill.py $(if $(DRILL_QUICK),--quick)

# The cluster test (docs/cluster.md): 3 gunicorn nodes behind HAProxy, 2 Celery workers and a beat, on PostgreSQL and
# a private Redis (port 55551), under the mixed load while a node, a worker and Redis are killed and every node is
# restarted in turn; writes bench/results/cluster.{md,json}, exits 1 when a check fails. `make cluster CLUSTER_QUICK=1`:
# the short form CI runs (tests/cluster, ~4 min here), with CLUSTER_OUT=<dir> for its results.
CLUSTER_DATABASE ?= portal_cluster_run
cluster: install
	CLUSTER_DATABASE=$(CLUSTER_DATABASE) $(PY) bench/cluster.py

clean:
	rm -rf var/db.sqlite3 var/test-db.sqlite3 var/mail var/media var/static
