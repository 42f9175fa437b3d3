# make dist: set up what building needs and build the default issue;
# make test: set up that, plus the test tools, and run the tests.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# Building: Pango and HarfBuzz's subsetter for WeasyPrint, fontconfig and the Noto CJK fonts;
# libicu-dev, pkg-config, g++ and python3-dev let pip build PyICU (stroke-order speaker index);
# icc-profiles-free and argyll make the PDF/X-4 press profile, libgs-common has the generic one.
APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-noto-cjk \
                libicu-dev pkg-config g++ python3-dev icc-profiles-free argyll libgs-common
# Testing only: Java for EPUBCheck, Poppler, Ghostscript and qpdf for the PDF checks, Debian's
# chromium for Ace by DAISY, the reading-system and the preview tests; calibre for ebook-meta.
TEST_APT_PACKAGES := default-jre-headless poppler-utils ghostscript qpdf chromium calibre
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
NODE_STAMP := node_modules/.installed
# The PDF/X-4 press profile, ISO 12647-2 coated offset, made from FOGRA39L measurements
PRESS_PROFILE := $(VENV)/share/publish/FOGRA39L.icc

.PHONY: setup setup-test system system-test dist test test-fast bench lint clean

# pip's editable install compiles no bytecode, and where PYTHONDONTWRITEBYTECODE is set (these
# machines) Python never writes it: every command compiled the package's modules again (~40 ms
# of a build). compileall writes what is stale only; an edit after it is compiled as before.
setup: system $(STAMP) $(PRESS_PROFILE)
	@$(PY) -m compileall -q publish

setup-test: setup system-test $(TEST_STAMP) $(NODE_STAMP)

# apt-get only for what is missing; $(1) names the packages.
define apt_missing
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null \
	    | grep -q 'install ok installed' || echo $$p; done); \
	$(2) \
	if [ -n "$$missing" ]; then \
	    echo "setup: installing system packages:" $$missing; \
	    SUDO=$$( [ $$(id -u) -eq 0 ] || echo sudo ); \
	    $$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
	        --no-install-recommends $$missing; \
	fi
endef

system:
	$(call apt_missing,$(APT_PACKAGES),)

system-test:
	$(call apt_missing,$(TEST_APT_PACKAGES),command -v node >/dev/null && command -v npm >/dev/null || missing="$$missing nodejs npm";)

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	@touch $(STAMP)

$(TEST_STAMP): pyproject.toml $(STAMP)
	$(PY) -m pip install -q -e '.[test]'
	@touch $(TEST_STAMP)

# Ace by DAISY and epub.js from package-lock.json; puppeteer uses Debian's chromium, so no browser
# is downloaded (PUPPETEER_SKIP_DOWNLOAD; the tests set PUPPETEER_EXECUTABLE_PATH).
$(NODE_STAMP): package.json package-lock.json
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	@touch $(NODE_STAMP)

# ArgyllCMS builds the profile from Debian's FOGRA39L.ti3 (zlib licence) once: ~1 CPU minute.
# Relative colorimetric tables (-qm medium quality), black generation by a ramp (-kr).
$(PRESS_PROFILE): | $(STAMP)
	@mkdir -p $(dir $@)
	@work=$$(mktemp -d) && cp /usr/share/color/icc/FOGRA39L.ti3 $$work/ && \
	echo "setup: building the FOGRA39L press profile with ArgyllCMS colprof (about a minute)" && \
	(cd $$work && colprof -qm -kr -D "FOGRA39L (ISO 12647-2:2004/Amd 1, coated)" \
	    -C "Made with ArgyllCMS colprof from FOGRA39L.ti3 of icc-profiles-free (zlib)" \
	    -O FOGRA39L.icc FOGRA39L > colprof.log) && \
	mv $$work/FOGRA39L.icc $@ && rm -rf $$work

dist: setup
	$(VENV)/bin/publish build seeds/jiyang-2020 --out dist

test: setup-test
	$(VENV)/bin/pytest -q

# the tests not marked slow (no whole builds, validators or browsers): under a minute
test-fast: setup-test
	$(VENV)/bin/pytest -q -m "not slow"

bench: setup
	$(PY) -m publish.bench

lint: setup-test
	$(VENV)/bin/ruff check publish tests
	$(VENV)/bin/ruff format --check publish tests

clean:
	rm -rf $(VENV) node_modules dist/*.pdf dist/*.epub
