"""Order and grouping of the test run under ``pytest -n 2 --dist loadgroup`` (opt-in).

With ``--dist loadgroup`` (``--no-loadscope-reorder``) xdist hands out one unit at a time to
whichever worker is free; this file makes the units:

- tests that use a module-scoped fixture of their own module form one unit
  (``xdist_group`` = the module), so the fixture is made once, not once per worker;
  every other test is a unit of its own;
- tests marked ``slow`` (notebooks, builds, Chromium) come first, in their files' order, and
  the many quick ones fill in after, so no long test starts last while the other worker idles.

Under the default ``--dist load`` (what ``make test`` runs) nothing changes: that mode sends
consecutive chunks of about a quarter of the run to each worker, and slow-first would put every
slow test on one of them.
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


@pytest.hookimpl(tryfirst=True)  # before xdist's worker reads the xdist_group marks
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not getattr(config.option, "loadgroup", False):  # set in xdist workers of loadgroup
        return
    for item in items:
        if _own_module_fixture(item):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::", 1)[0]))
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
