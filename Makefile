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
# leaks inside libraries, not ferry's (see the file)
export LSAN_OPTIONS = suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0
# the sanitizers make each process several times slower: Check's time
# limit for each unit test four times as long (a loaded CI machine timed
# one out), and fewer kills and edits (the full counts run in the plain
# `make check`)
export CK_TIMEOUT_MULTIPLIER ?= 4
export REVIEW_KILLS ?= 40
export MATCH_KILLS ?= 20
export LAYER_KILLS ?= 10
export EDITS ?= 250
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
RUN_PROJECT ?= sample-en-de.ferry

.PHONY: all deps check layers run run-project run-multi install uninstall clean bench valgrind valgrind-ui fuzz fuzz-deps

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

# copied then renamed: a running ferry keeps its file
ferry: $(BUILD)/ferry
	@cp $< $@.tmp && mv -f $@.tmp $@

$(BUILD)/ferry: $(BUILD)/main.o $(BUILD)/libferry.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/libferry.a: $(LIB_OBJ)
	$(AR) rcs $@ $^

# the aligner's forward-backward is nine tenths of its time: -O3 vectorises
# its inner loops (0.83x the wall time of -O2 on the 21k-line bitext)
$(BUILD)/aligner-em.o: ALL_CFLAGS += -O3

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

# Fuzz harnesses (tests/fuzz): replayed on their seeds and on every input
# that once crashed by `make check`; run under libFuzzer by `make fuzz`.
FUZZERS = conll jsonl lines align theme config keys
REPLAYS = $(FUZZERS:%=$(BUILD)/fuzz/replay-%)

$(BUILD)/fuzz/replay-%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h $(BUILD)/libferry.a
	@mkdir -p $(BUILD)/fuzz
	@echo LD $@
	@$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ tests/fuzz/fuzz_$*.c tests/fuzz/replay.c $(BUILD)/libferry.a $(LDLIBS_ALL)

# forges hostile project files for tests/hostile
$(BUILD)/sqlexec: tests/hostile/sqlexec.c | $(BUILD)
	@echo LD $@
	@$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(PKG_LIBS)

# the synthetic corpus generator of the benchmarks, also used by tests/crash
$(BUILD)/gen: bench/gen.c | $(BUILD)
	@echo LD $@
	@$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $<

# The layer rules (doc/ARCHITECTURE.md) on the real tree, then the check
# itself on planted breaches: a second or so, before anything is built.
layers:
	@tests/layers/layers.sh
	@tests/layers/run.sh

# `make check` runs the suites side by side, CHECK_JOBS at a time (the
# number of cores unless given), each one's output printed whole when it
# ends; `make check-NAME` runs one.  Every suite works in a directory of
# its own (tests/lib.sh) and its own tmux server, so they share nothing.
# The longest start first.
CHECK_JOBS ?= $(shell nproc 2>/dev/null || echo 2)
SUITES = crash ui concurrency harden unit cli bad hostile replay
CHECK_BUILT = $(PROGRAM) $(BUILD)/check_ferry $(REPLAYS) $(BUILD)/sqlexec $(BUILD)/gen
SUITE_ENV = FERRY=$(CURDIR)/$(BUILD)/ferry SQLEXEC=$(CURDIR)/$(BUILD)/sqlexec GEN=$(CURDIR)/$(BUILD)/gen
.PHONY: $(SUITES:%=check-%)

check: deps layers
	@$(MAKE) --no-print-directory -j$(CHECK_JOBS) $(CHECK_BUILT)
	@$(MAKE) --no-print-directory -j$(CHECK_JOBS) -O $(SUITES:%=check-%)

check-unit: $(BUILD)/check_ferry
	cd tests && FERRY_BUILD=../$(BUILD) ../$(BUILD)/check_ferry
check-replay: $(REPLAYS)
	for f in $(FUZZERS); do $(BUILD)/fuzz/replay-$$f tests/fuzz/seeds/$$f \
	  $$( [ -d tests/fuzz/regress/$$f ] && echo tests/fuzz/regress/$$f ) || exit 1; done
