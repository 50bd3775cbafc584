# tssh: build, run, test, install. Every target installs what it needs first.
SHELL := /bin/bash
PREFIX ?= /usr/local
DESTDIR ?=
SYSCONFDIR ?= /etc/tssh
LIBDIR := $(PREFIX)/lib/tssh
STATE := $(CURDIR)/.state
TSC := ./node_modules/.bin/tsc
PROGRAMS := tsshd tsshd-session tssh tssh-keygen
RUN_PORT ?= 2222

.PHONY: all deps build lint run test test-unit peers install uninstall clean bench

all: build

node_modules/.installed: package.json package-lock.json packages/*/package.json
	npm ci --no-fund --no-audit
	@touch $@

deps: node_modules/.installed

build: deps
	$(TSC) -b

lint: build
	node scripts/check-layers.mjs
	node scripts/build-wasm.mjs --check

# Host keys for `make run` live in a git-ignored state folder, so that no root is needed.
$(STATE)/ssh_host_ed25519_key: | build
	@mkdir -p $(STATE)
	node packages/keygen/bin/tssh-keygen.js -q -t ed25519 -N '' -C tsshd-run -f $@

run: build $(STATE)/ssh_host_ed25519_key
	node packages/sshd/bin/tsshd.js -D -e -f etc/sshd_config.run -p $(RUN_PORT) \
		-o HostKey=$(STATE)/ssh_host_ed25519_key -o PidFile=$(STATE)/tsshd.pid

# Interop peers for the tests: OpenSSH client and server, Dropbear. Installed when missing (needs root).
peers:
	@if ! command -v ssh >/dev/null || [ ! -x /usr/sbin/sshd ] || ! command -v dropbear >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				openssh-client openssh-server dropbear-bin >/dev/null; \
		else echo "make test: install openssh-client openssh-server dropbear-bin (needs root)" >&2; exit 1; fi; \
	fi

test: peers lint
	node scripts/run-tests.mjs

test-unit: lint
	node scripts/run-tests.mjs unit memory

install: build
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(SYSCONFDIR)
	cp -R package.json package-lock.json node_modules $(DESTDIR)$(LIBDIR)/
	install -d $(DESTDIR)$(LIBDIR)/packages
	for p in ssh-protocol keygen ssh sshd; do \
		install -d $(DESTDIR)$(LIBDIR)/packages/$$p; \
		cp -R packages/$$p/package.json packages/$$p/dist $(DESTDIR)$(LIBDIR)/packages/$$p/; \
		if [ -d packages/$$p/bin ]; then cp -R packages/$$p/bin $(DESTDIR)$(LIBDIR)/packages/$$p/; fi; \
	done
	ln -sf $(LIBDIR)/packages/sshd/bin/tsshd.js $(DESTDIR)$(PREFIX)/bin/tsshd
	ln -sf $(LIBDIR)/packages/sshd/bin/tsshd-session.js $(DESTDIR)$(PREFIX)/bin/tsshd-session
	ln -sf $(LIBDIR)/packages/ssh/bin/tssh.js $(DESTDIR)$(PREFIX)/bin/tssh
	ln -sf $(LIBDIR)/packages/keygen/bin/tssh-keygen.js $(DESTDIR)$(PREFIX)/bin/tssh-keygen
	for f in sshd_config ssh_config; do \
		[ -e $(DESTDIR)$(SYSCONFDIR)/$$f ] || install -m 644 etc/$$f $(DESTDIR)$(SYSCONFDIR)/$$f; \
	done
	if [ -z "$(DESTDIR)" ]; then node packages/keygen/bin/tssh-keygen.js -A; fi

uninstall:
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/bin/,$(PROGRAMS))
	rm -rf $(DESTDIR)$(LIBDIR)

clean:
	rm -rf packages/*/dist test/dist packages/*/*.tsbuildinfo test/*.tsbuildinfo
