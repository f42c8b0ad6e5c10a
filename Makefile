# ethosu-bench: builds every variant of the driver into build/<variant>/libethosu.so,
# then drives Maven (tests, the default run) on a JDK >= 22 it finds by itself.

# ---- sources and flags -----------------------------------------------------
BUILD        ?= build
VARIANTS_DIR := native/variants
PATCHES      := $(sort $(wildcard $(VARIANTS_DIR)/*.patch))
INTREE       := locked $(patsubst $(VARIANTS_DIR)/%.patch,%,$(PATCHES))

KSHIM_SRC    := $(sort $(wildcard native/kshim/*.c))
BENCH_SRC    := $(sort $(wildcard native/bench/*.c))
HEADERS      := $(shell find include native -name '*.h')
SHIM_HEADERS := $(shell find include native/kshim -name '*.h')
DRIVER_FILES := $(wildcard native/driver/*)
UAPI_HEADER  := include/uapi/drm/ethosu_accel.h

CC       ?= gcc
CFLAGS   ?= -O2 -g
# override: `make CFLAGS="-O0 -g"` replaces the optimisation, never the flags the libraries need
# (frame pointers: the JVM's error log of a native crash walks the C frames by them)
override CFLAGS  += -std=gnu11 -fPIC -fno-omit-frame-pointer -Wall -Wno-unused-parameter -Wno-sign-compare \
	    -fno-strict-aliasing -D__KERNEL__ $(SAN_CFLAGS)
override LDFLAGS += -shared -Wl,-Bsymbolic -Wl,-z,defs -lpthread $(SAN_CFLAGS)

# --- Sanitizers -------------------------------------------------------------
# make asan, or make run|test|check|gdb|explore|replay|stress SANITIZE=address|undefined|address,undefined:
# the variants (KERNEL_DIR and PATCH ones too) go to build/san-<names>/<variant>/, the normal ones
# stay as they are; the JVMs run with the ASan runtime preloaded; a report from driver code is a
# finding (KASAN wording), docs/DEBUGGING.md.
SANITIZE   ?=
comma      := ,
BUILD_ROOT := $(BUILD)
ifneq ($(SANITIZE),)
ifneq ($(filter-out address undefined,$(subst $(comma), ,$(SANITIZE))),)
$(error SANITIZE=$(SANITIZE): expected address, undefined or address,undefined)
endif
# override: a BUILD given on the command line gets its own san-* directory too
override BUILD := $(BUILD_ROOT)/san-$(subst $(comma),+,$(SANITIZE))
SAN_CFLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer
SAN_LOG    := $(abspath target/sanitizer/report)
# the runtimes write <SAN_LOG>.<pid>, and cannot start without the directory
$(shell mkdir -p $(dir $(SAN_LOG)))
# ASan goes on after a report (the bench makes it a finding and the run goes on); UBSan stops the
# process (a worker of `run`, whose report comes back as a finding).
ifneq ($(findstring address,$(SANITIZE)),)
SAN_CFLAGS += -fsanitize-recover=address
SAN_ENV    += LD_PRELOAD=$(shell $(CC) -print-file-name=libasan.so) \
	ASAN_OPTIONS=detect_leaks=0:halt_on_error=0:suppress_equal_pcs=0:allow_user_segv_handler=1:malloc_context_size=4:log_path=$(SAN_LOG)
endif
ifneq ($(findstring undefined,$(SANITIZE)),)
SAN_CFLAGS += -fno-sanitize-recover=undefined
SAN_ENV    += UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$(SAN_LOG)
endif
endif

# Every library and object depends on the flags it was built with: `make CFLAGS=-O0` rebuilds.
FLAGS_STAMP := $(BUILD)/.flags
FLAGS_LINE  := $(CC) $(CFLAGS) $(LDFLAGS)
ifneq ($(FLAGS_LINE),$(shell cat $(FLAGS_STAMP) 2>/dev/null))
$(shell mkdir -p $(BUILD))
$(file >$(FLAGS_STAMP),$(FLAGS_LINE))
endif

# The shims, the scheduler mock and the watchdog's sampler know nothing of the driver: built once,
# linked into every variant.
SHIM_SRC  := $(KSHIM_SRC) native/bench/sched_mock.c native/bench/watchdog.c
SHIM_OBJS := $(patsubst native/%.c,$(BUILD)/obj/%.o,$(SHIM_SRC))

# ---- JDK >= 22 ---------------------------------------------------------------
# A JDK's major version from its release file (no JVM start: make stays fast), else from java -version.
jdk_major = $(shell sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$(1)/release" 2>/dev/null | grep . || \
	"$(1)/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)
JDK_CANDIDATES := $(JAVA_HOME) $(sort $(wildcard /usr/lib/jvm/*))
JDK := $(firstword $(foreach j,$(JDK_CANDIDATES),$(if $(wildcard $(j)/bin/javac),$(if $(shell test "$(call jdk_major,$(j))" -ge 22 2>/dev/null && echo y),$(j)))))
MVN ?= mvn
MVN_FLAGS ?= -B -q -Dstyle.color=never
MAVEN_OPTS_JDK := --sun-misc-unsafe-memory-access=allow

# ---- where a variant comes from: a kernel-shaped tree in build/<variant>/src -------
# Each variant is a tree (drivers/accel/ethosu/ and include/uapi/drm/ethosu_accel.h) made from
# the in-tree copy, a kernel tree (KERNEL_DIR) or either with a patch (PATCH); build/<variant>/origin
# says which. The trees are kept: they are what gdb shows.

# The patch intake (java/main/ethosu/bench/patch/PatchIntake.java): JDK only, compiled on its own.
INTAKE_SRC   := java/main/ethosu/bench/patch/PatchIntake.java
INTAKE_CLASS := $(BUILD)/tools/ethosu/bench/patch/PatchIntake.class
INTAKE        = $(JDK)/bin/java -cp $(BUILD)/tools ethosu.bench.patch.PatchIntake

# tree_from_dir(dest, driver dir, uapi header): copy a driver directory and its UAPI into a tree;
# the DRM core UAPI beside it (drm.h) is the bench's: the kernel's needs the kernel's asm headers.
define tree_from_dir
rm -rf $(1) && mkdir -p $(1)/drivers/accel/ethosu $(1)/include/uapi/drm && \
cp $(2)/*.c $(2)/*.h $(1)/drivers/accel/ethosu/ && cp $(3) $(1)/include/uapi/drm/ethosu_accel.h && \
cp include/uapi/drm/drm.h $(1)/include/uapi/drm/drm.h
endef

# In-tree variants: native/driver with at most one patch of native/variants.
define intree_variant
$(BUILD)/$(1)/src/.tree: $(DRIVER_FILES) $(UAPI_HEADER) $(if $(2),$(2) $(INTAKE_CLASS))
	@$(call tree_from_dir,$(BUILD)/$(1)/src,native/driver,$(UAPI_HEADER))
	@$(if $(2),$(INTAKE) apply $(2) $(BUILD)/$(1)/src "the in-tree copy" || { rm -rf $(BUILD)/$(1)/src; exit 1; })
	@echo "in-tree copy$(if $(2), + $(2))" > $(BUILD)/$(1)/origin
	@$(if $(3),touch $(BUILD)/$(1)/test-variant,rm -f $(BUILD)/$(1)/test-variant)
	@touch $$@
endef
$(eval $(call intree_variant,locked,))
$(foreach v,$(filter-out locked,$(INTREE)),$(eval $(call intree_variant,$(v),$(VARIANTS_DIR)/$(v).patch)))

# Test variants (native/variants/test): a driver that crashes, deadlocks or spins on every job, for
# the bench's own containment tests. Built with the others and marked (build/<v>/test-variant): a
# session runs one only when it is named, never by default.
TEST_PATCHES  := $(sort $(wildcard $(VARIANTS_DIR)/test/*.patch))
TEST_VARIANTS := $(patsubst $(VARIANTS_DIR)/test/%.patch,%,$(TEST_PATCHES))
$(foreach v,$(TEST_VARIANTS),$(eval $(call intree_variant,$(v),$(VARIANTS_DIR)/test/$(v).patch,test)))

VARIANTS := $(INTREE) $(TEST_VARIANTS)

# A kernel tree: its drivers/accel/ethosu/ and UAPI, named after where it came from (git describe,
# else a hash of its files; KERNEL_VARIANT=name overrides). Rebuilt when the tree's files change;
# an older state of the same tree is removed, other trees stay side by side.
ifneq ($(KERNEL_DIR),)
KTREE := $(abspath $(KERNEL_DIR))
ifeq ($(wildcard $(KTREE)/drivers/accel/ethosu/ethosu_job.c),)
$(error KERNEL_DIR=$(KERNEL_DIR) has no drivers/accel/ethosu/ethosu_job.c: point it at a Linux tree with the Ethos-U driver)
endif
KNAME  := $(or $(KERNEL_VARIANT),$(shell tools/tree-name.sh $(KTREE)))
KUAPI  := $(or $(wildcard $(KTREE)/$(UAPI_HEADER)),$(UAPI_HEADER))
KFILES := $(wildcard $(KTREE)/drivers/accel/ethosu/*.[ch]) $(KUAPI)
KORIGIN := kernel tree $(KTREE) ($(KNAME))
$(BUILD)/$(KNAME)/src/.tree: $(KFILES)
	@$(call tree_from_dir,$(BUILD)/$(KNAME)/src,$(KTREE)/drivers/accel/ethosu,$(KUAPI))
	@$(if $(filter $(UAPI_HEADER),$(KUAPI)),echo "  NOTE    $(KTREE) has no $(UAPI_HEADER): the bench's copy stands in")
	@for o in $(BUILD)/*/origin; do \
		d=$${o%/origin}; [ "$${d##*/}" = "$(KNAME)" ] && continue; \
		case "$$(cat $$o)" in "kernel tree $(KTREE) ("*) echo "  RM      $$d (an older state of $(KTREE))"; rm -rf $$d;; esac; \
	done
	@echo "$(KORIGIN)" > $(BUILD)/$(KNAME)/origin
	@touch $@
VARIANTS += $(KNAME)
endif

# A patch (a diff, git format-patch output, an mbox or a public-inbox thread) applied to the
# kernel tree if one is given, else to the in-tree copy; the variant is named after its subject.
ifneq ($(PATCH),)
ifeq ($(JDK),)
$(error PATCH= needs a JDK to read the patch: install one (e.g. Temurin 25) and set JAVA_HOME to it)
endif
PATCH_FILE := $(abspath $(PATCH))
PSLUG := $(shell $(JDK)/bin/java $(INTAKE_SRC) name "$(PATCH_FILE)")
ifeq ($(PSLUG),)
$(error PATCH=$(PATCH): not read (see the line above))
endif
BASE  := $(if $(KERNEL_DIR),$(KNAME),locked)
PNAME := $(if $(KERNEL_DIR),$(KNAME)+$(PSLUG),$(PSLUG))
$(BUILD)/$(PNAME)/src/.tree: $(BUILD)/$(BASE)/src/.tree $(PATCH_FILE) $(INTAKE_CLASS)
	@rm -rf $(BUILD)/$(PNAME)/src && mkdir -p $(BUILD)/$(PNAME) && cp -r $(BUILD)/$(BASE)/src $(BUILD)/$(PNAME)/src
	@rm -f $(BUILD)/$(PNAME)/src/.tree
	@echo "  PATCH   $(PATCH) -> $(PNAME)"
	@$(INTAKE) apply $(PATCH_FILE) $(BUILD)/$(PNAME)/src "$$(cat $(BUILD)/$(BASE)/origin)" || { rm -rf $(BUILD)/$(PNAME); exit 1; }
	@echo "$$(cat $(BUILD)/$(BASE)/origin) + patch $(PATCH) ($$($(INTAKE) subject $(PATCH_FILE)))" > $(BUILD)/$(PNAME)/origin
	@touch $@
VARIANTS += $(PNAME)
endif

LIBS := $(foreach v,$(VARIANTS),$(BUILD)/$(v)/libethosu.so)

# Shim-mutant variants (native/kshim-mutants) add their own rules here.
-include native/kshim-mutants/mutants.mk

.PHONY: all libs tree classes test run check gdb jdk clean list-variants bench bench-jmh explore replay query list stress variants merge soak \
	bindings asan asan-test-lib
# keep the variants' trees: they are what gdb shows
.SECONDARY:

all: libs

libs: $(LIBS)

list-variants:
	@echo $(VARIANTS)

# Only the variant of KERNEL_DIR and/or PATCH; its name is the last line printed.
TREE_VARIANT := $(or $(PNAME),$(KNAME))
tree: $(if $(TREE_VARIANT),$(BUILD)/$(TREE_VARIANT)/libethosu.so)
	@$(if $(TREE_VARIANT),echo $(TREE_VARIANT),echo "make tree needs KERNEL_DIR=<tree> and/or PATCH=<file>"; exit 2)

$(INTAKE_CLASS): $(INTAKE_SRC) | jdk
	@mkdir -p $(BUILD)/tools
	@$(JDK)/bin/javac -d $(BUILD)/tools $(INTAKE_SRC)

$(BUILD)/obj/%.o: native/%.c $(SHIM_HEADERS) $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	@$(CC) $(CFLAGS) -Iinclude -Iinclude/uapi -Inative/kshim -c -o $@ $<

# A variant's library: its tree's job code, the glue and the shims (tools/build-variant.sh).
$(BUILD)/%/libethosu.so: $(BUILD)/%/src/.tree $(SHIM_OBJS) $(BENCH_SRC) $(HEADERS) $(FLAGS_STAMP) tools/build-variant.sh
	@echo "  CC      $@"
	@CC="$(CC)" CFLAGS="$(CFLAGS)" LDFLAGS="$(LDFLAGS)" SHIM_OBJS="$(SHIM_OBJS)" tools/build-variant.sh $(BUILD) $*

jdk:
	@if [ -z "$(JDK)" ]; then \
		echo "ethosu-bench needs a JDK 22 or later (FFM API): install one (e.g. Temurin 25) and set JAVA_HOME to it"; \
		exit 1; \
	fi

MAVEN = $(SAN_ENV) JAVA_HOME=$(JDK) MAVEN_OPTS="$(MAVEN_OPTS_JDK) $(MAVEN_OPTS)" $(MVN) $(MVN_FLAGS) \
	-Dethosu.build=$(abspath $(BUILD)) -Dethosu.asan.build=$(abspath $(ASAN_TEST_BUILD)) \
	-Dethosu.asan.runtime=$(shell $(CC) -print-file-name=libasan.so)

# Maven runs quiet; the last line sums up the JUnit reports ("N passed, N failed, N skipped"),
# counting a test JVM that crashed as failed (tools/test-summary.sh).
test: libs jdk
	@rm -rf target/surefire-reports target/mvn-status; mkdir -p target; \
	 { $(MAVEN) test 2>&1 || echo $$? > target/mvn-status; } | tee target/test-output.log; \
	 status=$$(cat target/mvn-status 2>/dev/null || echo 0); \
	 sh tools/test-summary.sh target/surefire-reports target/test-output.log $$status; \
	 exit $$status

# The command line runs on the JDK directly (not through Maven's exec), so its exit status is
# make's: `make run` fails when a finding is outside the baseline.
CLASSPATH_FILE = target/classpath.txt
JAVA_CMD = $(SAN_ENV) $(JDK)/bin/java --enable-native-access=ALL-UNNAMED -Dethosu.build=$(abspath $(BUILD)) \
	-cp target/classes:$$(cat $(CLASSPATH_FILE)) ethosu.bench.cli.Main

# Maven runs only when a source, resource or the pom changed since it last compiled (the stamp, in
# target/ so that a clean or a fresh clone builds): `make run` then starts in the JVM's start-up time.
# Directories are prerequisites too, so a removed or renamed file counts as a change.
JAVA_INPUTS   := $(shell find java/main java/resources) pom.xml
CLASSES_STAMP := target/.classes.stamp
$(CLASSES_STAMP): $(JAVA_INPUTS) | jdk
	@$(MAVEN) compile dependency:build-classpath -Dmdep.outputFile=$(CLASSPATH_FILE) -Dmdep.includeScope=runtime
	@touch $@

classes: libs jdk $(CLASSES_STAMP)

# The default run: explore every variant x built-in scenario, print verdicts and races.
# ARGS="..." passes options (make list; make run ARGS=--help).
ARGS ?=
run: classes
	@$(JAVA_CMD) run $(ARGS)

# A patch's verdict: the variant without it and with it, explored with the same plan and bounds;
# exit 1 when the patch adds a finding. KERNEL_DIR=<tree> compares on that tree, else on the
# in-tree copy. ARGS as for run (--scenario, --plan, --budget, ...).
ifneq ($(PATCH),)
check: classes $(BUILD)/$(BASE)/libethosu.so $(BUILD)/$(PNAME)/libethosu.so
	@$(JAVA_CMD) check --before $(BASE) --after $(PNAME) --patch $(PATCH_FILE) $(ARGS)
else
check:
	@echo "make check needs PATCH=<file>: a diff, git format-patch output, an mbox or a public-inbox thread"; exit 2
endif

# A schedule replayed under gdb, stopping at scheduling step N and/or in a C function
# (docs/DEBUGGING.md): ARGS="--schedule F --break-step N [--break FUNC]". GDB_BATCH="bt;info threads"
# runs those commands at the stop and exits. A debug build: make CFLAGS="-O0 -g" gdb ARGS=...
GDB_DEPS ?= classes
GDB_CP ?= target/classes:$$(cat $(CLASSPATH_FILE))
gdb: $(GDB_DEPS)
	@GDB_BATCH="$(GDB_BATCH)" GDB_INFERIOR_ENV="$(SAN_ENV)" tools/gdb-replay.sh $(JDK)/bin/java "$(GDB_CP)" $(abspath $(BUILD)) $(ARGS)

# The other commands of the command line (ARGS as for run; `make list` shows what there is).
# make query ARGS="--variant lockless --scenario two-jobs 'run_job(B) during timedout_job(A)'"
explore replay query list stress variants merge: classes
	@$(JAVA_CMD) $@ $(ARGS)

# Benchmarks (docs/PERFORMANCE.md): ARGS as for run.
bench: classes
	@$(JAVA_CMD) bench $(ARGS)

# The bench's own soak (tools/soak.sh, docs/PERFORMANCE.md): device lifecycles and an hour of stress
# per variant in one worker process each, sampled; then a run and what it leaves in /dev/shm and /tmp.
# SOAK_VARIANTS, SOAK_LIFECYCLES, SOAK_MINUTES, SOAK_EVERY, RUN_ARGS; reports in target/soak/.
soak: classes
	@tools/soak.sh $(JDK)/bin/java "target/classes:$$(cat $(CLASSPATH_FILE))" $(abspath $(BUILD)) target/soak

# FFM hot-path microbenchmarks (JMH): downcall, upcall, scheduling point.
bench-jmh: libs jdk
	@$(MAVEN) test-compile exec:exec@jmh -Dethosu.args="HotPath $(ARGS)"

# Regenerates the committed Java bindings of include/ethosu_bench.h and ethosu_mock.h with jextract
# (README, "Bindings"); nothing else needs jextract.
JEXTRACT ?= jextract
bindings:
	@JEXTRACT="$(JEXTRACT)" tools/bindings.sh

# --- Sanitizers (see above): `make run` with ASan and UBSan in every library -----------------
asan:
	@$(MAKE) --no-print-directory run SANITIZE=address,undefined ARGS="$(ARGS)"

# The test suite replays the baseline's sanitizer findings on an ASan build of locked.
ASAN_TEST_BUILD := $(BUILD_ROOT)/san-address
test: asan-test-lib
asan-test-lib:
	@$(if $(filter $(abspath $(BUILD)),$(abspath $(ASAN_TEST_BUILD))),true,$(MAKE) --no-print-directory libs SANITIZE=address VARIANTS=locked)

clean:
	rm -rf build target
