"""The locked environment: ``requirements.lock`` read, checked against pyproject.toml, hashed.

``requirements.lock`` (written by ``make lock`` with uv, for CPython 3.11 on Linux) pins every
package to one version with the sha256 of its files; ``make setup`` installs exactly that.
This module only reads files.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from packaging.specifiers import SpecifierSet

from gba_report.paths import PROJECT_ROOT

LOCK_FILE = PROJECT_ROOT / "requirements.lock"
PYPROJECT = PROJECT_ROOT / "pyproject.toml"
#: Installed into the venv by the lock although pyproject does not list it as a dependency.
TOOLING = ("pip",)
#: The optional extras of pyproject.toml that requirements.lock holds (``make lock``).
LOCKED_EXTRAS = ("dev", "dask")
#: How uv marks a package that pyproject.toml asks for directly.
_DIRECT = "gba-report (pyproject.toml)"


def normalise(name: str) -> str:
    """PEP 503 normalised name (``Jupyter_Core`` -> ``jupyter-core``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass
class Pin:
    """One package of the lock: exact version, file hashes, what asked for it."""

    name: str
    version: str
    hashes: list[str] = field(default_factory=list)
    via: list[str] = field(default_factory=list)


def parse_lock(text: str) -> dict[str, Pin]:
    """``{normalised name: Pin}`` of every package in a lock file's text."""
    pins: dict[str, Pin] = {}
    current: Pin | None = None
    for line in text.splitlines():
        head = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", line)
        if head:
            current = Pin(normalise(head.group(1)), head.group(2))
            pins[current.name] = current
        elif current is not None and "--hash=sha256:" in line:
            current.hashes.append(line.split("--hash=sha256:", 1)[1].split()[0])
        elif current is not None and line.strip().startswith("#"):
            via = line.strip().lstrip("#").strip()
            via = via.removeprefix("via").strip()
            if via:
                current.via.append(via)
    return pins


def _requirement(spec: str) -> tuple[str, str]:
    """``("pandas", ">=2.2")`` from ``"pandas>=2.2"`` (extras and markers are not used here)."""
    m = re.match(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(.*?)\s*$", spec)
    if not m:
        raise ValueError(f"cannot read the requirement {spec!r}")
    return normalise(m.group(1)), m.group(2)


def _satisfies(version: str, specifier: str) -> bool:
    """Whether ``version`` meets ``specifier`` (PEP 440, via ``packaging``)."""
    return SpecifierSet(specifier).contains(version, prereleases=True)


def problems(pyproject_text: str, lock_text: str) -> list[str]:
    """What makes the lock out of step with pyproject.toml (empty when it is in step).

    Every dependency, locked extra (:data:`LOCKED_EXTRAS`) and build requirement of
    pyproject.toml must be pinned at a version its range allows, with hashes; and the packages
    uv recorded as asked for by pyproject must be exactly pyproject's dependencies and locked
    extras (no stale or missing one).
    """
    project = tomllib.loads(pyproject_text)
    extras = project["project"]["optional-dependencies"]
    direct = [
        *project["project"]["dependencies"],
        *(spec for name in LOCKED_EXTRAS for spec in extras.get(name, [])),
    ]
    wanted = [*direct, *project["build-system"]["requires"], *TOOLING]
    pins = parse_lock(lock_text)
    found = []
    for spec in wanted:
        name, specifier = _requirement(spec)
        pin = pins.get(name)
        if pin is None:
            found.append(f"{spec}: not in requirements.lock")
        elif specifier and not _satisfies(pin.version, specifier):
            found.append(f"{spec}: requirements.lock pins {pin.version}, outside that range")
    asked = {name for name, pin in pins.items() if _DIRECT in pin.via}
    declared = {_requirement(spec)[0] for spec in direct}
    for name in sorted(asked - declared):
        found.append(
            f"{name}: in requirements.lock as a dependency of pyproject.toml, "
            "which no longer lists it"
        )
    found += [
        f"{p.name}=={p.version}: no sha256 hash in requirements.lock"
        for p in pins.values()
        if not p.hashes
    ]
    return found


def unlocked(installed: list[str], lock_text: str) -> list[str]:
    """Names among ``installed`` (``pip freeze`` lines) that the lock does not list."""
    pins = parse_lock(lock_text)
    names = [line.split("==")[0] for line in installed if "==" in line]
    return sorted(n for n in names if normalise(n) not in pins)


def lock_sha256(path: Path | None = None) -> str | None:
    """sha256 of the lock file (recorded in every build's manifest), or None without a lock."""
    try:
        return hashlib.sha256((path or LOCK_FILE).read_bytes()).hexdigest()
    except FileNotFoundError:
        return None
