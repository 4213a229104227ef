"""Sub-commands of the ``gba-report`` command line, one module each."""
