"""Names inside a builds folder (``report/build/`` by default): the output layout in one place.

::

    latest -> <run id>            the newest complete build (symlink, switched atomically)
    <run id>/                     one build: <UTC start time>-<random>
      index.html  manifest.json  <report>.<lang>.html/.pdf  executed/<report>.<lang>.ipynb
    failed/<run id>/              executed notebooks (and logs) of failed runs
    index.html                    the build history
    .tmp-<run id>/                a build in progress
    .publish.lock  .scheduled.lock  logs/scheduled.log
"""

from __future__ import annotations

import re

#: Name of a published build folder: ``20261129T153000Z-ab12cd`` (the suffix is optional).
BUILD_NAME_RE = re.compile(r"^(?P<stamp>\d{8}T\d{6}Z)(?:-[A-Za-z0-9_.-]+)?$")
#: The symlink pointing at the newest good build.
LATEST = "latest"
#: A build's manifest, index page and executed notebooks.
MANIFEST_FILE = "manifest.json"
INDEX_FILE = "index.html"
EXECUTED_DIR = "executed"
#: Notebooks and logs of failed runs: ``failed/<run id>/``.
FAILED_DIR = "failed"
#: The history page, in the builds folder itself.
HISTORY_INDEX = "index.html"
#: Prefix of a build in progress (``.tmp-<run id>``).
STAGING_PREFIX = ".tmp-"
#: Locks: publishing (short), and one scheduled run at a time.
PUBLISH_LOCK = ".publish.lock"
SCHEDULED_LOCK = ".scheduled.lock"