check-cli check-bad check-hostile check-crash check-concurrency check-harden check-ui: $(CHECK_BUILT)
	$(SUITE_ENV) tests/$(@:check-%=%)/run.sh

# The same suites under valgrind (no fork, so every leak is seen).
valgrind: deps $(PROGRAM) $(BUILD)/check_ferry
	cd tests && CK_FORK=no valgrind -q --leak-check=full --error-exitcode=1 ../$(BUILD)/check_ferry
	FERRY="valgrind -q --leak-check=full --error-exitcode=99 $(CURDIR)/$(BUILD)/ferry" tests/cli/run.sh

# The UI tests, tmux sessions included, with every ferry under valgrind;
# each process logs to build/valgrind-ui/, which must stay empty.  Only
# definite leaks count: ncurses keeps its terminfo caches ("possibly
# lost") when a session ends on a signal.
VG_UI = $(CURDIR)/$(BUILD)/valgrind-ui
valgrind-ui: deps $(PROGRAM) $(BUILD)/sqlexec
	@rm -rf $(VG_UI) && mkdir -p $(VG_UI)
	UI_WAIT=1200 SQLEXEC=$(CURDIR)/$(BUILD)/sqlexec \
	  FERRY="valgrind -q --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite --log-file=$(VG_UI)/vg.%p $(CURDIR)/$(BUILD)/ferry" \
	  tests/ui/run.sh
	@if find $(VG_UI) -type f -size +0 | grep -q .; then \
	  echo "valgrind found errors:"; find $(VG_UI) -type f -size +0 -exec cat {} +; exit 1; \
	else echo "valgrind-ui: $$(ls $(VG_UI) | wc -l) ferry processes, no error"; fi

# Opens the review UI on the en-de sample.  The project is made once and
# kept (outside $(BUILD), so `make clean` keeps it too), so the review work
# of one run is there on the next; `make run FRESH=1` makes it anew.  It is
# built under another name and moved into place, so an interrupted import
# never leaves half a project to review.
run: deps ferry run-project
	./ferry review $(RUN_PROJECT)

RUN_FERRY ?= ./ferry
RUN_NEW    = $(basename $(RUN_PROJECT))-new.ferry
run-project:
	@if [ "$(FRESH)" = 1 ] || [ ! -f $(RUN_PROJECT) ]; then \
	  set -e; rm -f $(RUN_NEW) $(RUN_NEW)-wal $(RUN_NEW)-shm; \
	  echo "make run: a new sample project $(RUN_PROJECT)"; \
	  $(RUN_FERRY) import $(RUN_NEW) --src $(SAMPLE)/src.conll --tgt $(SAMPLE)/tgt.txt \
	    --align $(SAMPLE)/fwd.align --align-rev $(SAMPLE)/rev.align \
	    --bt $(SAMPLE)/bt.txt --align-src-bt $(SAMPLE)/src-bt.align --align-bt-tgt $(SAMPLE)/bt-tgt.align \
	    --tgt-gold $(SAMPLE)/tgt-gold.conll --tgt-ner $(SAMPLE)/tgt-ner.conll; \
	  $(RUN_FERRY) match $(RUN_NEW); \
	  rm -f $(RUN_PROJECT)-wal $(RUN_PROJECT)-shm; mv $(RUN_NEW) $(RUN_PROJECT); \
	else \
	  echo "make run: reviewing $(RUN_PROJECT) as you left it (make run FRESH=1 starts over)"; \
	fi

