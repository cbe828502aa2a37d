# ferry — hand-written Makefile.  `make`, `make check`, `make run`,
# `make check SAN=1`, `make install PREFIX=/usr/local DESTDIR=`, `make bench`.

PREFIX   ?= /usr/local
DESTDIR  ?=
BINDIR    = $(PREFIX)/bin
MANDIR    = $(PREFIX)/share/man/man1
DATADIR   = $(PREFIX)/share/ferry

CC       ?= cc
PKGS      = ncursesw icu-uc icu-i18n sqlite3
DEBIAN_PACKAGES = libncurses-dev libicu-dev libsqlite3-dev libglpk-dev check pkg-config tmux

WARN      = -Wall -Wextra -Werror -Wshadow -Wconversion -Wno-sign-conversion \
            -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wvla
OPT      ?= -O2 -g
CFLAGS   ?= $(OPT)
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) $(CFLAGS) \
             -Iinclude -DFERRY_DATADIR='"$(DATADIR)"' $(PKG_CFLAGS) -MMD -MP
LDLIBS_ALL = $(PKG_LIBS) -lglpk -lm -lpthread

ifeq ($(SAN),1)
ALL_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS    += -fsanitize=address,undefined
BUILD      ?= build-san
else
BUILD      ?= build
endif

# pkg-config is only asked once the packages exist (see `deps`).
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CHECK_CFLAGS = $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   = $(shell pkg-config --libs check 2>/dev/null)

LIB_SRC  = $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJ  = $(LIB_SRC:src/%.c=$(BUILD)/%.o)
TEST_SRC = $(wildcard tests/check_*.c)
TEST_OBJ = $(TEST_SRC:tests/%.c=$(BUILD)/tests/%.o)
SAMPLE  ?= sample-corpora/en-de
RUN_PROJECT ?= $(BUILD)/sample-en-de.ferry

.PHONY: all deps check unit cli run install uninstall clean bench valgrind

ifeq ($(SAN),1)
PROGRAM = $(BUILD)/ferry
else
PROGRAM = ferry
endif

all: deps $(PROGRAM)

# Install the Debian packages ferry needs when pkg-config cannot find them.
deps:
	@if pkg-config --exists $(PKGS) check && [ -f /usr/include/glpk.h ] && command -v tmux >/dev/null; then :; \
	else echo "ferry: installing build dependencies: $(DEBIAN_PACKAGES)"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(DEBIAN_PACKAGES); fi

ferry: $(BUILD)/ferry
	@cp $< $@

$(BUILD)/ferry: $(BUILD)/main.o $(BUILD)/libferry.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/libferry.a: $(LIB_OBJ)
	$(AR) rcs $@ $^

$(BUILD)/%.o: src/%.c | $(BUILD)
	@echo CC $<
	@$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%.o: tests/%.c | $(BUILD)
	@echo CC $<
	@$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -c -o $@ $<

$(BUILD)/check_ferry: $(TEST_OBJ) $(BUILD)/libferry.a
	$(CC) $(LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(LDLIBS_ALL)

$(BUILD):
	@mkdir -p $(BUILD)/tests

check: deps $(PROGRAM) $(BUILD)/check_ferry
	cd tests && FERRY_BUILD=../$(BUILD) ../$(BUILD)/check_ferry
	FERRY=$(CURDIR)/$(BUILD)/ferry tests/cli/run.sh
	FERRY=$(CURDIR)/$(BUILD)/ferry tests/ui/run.sh

# The same suites under valgrind (no fork, so every leak is seen).
valgrind: deps $(PROGRAM) $(BUILD)/check_ferry
	cd tests && CK_FORK=no valgrind -q --leak-check=full --error-exitcode=1 ../$(BUILD)/check_ferry
	FERRY="valgrind -q --leak-check=full --error-exitcode=99 $(CURDIR)/$(BUILD)/ferry" tests/cli/run.sh

# Opens the review UI on the en-de sample; a fresh copy every time.
run: deps ferry
	@rm -f $(RUN_PROJECT) $(RUN_PROJECT)-wal $(RUN_PROJECT)-shm
	./ferry import $(RUN_PROJECT) --src $(SAMPLE)/src.conll --tgt $(SAMPLE)/tgt.txt \
	  --align $(SAMPLE)/fwd.align --align-rev $(SAMPLE)/rev.align \
	  --bt $(SAMPLE)/bt.txt --align-src-bt $(SAMPLE)/src-bt.align --align-bt-tgt $(SAMPLE)/bt-tgt.align \
	  --tgt-gold $(SAMPLE)/tgt-gold.conll --tgt-ner $(SAMPLE)/tgt-ner.conll
	./ferry match $(RUN_PROJECT)
	./ferry review $(RUN_PROJECT)

bench: deps ferry $(BUILD)/ilpform
	bench/run.sh

$(BUILD)/ilpform: bench/ilpform.c $(BUILD)/libferry.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

install: ferry
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR) $(DESTDIR)$(DATADIR)/themes
	install -m 755 ferry $(DESTDIR)$(BINDIR)/ferry
	install -m 644 doc/ferry.1 $(DESTDIR)$(MANDIR)/ferry.1
	for t in themes/*.theme; do [ -e "$$t" ] || continue; install -m 644 "$$t" $(DESTDIR)$(DATADIR)/themes/; done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ferry $(DESTDIR)$(MANDIR)/ferry.1
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build build-san ferry

-include $(wildcard $(BUILD)/*.d $(BUILD)/tests/*.d)
