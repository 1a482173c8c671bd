"""The command line: the ``akut`` entry (main) and its sub-commands."""