# The multi-source sample: English, Spanish and Italian sources fused for one German target.
MULTI = sample-corpora/multi-de
MULTI_PROJECT ?= sample-multi-de.ferry
run-multi: deps ferry
	@if [ "$(FRESH)" = 1 ] || [ ! -f $(MULTI_PROJECT) ]; then \
	  set -e; n=$(basename $(MULTI_PROJECT))-new.ferry; rm -f $$n $$n-wal $$n-shm; \
	  echo "make run-multi: a new sample project $(MULTI_PROJECT)"; \
	  ./ferry import $$n --src $(MULTI)/en.conll --tgt $(MULTI)/de.txt --align $(MULTI)/en-de.fwd \
	    --align-rev $(MULTI)/en-de.rev --tgt-gold $(MULTI)/de-gold.conll --src-lang en --tgt-lang de; \
	  ./ferry add-source $$n --src $(MULTI)/es.conll --src-lang es --align $(MULTI)/es-de.fwd --align-rev $(MULTI)/es-de.rev; \
	  ./ferry add-source $$n --src $(MULTI)/it.conll --src-lang it --align $(MULTI)/it-de.fwd --align-rev $(MULTI)/it-de.rev; \
	  ./ferry match $$n; ./ferry eval $$n --per-source; \
	  rm -f $(MULTI_PROJECT)-wal $(MULTI_PROJECT)-shm; mv $$n $(MULTI_PROJECT); \
	else \
	  echo "make run-multi: reviewing $(MULTI_PROJECT) as you left it (make run-multi FRESH=1 starts over)"; \
	fi
	./ferry review $(MULTI_PROJECT)

bench: deps ferry $(BUILD)/ilpform
	bench/run.sh

$(BUILD)/ilpform: bench/ilpform.c $(BUILD)/libferry.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

# libFuzzer, with ASan and UBSan: FUZZ_SECONDS per harness (FUZZERS="a b"
# for some of them).  The growing corpora live in build-fuzz/corpus; a
# crash leaves build-fuzz/crash-* and stops the run: keep the input under
# tests/fuzz/regress/NAME/ once the bug is fixed.
FUZZ_SECONDS ?= 60
FUZZ_BUILD    = build-fuzz
FUZZ_SAN      = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

fuzz-deps: deps
	@if command -v clang >/dev/null && [ -n "$$(clang -print-file-name=libclang_rt.fuzzer-x86_64.a | grep /)" ] \
	  && [ -f "$$(clang -print-file-name=libclang_rt.fuzzer-x86_64.a)" ]; then :; \
	else echo "ferry: installing clang and libFuzzer"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq clang libclang-rt-14-dev; fi

$(FUZZ_BUILD)/fuzz-%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h fuzz-lib
	clang $(ALL_CFLAGS) -O1 -g -fsanitize=fuzzer $(FUZZ_SAN) -o $@ $< $(FUZZ_BUILD)/libferry.a $(LDLIBS_ALL)

.PHONY: fuzz-lib
fuzz-lib: fuzz-deps
	$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang \
	  CFLAGS="-O1 -g -fsanitize=fuzzer-no-link $(FUZZ_SAN)" $(FUZZ_BUILD)/libferry.a

fuzz: $(FUZZERS:%=$(FUZZ_BUILD)/fuzz-%)
	for f in $(FUZZERS); do mkdir -p $(FUZZ_BUILD)/corpus/$$f; \
	  $(FUZZ_BUILD)/fuzz-$$f -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	    -artifact_prefix=$(FUZZ_BUILD)/crash-$$f- -print_final_stats=1 \
	    $(FUZZ_BUILD)/corpus/$$f tests/fuzz/seeds/$$f || exit 1; done

install: ferry
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR) $(DESTDIR)$(DATADIR)/themes
	install -m 755 ferry $(DESTDIR)$(BINDIR)/ferry
	install -m 644 doc/ferry.1 $(DESTDIR)$(MANDIR)/ferry.1
	for t in themes/*.theme; do [ -e "$$t" ] || continue; install -m 644 "$$t" $(DESTDIR)$(DATADIR)/themes/; done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ferry $(DESTDIR)$(MANDIR)/ferry.1
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build build-san build-fuzz ferry

-include $(wildcard $(BUILD)/*.d $(BUILD)/tests/*.d)
