"""pyproject.toml against the tree: the lock files pin every dependency within its range,
and the import contract (`lint-imports`, run by `make lint`) covers every package."""

import re
import tomllib
from importlib import metadata

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement

from .subprocesses import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PROJECT = PYPROJECT["project"]


def normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lock: str, *, here: bool = False) -> dict:
    """{normalised name: version} of a lock file written by `make lock`; with `here`, only
    the packages whose environment marker holds on this machine."""
    text = (ROOT / "requirements" / lock).read_text()
    found = re.findall(r"^([A-Za-z0-9_.-]+)==([^\s;\\]+)(?: ; ([^\\]+?))? \\$", text, re.M)
    return {
        normalised(name): version
        for name, version, marker in found
        if not (here and marker and not Marker(marker).evaluate())
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
        name = normalised(requirement.name)
        assert name in pinned, f"{requirement.name} is not in requirements/{lock}: make lock"
        assert requirement.specifier.contains(pinned[name]), (requirement, pinned[name])


def test_the_environment_holds_exactly_the_locked_versions():
    # `make install` installs requirements/test.txt, `make bench` adds requirements/bench.txt.
    installed = {
        normalised(d.metadata["Name"]): d.version
        for d in metadata.distributions()
        if normalised(d.metadata["Name"]) not in ("pip", "setuptools", "sourcewise")
    }
    test, bench = pins("test.txt", here=True), pins("bench.txt", here=True)
    assert {name: installed.get(name) for name in test} == test
    assert {name: version for name, version in installed.items() if name not in test} == {
        name: bench.get(name) for name in installed if name not in test
    }


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
