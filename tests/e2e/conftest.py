"""Builds several end-to-end modules start from, each made once per session (``shared_once``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from engine_helpers import build_args, cli_env, require_tool, run_cli, shared_once


@pytest.fixture(scope="session")
def warm(tmp_path_factory):
    """A cache holding one good execution, HTML and PDF of the fixture report (English).

    ``tmp``: the folder whose ``cache`` and ``data`` a test copies before it builds there;
    ``html``: the published English page.
    """
    require_tool("chromium")

    def make(tmp: Path) -> dict:
        builds = tmp / "builds"
        result = run_cli(build_args("fixture", builds, fmt="html,pdf"), cli_env(tmp))
        assert result.returncode == 0, result.stderr
        return {"tmp": str(tmp)}

    tmp = Path(shared_once(tmp_path_factory, "fixture-en-warm", make)["tmp"])
    return {"tmp": tmp, "html": (tmp / "builds" / "latest" / "fixture.en.html").read_bytes()}
