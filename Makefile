# Everything bootstraps from a machine that has only python3 and make.
PYTHON ?= python3
VENV := .venv
CHECKOV_VENV := .venv-checkov
# An environment with an old Pulumi SDK, for the engine's compatibility tests.
OLD_SDK_VENV := .venv-sdk-old
OLD_SDK_REQUIREMENTS := tests/fixtures/environments/sdk-3.150/requirements.txt
BIN := $(VENV)/bin
PIP_FLAGS := --quiet --disable-pip-version-check

.PHONY: gate test lint typecheck bench corpus plan clean venv

venv: $(VENV)/.installed $(CHECKOV_VENV)/.installed $(OLD_SDK_VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt policy_pack/requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install $(PIP_FLAGS) --upgrade pip
	$(BIN)/python -m pip install $(PIP_FLAGS) -r requirements-dev.txt
	touch $@

$(CHECKOV_VENV)/.installed: requirements-checkov.txt
	test -x $(CHECKOV_VENV)/bin/python || $(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install $(PIP_FLAGS) --upgrade pip
	$(CHECKOV_VENV)/bin/python -m pip install $(PIP_FLAGS) -r requirements-checkov.txt
	touch $@

$(OLD_SDK_VENV)/.installed: $(OLD_SDK_REQUIREMENTS)
	test -x $(OLD_SDK_VENV)/bin/python || $(PYTHON) -m venv $(OLD_SDK_VENV)
	$(OLD_SDK_VENV)/bin/python -m pip install $(PIP_FLAGS) -r $(OLD_SDK_REQUIREMENTS)
	touch $@

## The main job: the full offline gate on every stack.
gate: venv
	$(BIN)/python -m gate check --all-stacks --program . --program bootstrap --format text

## Print the recorded plan of every stack (no policies, no checkov).
plan: venv
	@for stack in $$(ls Pulumi.*.yaml | sed -E 's/Pulumi\.(.*)\.yaml/\1/'); do \
		$(BIN)/python -m gate plan --stack $$stack --format text || exit $$?; \
	done

## The test suite, with lint and type checks first, then the runnable docstring examples.
test: venv lint typecheck
	$(BIN)/python -m pytest -n auto --dist loadfile
	$(BIN)/python -m pytest --doctest-modules gate serverless_platform policy_pack runbooks lambda_functions/shared lambda_functions/api lambda_functions/deployment_hook -q

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/actionlint .github/workflows/*.yml

typecheck: $(VENV)/.installed
	$(BIN)/mypy

bench: venv
	$(BIN)/python benchmarks/run.py

## The gate on every public program of ../shared/corpus, each in its own environment.
corpus: venv
	$(BIN)/python benchmarks/corpus.py

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) $(OLD_SDK_VENV) .pytest_cache .mypy_cache .ruff_cache
