# Shim mutants: each native/kshim-mutants/<name>.patch is a deliberate deviation from
# mainline planted in native/kshim, built with the locked driver into
# $(BUILD)/kshim-mutants/<name>/libethosu.so; ShimKillMatrixTest runs the shim test that kills each (or names it a survivor).
# The candidate fixes of the scheduler findings, docs/upstream/<name>.patch, are built the same way
# into $(BUILD)/kshim-fixes/<name>/ (no test replays them yet). Neither is a variant: `make run` does not
# explore them. Included from the Makefile; `make libs` (and so `make test`) builds them.
KSHIM_MUTANT_PATCHES := $(sort $(wildcard native/kshim-mutants/*.patch))
KSHIM_FIX_PATCHES    := $(sort $(wildcard docs/upstream/*.patch))
KSHIM_MUTANT_LIBS    := $(patsubst native/kshim-mutants/%.patch,$(BUILD)/kshim-mutants/%/libethosu.so,$(KSHIM_MUTANT_PATCHES))
KSHIM_FIX_LIBS       := $(patsubst docs/upstream/%.patch,$(BUILD)/kshim-fixes/%/libethosu.so,$(KSHIM_FIX_PATCHES))
KSHIM_PATCHED_DEPS    = $(KSHIM_SRC) native/bench/sched_mock.c $(SHIM_HEADERS) $(BENCH_SRC) $(HEADERS) \
	$(FLAGS_STAMP) tools/build-variant.sh native/kshim-mutants/build.sh $(BUILD)/locked/libethosu.so

libs: $(KSHIM_MUTANT_LIBS) $(KSHIM_FIX_LIBS)

$(BUILD)/kshim-mutants/%/libethosu.so: native/kshim-mutants/%.patch $(KSHIM_PATCHED_DEPS)
	@echo "  CC      $@"
	@CC="$(CC)" CFLAGS="$(CFLAGS)" LDFLAGS="$(LDFLAGS)" native/kshim-mutants/build.sh \
		$(BUILD)/kshim-mutants $* $< $(BUILD)/locked/src

$(BUILD)/kshim-fixes/%/libethosu.so: docs/upstream/%.patch $(KSHIM_PATCHED_DEPS)
	@echo "  CC      $@"
	@CC="$(CC)" CFLAGS="$(CFLAGS)" LDFLAGS="$(LDFLAGS)" native/kshim-mutants/build.sh \
		$(BUILD)/kshim-fixes $* $< $(BUILD)/locked/src
