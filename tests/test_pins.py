"""The pinned versions (binder/requirements.txt, tests/requirements.txt) satisfy the ranges
in pyproject.toml, and the environment the tests run in has exactly those pins."""

from __future__ import annotations

import tomllib
from importlib import metadata

from conftest import ROOT
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name


def pins(path) -> dict[str, str]:
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"{path.name}: '{line}' is not pinned with =="
            found[canonicalize_name(name)] = version
    return found


PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
RUNTIME = pins(ROOT / "binder" / "requirements.txt")
TEST = pins(ROOT / "tests" / "requirements.txt")


def test_every_runtime_dependency_is_pinned_within_its_range():
    for spec in map(Requirement, PROJECT["dependencies"]):
        name = canonicalize_name(spec.name)
        assert name in RUNTIME, f"{spec.name} is not pinned in binder/requirements.txt"
        assert spec.specifier.contains(RUNTIME[name]), f"{spec.name}=={RUNTIME[name]} not {spec}"


def test_every_test_dependency_is_pinned_within_its_range():
    for spec in map(Requirement, PROJECT["optional-dependencies"]["test"]):
        name = canonicalize_name(spec.name)
        version = TEST.get(name) or RUNTIME.get(name)
        assert version, f"{spec.name} is not pinned in tests/requirements.txt"
        assert spec.specifier.contains(version), f"{spec.name}=={version} not {spec}"


def test_the_installed_packages_are_the_pinned_ones():
    for name, version in {**RUNTIME, **TEST}.items():
        assert metadata.version(name) == version, name


def test_every_pin_installs_on_the_oldest_python_the_course_accepts():
    # pyproject.toml (and scripts/install.py, and the README) accept Python 3.11 from its
    # first release, as Debian 12's python3 (3.11.2) is: a pin that needs a later one stops
    # the first command on such a machine
    accepted = SpecifierSet(PROJECT["requires-python"])
    oldest = "3.11.0"
    assert accepted.contains(oldest) and not accepted.contains("3.10.99")
    needs = {name: metadata.metadata(name)["Requires-Python"] for name in {**RUNTIME, **TEST}}
    refused = {
        n: need for n, need in needs.items() if need and not SpecifierSet(need).contains(oldest)
    }
    assert refused == {}, f"these pins need a newer Python than {oldest}: {refused}"
