# The two commands of the README: `make demo` (set up, index seeds/, ask) and `make test`.
QUESTION ?= ماذا قال شي؟

.PHONY: setup setup-test demo test index ray clean
setup:
	@scripts/setup

# The suite includes a real two-node Ray cluster on this machine, so the tests install Ray.
setup-test:
	@scripts/setup test,ray

# Ray for `newsqa index --ray ADDRESS` (docs/scale.md); the default install has no Ray.
ray:
	@scripts/setup test,ray

demo: setup
	.venv/bin/newsqa index
	.venv/bin/newsqa ask "$(QUESTION)"

index: setup
	.venv/bin/newsqa index

test: setup-test
	.venv/bin/python -m pytest

clean:
	rm -rf index/manifest.json index/segments index/.lock
