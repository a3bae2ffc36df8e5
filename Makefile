# officeadm - office administration from the shell.
#
#   make            build libofficeadm.a and every command under cmd/
#   make check      run the unit tests (cmocka) and the end-to-end tests
#   make check SANITIZE=1   the same under ASan + UBSan (in build-san/)
#   make CC=clang B=build-clang   another compiler, another build directory
#   make demo       run examples/demo.sh on the sample organisation
#   make fresh-check  the README's two commands on a fresh Debian 12 (root)
#   make bench      run the benchmarks in bench/
#   make install    PREFIX=/usr/local DESTDIR=
#   make clean
#
# The library is every libofficeadm/*.c; a command is every cmd/NAME/ with
# a .c file (cmd/common/ is the small shared front-end code); a unit test
# is every tests/unit/test_*.c.  New files need no Makefile change.

PREFIX  ?= /usr/local
BINDIR   = $(PREFIX)/bin
MANDIR   = $(PREFIX)/share/man
DATADIR  = $(PREFIX)/share/officeadm
VERSION  = 0.1.0

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN     = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter
CPPFLAGS += -D_GNU_SOURCE -DOA_VERSION=\"$(VERSION)\" -iquote libofficeadm -iquote cmd/common
PKGS     = pangocairo libical
# Evaluated when first used, not when the Makefile is read: on a fresh machine
# `make check` and `make demo` install pkg-config and the libraries first
# (the deps targets) and build in a second make, which reads these anew.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LDLIBS  += -lcsv -liniparser -lzint -lglpk $(PKG_LIBS) -lpthread -lm

ifeq ($(SANITIZE),1)
B       ?= build-san
CFLAGS   = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
else
B       ?= build
endif

# Debian packages: to build, to test, to benchmark.
DEB_BUILD = gcc make pkg-config libcsv-dev libiniparser-dev libcmocka-dev libzint-dev \
            libical-dev libcairo2-dev libpango1.0-dev libglpk-dev
DEB_DEMO  = fonts-wqy-zenhei
DEB_TEST  = zbar-tools dmtx-utils fonts-wqy-zenhei khal calcurse python3 libreoffice-calc-nogui unzip
DEB_BENCH = python3 sqlite3 miller hyperfine coinor-cbc glpk-utils time nodejs

LIB_SRC  = $(wildcard libofficeadm/*.c)
LIB_OBJ  = $(LIB_SRC:%.c=$(B)/%.o)
CLI_SRC  = $(wildcard cmd/common/*.c)
CLI_OBJ  = $(CLI_SRC:%.c=$(B)/%.o)
TOOLS    = $(sort $(filter-out common,$(notdir $(patsubst %/,%,$(dir $(wildcard cmd/*/*.c))))))
BINS     = $(TOOLS:%=$(B)/bin/%)
TEST_SRC = $(wildcard tests/unit/test_*.c)
TESTS    = $(TEST_SRC:tests/unit/%.c=$(B)/tests/%)
HDRS     = $(wildcard libofficeadm/*.h cmd/common/*.h)

.PHONY: all all-tests deps-demo fresh-check check unit e2e demo bench fuzz install uninstall clean deps deps-test deps-bench

all: $(B)/libofficeadm.a $(BINS)

# `make V=1` shows the full commands.
ifeq ($(V),1)
Q =
else
Q = @
endif

$(B)/%.o: %.c $(HDRS)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(WARN) -c -o $@ $<

$(B)/libofficeadm.a: $(LIB_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(B)/libcli.a: $(CLI_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

.SECONDEXPANSION:
$(B)/bin/%: $$(addprefix $(B)/,$$(subst .c,.o,$$(wildcard cmd/$$*/*.c))) $(B)/libcli.a $(B)/libofficeadm.a
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(B)/libcli.a $(B)/libofficeadm.a $(LDLIBS)

$(B)/tests/%: tests/unit/%.c $(B)/libofficeadm.a $(HDRS)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  TEST    $@")
	$(Q)$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(WARN) -Itests/unit -o $@ $< \
	    $(B)/libofficeadm.a $(LDLIBS) -lcmocka $(LDFLAGS)

check: deps deps-test
	@$(MAKE) --no-print-directory all-tests
	@B=$(B) sh tests/run.sh

all-tests: all $(TESTS)

unit: all $(TESTS)
	@B=$(B) ONLY=unit sh tests/run.sh

e2e: all
	@B=$(B) ONLY=e2e sh tests/run.sh

demo: deps deps-demo
	@$(MAKE) --no-print-directory all
	@PATH="$(CURDIR)/$(B)/bin:$$PATH" sh examples/demo.sh

bench: deps deps-bench
	@$(MAKE) --no-print-directory all
	@B=$(B) sh bench/run.sh

# The README's two commands on a fresh Debian 12 root (tests/fresh/run.sh;
# root and mmdebstrap needed, a few minutes, network to the Debian archive).
fresh-check:
	@sh tests/fresh/run.sh

# Fuzzing (clang libFuzzer): every fuzz/fuzz_*.c for FUZZ_SECONDS each.
FUZZ_SECONDS ?= 10
fuzz:
	@FUZZ_SECONDS=$(FUZZ_SECONDS) sh fuzz/run.sh

# Installs what is missing when run as root; otherwise names the command.
define need_debs
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages:$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) || exit 1; \
	  else \
	    echo "missing Debian packages; run:"; echo "  sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi
endef

deps:
	$(call need_debs,$(DEB_BUILD))
print-DEB_%:
	@echo $(DEB_$*)

deps-demo:
	$(call need_debs,$(DEB_DEMO))
deps-test:
	$(call need_debs,$(DEB_TEST))
deps-bench:
	$(call need_debs,$(DEB_BENCH))

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(DATADIR)
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)
	install -m 644 $(wildcard man/*.1) $(DESTDIR)$(MANDIR)/man1
	install -m 644 man/officeadm.ini.5 $(DESTDIR)$(MANDIR)/man5
	install -m 644 man/officeadm.7 $(DESTDIR)$(MANDIR)/man7
	install -m 644 examples/officeadm.ini $(DESTDIR)$(DATADIR)/officeadm.ini

uninstall:
	rm -f $(TOOLS:%=$(DESTDIR)$(BINDIR)/%) $(DESTDIR)$(DATADIR)/officeadm.ini
	rm -f $(patsubst man/%,$(DESTDIR)$(MANDIR)/man1/%,$(wildcard man/*.1))
	rm -f $(DESTDIR)$(MANDIR)/man5/officeadm.ini.5 $(DESTDIR)$(MANDIR)/man7/officeadm.7

clean:
	rm -rf build build-san build-clang build-fuzz
