# gongzhi: the two commands in README.md are `make run` and `make test`.
#   make          builds build/gongzhi
#   make run      installs what is missing, builds, creates var/gongzhi.db with
#                 demo data when there is none, serves http://127.0.0.1:8080
#   make test     installs what is missing, builds with ASan + UBSan into
#                 build-test/, runs every test (unit, HTTP on SQLite and on
#                 PostgreSQL, browser, short fuzz runs)
#   make fuzz     runs the fuzzers for longer
#   make bench    runs the benchmarks (see bench/)

BUILD := build
TEST_BUILD := build-test
DB := var/gongzhi.db
LISTEN := 127.0.0.1:8080

.PHONY: all deps run test fuzz bench clean

all: $(BUILD)/build.ninja
	meson compile -C $(BUILD)

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=debugoptimized

deps:
	scripts/install-deps

run: deps
	$(MAKE) all
	mkdir -p var
	$(BUILD)/gongzhi demo --db $(DB)
	$(BUILD)/gongzhi serve --db $(DB) --listen $(LISTEN) --access-log -

$(TEST_BUILD)/build.ninja:
	meson setup $(TEST_BUILD) --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false -Dwerror=true

test: deps $(TEST_BUILD)/build.ninja
	meson compile -C $(TEST_BUILD)
	scripts/run-tests

fuzz: deps
	scripts/run-fuzz long

bench: deps all
	bench/run

clean:
	rm -rf $(BUILD) $(TEST_BUILD)
