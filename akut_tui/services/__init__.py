"""Domain services: the only code that touches the database on behalf of the UI and CLI.

Services take plain values and return frozen DTOs (:mod:`akut_tui.services.dto`),
never Peewee model instances. They never import Textual.
"""
