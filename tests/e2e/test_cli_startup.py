"""What every ``gba-report`` command pays at start-up, before it does anything.

nbformat brings jsonschema, and jsonschema builds the grammars of rfc3987-syntax when that is
installed: ~1.4 s of CPU on the 2-core machine, more than half of a no-change rebuild. Only
``reproduce`` (and the workers, which hide rfc3987-syntax) need nbformat.
"""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = (
    "import json, sys; import gba_report.cli; "
    "print(json.dumps([m for m in ('nbformat', 'jsonschema', 'rfc3987_syntax', 'papermill', "
    "'nbconvert', 'matplotlib', 'pandera', 'distributed') if m in sys.modules]))"
)


def test_the_command_line_imports_no_notebook_or_chart_machinery():
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == []
