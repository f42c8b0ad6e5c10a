# ethosu-bench: builds every variant of the driver into build/<variant>/libethosu.so,
# then drives Maven (tests, the default run) on a JDK >= 22 it finds by itself.

VARIANTS_DIR := native/variants
PATCHES      := $(sort $(wildcard $(VARIANTS_DIR)/*.patch))
VARIANTS     := locked $(patsubst $(VARIANTS_DIR)/%.patch,%,$(PATCHES))
BUILD        := build
LIBS          = $(foreach v,$(VARIANTS),$(BUILD)/$(v)/libethosu.so)

KSHIM_SRC    := $(sort $(wildcard native/kshim/*.c))
BENCH_SRC    := $(sort $(wildcard native/bench/*.c))
HEADERS      := $(shell find include native -name '*.h')
DRIVER_FILES := $(wildcard native/driver/*)

CC       ?= gcc
CFLAGS   ?= -O2 -g
CFLAGS   += -std=gnu11 -fPIC -Wall -Wno-unused-parameter -Wno-sign-compare \
	    -fno-strict-aliasing -D__KERNEL__ $(SAN_CFLAGS)
LDFLAGS  += -shared -Wl,-Bsymbolic -Wl,-z,defs -lpthread $(SAN_CFLAGS)

# --- Sanitizers -------------------------------------------------------------
# make asan, or make run|test|explore|replay|stress SANITIZE=address|undefined|address,undefined:
# the libraries go to build/san-<names>/ (the normal ones stay as they are); the JVMs run with the
# ASan runtime preloaded; a report from driver code is a finding (KASAN wording), docs/DEBUGGING.md.
SANITIZE ?=
comma    := ,
ifneq ($(SANITIZE),)
ifneq ($(filter-out address undefined,$(subst $(comma), ,$(SANITIZE))),)
$(error SANITIZE=$(SANITIZE): expected address, undefined or address,undefined)
endif
BUILD      := build/san-$(subst $(comma),+,$(SANITIZE))
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

# A kernel tree: build mainline's ethosu_job.c with its own headers as variant "mainline".
ifneq ($(KERNEL_DIR),)
VARIANTS += mainline
LIBS     += $(BUILD)/mainline/libethosu.so
endif

# --- JDK >= 22 -------------------------------------------------------------
jdk_major = $(shell "$(1)/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)
JDK_CANDIDATES := $(JAVA_HOME) $(sort $(wildcard /usr/lib/jvm/*))
JDK := $(firstword $(foreach j,$(JDK_CANDIDATES),$(if $(wildcard $(j)/bin/javac),$(if $(shell test "$(call jdk_major,$(j))" -ge 22 2>/dev/null && echo y),$(j)))))
MVN ?= mvn
MVN_FLAGS ?= -B -q -Dstyle.color=never
MAVEN_OPTS_JDK := --sun-misc-unsafe-memory-access=allow

.PHONY: all libs classes test run jdk clean asan asan-test-lib list-variants bench bench-jmh explore replay list stress variants
# keep the patched driver copies: they are what gdb shows
.SECONDARY:

all: libs

libs: $(LIBS)

list-variants:
	@echo $(VARIANTS)

# Each variant: a copy of the in-tree driver with its patch applied.
$(BUILD)/%/src/.patched: $(DRIVER_FILES) $(wildcard $(VARIANTS_DIR)/%.patch)
	@rm -rf $(BUILD)/$*/src && mkdir -p $(BUILD)/$*/src/native
	@cp -r native/driver $(BUILD)/$*/src/native/driver
	@if [ -f $(VARIANTS_DIR)/$*.patch ]; then \
		patch -s -p1 -d $(BUILD)/$*/src < $(VARIANTS_DIR)/$*.patch || \
		{ echo "variant $*: $(VARIANTS_DIR)/$*.patch does not apply to native/driver"; exit 1; }; \
	fi
	@touch $@

$(BUILD)/%/libethosu.so: $(BUILD)/%/src/.patched $(KSHIM_SRC) $(BENCH_SRC) $(HEADERS)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS) -DEBENCH_VARIANT='"$*"' -Iinclude -Iinclude/uapi -Inative/kshim \
		-I$(BUILD)/$*/src/native/driver \
		-o $@ $(BUILD)/$*/src/native/driver/ethosu_job.c $(KSHIM_SRC) $(BENCH_SRC) $(LDFLAGS)

$(BUILD)/mainline/libethosu.so: $(KSHIM_SRC) $(BENCH_SRC) $(HEADERS)
	@test -f $(KERNEL_DIR)/drivers/accel/ethosu/ethosu_job.c || \
		{ echo "KERNEL_DIR=$(KERNEL_DIR) has no drivers/accel/ethosu/ethosu_job.c: point it at a Linux tree with the Ethos-U driver"; exit 1; }
	@mkdir -p $(dir $@)
	@echo "  CC      $@ (from $(KERNEL_DIR))"
	@$(CC) $(CFLAGS) -DEBENCH_VARIANT='"mainline"' -Iinclude -Iinclude/uapi -Inative/kshim \
		-I$(KERNEL_DIR)/drivers/accel/ethosu \
		-o $@ $(KERNEL_DIR)/drivers/accel/ethosu/ethosu_job.c $(KSHIM_SRC) $(BENCH_SRC) $(LDFLAGS)

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

classes: libs jdk
	@$(MAVEN) compile dependency:build-classpath -Dmdep.outputFile=$(CLASSPATH_FILE) -Dmdep.includeScope=runtime

# The default run: explore every variant x built-in scenario, print verdicts and races.
# ARGS="..." passes options (make list; make run ARGS=--help).
ARGS ?=
run: classes
	@$(JAVA_CMD) run $(ARGS)

# The other commands of the command line (ARGS as for run; `make list` shows what there is).
explore replay list stress variants: classes
	@$(JAVA_CMD) $@ $(ARGS)

# Benchmarks (docs/PERFORMANCE.md): ARGS as for run.
bench: classes
	@$(JAVA_CMD) bench $(ARGS)

# FFM hot-path microbenchmarks (JMH): downcall, upcall, scheduling point.
bench-jmh: libs jdk
	@$(MAVEN) test-compile exec:exec@jmh -Dethosu.args="HotPath $(ARGS)"

# --- Sanitizers (see above): `make run` with ASan and UBSan in every library -----------------
asan:
	@$(MAKE) --no-print-directory run SANITIZE=address,undefined ARGS="$(ARGS)"

# The test suite replays the baseline's sanitizer findings on an ASan build of locked.
ASAN_TEST_BUILD := build/san-address
test: asan-test-lib
asan-test-lib:
	@$(MAKE) --no-print-directory libs SANITIZE=address VARIANTS=locked

clean:
	rm -rf build target
