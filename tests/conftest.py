"""Order and grouping of the whole test run, for ``pytest -n auto`` (``--dist loadgroup``).

- Tests that use a module-scoped fixture of their own module run on one worker
  (``xdist_group`` = the module), so the fixture is made once, not once per worker.
  Every other test is a unit of its own and goes to whichever worker is free.
- Tests marked ``slow`` (notebooks, builds, Chromium) are handed out first, in their files'
  order, and the many quick ones fill in after: no long test is left to start at the end
  while the other worker sits idle.

Without ``-n`` the marks do nothing and only the order changes.
"""

from __future__ import annotations

import pytest


def _own_module_fixture(item: pytest.Item) -> bool:
    """Whether the test uses a module-scoped fixture defined in its own module."""
    module = item.nodeid.split("::", 1)[0]
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    return any(
        definition.scope == "module" and definition.baseid == module
        for definitions in info.name2fixturedefs.values()
        for definition in definitions
    )


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _own_module_fixture(item):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::", 1)[0]))
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
