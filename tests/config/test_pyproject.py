"""pyproject.toml against the tree: the lock files pin every dependency within its range,
and the import contract (`lint-imports`, run by `make lint`) covers every package."""

import re
import tomllib

import pytest
from packaging.requirements import Requirement

from .subprocesses import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PROJECT = PYPROJECT["project"]


def pins(lock: str) -> dict:
    """{normalised name: version} of a lock file written by `make lock`."""
    text = (ROOT / "requirements" / lock).read_text()
    return {
        re.sub(r"[-_.]+", "-", name).lower(): version
        for name, version in re.findall(r"^([A-Za-z0-9_.-]+)==([^\s;\\]+)", text, re.M)
    }


@pytest.mark.parametrize(
    ("lock", "groups"),
    [("test.txt", ["test"]), ("bench.txt", ["test", "bench"])],
)
def test_the_lock_pins_every_dependency_within_its_range(lock, groups):
    # A dependency added to pyproject.toml without `make lock` fails here, not at install.
    pinned = pins(lock)
    wanted = PROJECT["dependencies"] + [
        r for group in groups for r in PROJECT["optional-dependencies"][group]
    ]
    for requirement in map(Requirement, wanted):
        name = re.sub(r"[-_.]+", "-", requirement.name).lower()
        assert name in pinned, f"{requirement.name} is not in requirements/{lock}: make lock"
        assert requirement.specifier.contains(pinned[name]), (requirement, pinned[name])


def test_the_bench_lock_agrees_with_the_test_lock():
    test, bench = pins("test.txt"), pins("bench.txt")
    assert {name: bench.get(name) for name in test} == test


def test_the_import_contract_covers_every_top_level_package():
    # import-linter refuses a root package that does not exist, so the list is kept by
    # hand: a new top-level package must be added to it (and to the contract's layers).
    packages = {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in ("tests", "node_modules")
    }
    settings = PYPROJECT["tool"]["importlinter"]
    assert set(settings["root_packages"]) == packages
    (contract,) = settings["contracts"]
    layered = set(re.findall(r"[a-z_]+", " ".join(contract["layers"])))
    assert packages <= layered
    # and the installed project (`pip install -e .`) holds every package but the benchmark
    included = {
        pattern.rstrip("*")
        for pattern in PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]
    }
    assert packages - {"bench"} <= included
