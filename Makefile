# The two commands of the README: `make demo` (set up, index seeds/, ask) and `make test`.
QUESTION ?= ماذا قال شي؟

.PHONY: setup demo test index clean
setup:
	@scripts/setup

demo: setup
	.venv/bin/newsqa index
	.venv/bin/newsqa ask "$(QUESTION)"

index: setup
	.venv/bin/newsqa index

test: setup
	.venv/bin/python -m pytest

clean:
	rm -rf index/manifest.json index/segments index/.lock
