"""The import direction is import-linter's contract in pyproject.toml ([tool.importlinter]),
run by `make lint`; the test suite runs it too, so a wrong import fails `make test` as well."""

from importlinter.cli import lint_imports


def test_the_import_contract_holds():
    assert lint_imports() == 0
