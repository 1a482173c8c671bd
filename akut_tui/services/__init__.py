"""Domain services: the only code that touches the database on behalf of the UI and CLI.

Services take plain values and return frozen DTOs (:mod:`akut_tui.services.dto`),
never Peewee model instances. They never import Textual. Every failure the user
should read is an :class:`~akut_tui.errors.AkutError` with a Danish message; a
write the database refuses becomes :class:`~akut_tui.errors.StorageError`
because services open write transactions through :mod:`akut_tui.services.storage`.
Role rules come from :mod:`akut_tui.permissions` only.
"""
