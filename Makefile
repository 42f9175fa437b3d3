# make dist: set everything up and build the default issue; make test: set up and run the tests.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-noto-cjk \
                poppler-utils default-jre-headless libgs-common \
                libicu-dev pkg-config g++ python3-dev
STAMP := $(VENV)/.installed
# test only: the browser for Ace by DAISY and the reading-system test, Node.js for Ace and epub.js
TEST_APT_PACKAGES := chromium
NODE_STAMP := node_modules/.installed

.PHONY: setup system test-tools dist test test-fast bench lint clean

setup: system $(STAMP)

# Installs the system components WeasyPrint, the fonts and EPUBCheck need, only when missing;
# libicu-dev, pkg-config, g++ and python3-dev let pip build PyICU (stroke-order speaker index).
system:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null \
	    | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	    echo "setup: installing system packages:" $$missing; \
	    SUDO=$$( [ $$(id -u) -eq 0 ] || echo sudo ); \
	    $$SUDO apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	@touch $(STAMP)

dist: setup
	$(VENV)/bin/publish build seeds/jiyang-2020 --out dist

# Ace by DAISY and epub.js from package-lock.json; puppeteer uses Debian's chromium, so no browser
# is downloaded (PUPPETEER_SKIP_DOWNLOAD; the tests set PUPPETEER_EXECUTABLE_PATH).
test-tools: system
	@missing=$$(for p in $(TEST_APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null \
	    | grep -q 'install ok installed' || echo $$p; done); \
	command -v node >/dev/null && command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	    echo "setup: installing test packages:" $$missing; \
	    SUDO=$$( [ $$(id -u) -eq 0 ] || echo sudo ); \
	    $$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
	        --no-install-recommends $$missing; \
	fi
	@$(MAKE) --no-print-directory $(NODE_STAMP)

$(NODE_STAMP): package.json package-lock.json
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	@touch $(NODE_STAMP)

test: setup test-tools
	$(VENV)/bin/pytest -q

# the tests not marked slow (no whole builds, validators or browsers): under a minute
test-fast: setup
	$(VENV)/bin/pytest -q -m "not slow"

bench: setup
	$(PY) -m publish.bench

lint: setup
	$(VENV)/bin/ruff check publish tests
	$(VENV)/bin/ruff format --check publish tests

clean:
	rm -rf $(VENV) dist/*.pdf dist/*.epub
