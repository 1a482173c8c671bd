"""Domain services: the only code that touches the database on behalf of the UI and CLI.

Services take plain values and return frozen DTOs (:mod:`akut_tui.services.base.dto`),
never Peewee model instances. They never import Textual. Every failure the user
should read is an :class:`~akut_tui.core.errors.AkutError` with a Danish message; a
write the database refuses becomes :class:`~akut_tui.core.errors.StorageError`
because services open write transactions through :mod:`akut_tui.services.base.storage`.
Role rules come from :mod:`akut_tui.core.permissions` only.
"""
