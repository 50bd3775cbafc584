# tssh: build, run, test, install. Every target installs what it needs first.
SHELL := /bin/bash
PREFIX ?= /usr/local
DESTDIR ?=
SYSCONFDIR ?= /etc/tssh
LIBDIR := $(PREFIX)/lib/tssh
BINDIR := $(PREFIX)/bin
DATADIR := $(PREFIX)/share/tssh
UNITDIR ?= $(PREFIX)/lib/systemd/system
UNITS := tsshd.service tsshd-listener.socket tsshd.socket tsshd-session@.service
# Host keys belong to one machine: a staged install (DESTDIR) leaves them to the target, unless asked.
INSTALL_HOST_KEYS ?= $(if $(DESTDIR),no,yes)
STATE := $(CURDIR)/.state
TSC := ./node_modules/.bin/tsc
PROGRAMS := tsshd tsshd-session tssh tssh-keygen tsftp tscp
RUN_PORT ?= 2222

.PHONY: all deps build bundle lint run test test-unit peers install uninstall clean bench

all: build

node_modules/.installed: package.json package-lock.json packages/*/package.json
	npm ci --no-fund --no-audit
	@touch $@

deps: node_modules/.installed

build: deps
	$(TSC) -b
	@$(MAKE) --no-print-directory bundle

# tsshd's pre-started workers load tsshd-session as one bundled file instead of ~150 modules: about half the CPU
# from spawn to ready. tsshd uses the bundle only while it is newer than every compiled module
# (packages/sshd/src/worker-entry.ts), so that a plain `tsc -b` afterwards falls back to the modules.
# The client programs are bundled the same way, beside their entry modules (dist/<name>.bundle.mjs): their bin
# shims run a bundle only while it is newer than the packages' last compilation
# (packages/ssh-protocol/bin/program-entry.js). Each one starts in about 0.2 s less CPU.
WORKER_BUNDLE := packages/sshd/dist/tsshd-session.bundle.mjs
CLIENT_ENTRIES := packages/ssh/dist/tssh.js packages/sftp/dist/tsftp.js packages/sftp/dist/tscp.js \
	packages/keygen/dist/tssh-keygen.js
ESBUILD := ./node_modules/.bin/esbuild
BUNDLE_FLAGS := --bundle --platform=node --format=esm --target=node20 --external:node-pty --log-level=warning \
	"--banner:js=import { createRequire as __tsshdRequire } from 'node:module'; const require = __tsshdRequire(import.meta.url);"
bundle:
	@$(ESBUILD) packages/sshd/dist/tsshd-session.js $(BUNDLE_FLAGS) --outfile=$(WORKER_BUNDLE)
	@$(ESBUILD) $(CLIENT_ENTRIES) $(BUNDLE_FLAGS) --outbase=packages --outdir=packages --out-extension:.js=.bundle.mjs

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

# Interop peers for the tests: OpenSSH client and server, Dropbear, curl (its sftp:// and scp:// are libssh2),
# Paramiko and AsyncSSH (Debian's python3), PuTTY's plink, psftp and pscp, xinetd. Installed when missing (needs root).
PEER_PACKAGES := openssh-client openssh-server dropbear-bin curl python3-paramiko python3-asyncssh putty-tools xinetd
peers:
	@if ! command -v ssh >/dev/null || [ ! -x /usr/sbin/sshd ] || ! command -v dropbear >/dev/null \
			|| [ ! -x /usr/bin/curl ] || [ ! -x /usr/sbin/xinetd ] || [ ! -x /usr/bin/plink ] \
			|| ! /usr/bin/python3 -c 'import paramiko, asyncssh' 2>/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PEER_PACKAGES) >/dev/null; \
		else echo "make test: install $(PEER_PACKAGES) (needs root)" >&2; exit 1; fi; \
	fi

test: peers lint
	node scripts/run-tests.mjs

test-unit: lint
	node scripts/run-tests.mjs unit memory

# The programs with the production dependencies only, the default configuration files (an existing one, edited
# or not, is never replaced), host keys when missing, the systemd units and the inetd/xinetd entries (not enabled).
install: build
	install -d $(DESTDIR)$(LIBDIR)/node_modules $(DESTDIR)$(BINDIR) $(DESTDIR)$(SYSCONFDIR) \
		$(DESTDIR)$(UNITDIR) $(DESTDIR)$(DATADIR)/xinetd.d
	cp package.json package-lock.json $(DESTDIR)$(LIBDIR)/
	npm ls --omit=dev --all --parseable 2>/dev/null | sed -n 's|^$(CURDIR)/node_modules/||p' | grep -v '/node_modules/' \
		| while read -r dep; do \
			install -d "$(DESTDIR)$(LIBDIR)/node_modules/$$(dirname "$$dep")"; \
			cp -R "node_modules/$$dep" "$(DESTDIR)$(LIBDIR)/node_modules/$$(dirname "$$dep")/"; \
		done
	for p in ssh-protocol keygen ssh sshd sftp; do \
		install -d $(DESTDIR)$(LIBDIR)/packages/$$p; \
		cp -R packages/$$p/package.json packages/$$p/dist $(DESTDIR)$(LIBDIR)/packages/$$p/; \
		if [ -d packages/$$p/bin ]; then cp -R packages/$$p/bin $(DESTDIR)$(LIBDIR)/packages/$$p/; fi; \
	done
	ln -sfn $(LIBDIR)/packages/sshd/bin/tsshd.js $(DESTDIR)$(BINDIR)/tsshd
	ln -sfn $(LIBDIR)/packages/sshd/bin/tsshd-session.js $(DESTDIR)$(BINDIR)/tsshd-session
	ln -sfn $(LIBDIR)/packages/ssh/bin/tssh.js $(DESTDIR)$(BINDIR)/tssh
	ln -sfn $(LIBDIR)/packages/keygen/bin/tssh-keygen.js $(DESTDIR)$(BINDIR)/tssh-keygen
	ln -sfn $(LIBDIR)/packages/sftp/bin/tsftp.js $(DESTDIR)$(BINDIR)/tsftp
	ln -sfn $(LIBDIR)/packages/sftp/bin/tscp.js $(DESTDIR)$(BINDIR)/tscp
	for f in sshd_config ssh_config; do \
		[ -e $(DESTDIR)$(SYSCONFDIR)/$$f ] || install -m 644 etc/$$f $(DESTDIR)$(SYSCONFDIR)/$$f; \
	done
	for u in $(UNITS); do \
		sed -e 's|/usr/local/bin/|$(BINDIR)/|g' -e 's|/etc/tssh/|$(SYSCONFDIR)/|g' etc/systemd/$$u \
			> $(DESTDIR)$(UNITDIR)/$$u && chmod 644 $(DESTDIR)$(UNITDIR)/$$u; \
	done
	# tsshd.socket (Accept=yes) starts tsshd@<connection>.service: that name is tsshd-session@.service.
	ln -sfn tsshd-session@.service $(DESTDIR)$(UNITDIR)/tsshd@.service
	sed -e 's|/usr/local/bin/|$(BINDIR)/|g' etc/xinetd.d/tsshd > $(DESTDIR)$(DATADIR)/xinetd.d/tsshd
	sed -e 's|/usr/local/bin/|$(BINDIR)/|g' etc/inetd.conf > $(DESTDIR)$(DATADIR)/inetd.conf
	chmod 644 $(DESTDIR)$(DATADIR)/xinetd.d/tsshd $(DESTDIR)$(DATADIR)/inetd.conf
	if [ "$(INSTALL_HOST_KEYS)" = yes ]; then \
		node packages/keygen/bin/tssh-keygen.js -A $(if $(DESTDIR),-f $(DESTDIR)); \
	fi

# Everything install put in place, except host keys and configuration files that differ from the defaults.
uninstall:
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(PROGRAMS))
	rm -f $(addprefix $(DESTDIR)$(UNITDIR)/,$(UNITS) tsshd@.service)
	rm -rf $(DESTDIR)$(LIBDIR) $(DESTDIR)$(DATADIR)
	for f in sshd_config ssh_config; do \
		if cmp -s etc/$$f $(DESTDIR)$(SYSCONFDIR)/$$f; then rm -f $(DESTDIR)$(SYSCONFDIR)/$$f; fi; \
	done
	-rmdir $(DESTDIR)$(SYSCONFDIR) 2>/dev/null

# Connection setup and memory against OpenSSH's sshd, measured in the same run (needs root, like the peers).
bench: build peers
	node scripts/bench/run.mjs

clean:
	rm -rf packages/*/dist test/dist packages/*/*.tsbuildinfo test/*.tsbuildinfo
