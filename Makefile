# make dist: set everything up and build the default issue; make test: set up and run the tests.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-noto-cjk \
                poppler-utils default-jre-headless libgs-common icc-profiles-free argyll \
                libicu-dev pkg-config g++ python3-dev ghostscript qpdf
TEST_APT_PACKAGES := chromium
STAMP := $(VENV)/.installed
# The PDF/X-4 press profile, ISO 12647-2 coated offset, made from FOGRA39L measurements
PRESS_PROFILE := $(VENV)/share/publish/FOGRA39L.icc

.PHONY: setup system test-system dist test test-fast bench lint clean

setup: system $(STAMP) $(PRESS_PROFILE)

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

# Only the tests need a browser: Debian's Chromium, driven by Playwright (no browser download).
test-system:
	@$(MAKE) --no-print-directory system APT_PACKAGES="$(TEST_APT_PACKAGES)"

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	@touch $(STAMP)

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

test: setup test-system
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
