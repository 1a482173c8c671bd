"""Sub-commands of the ``akut`` CLI, one module each.

Each module exposes ``add_parser(subparsers)`` to declare its arguments and
``run(args, config) -> int`` to carry it out; ``akut_tui.cli.main`` registers them.
Modules here must not import Textual: they run on servers with no terminal.
"""
