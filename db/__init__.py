"""Database layer: Peewee models, connection setup, migrations and queries.

Nothing here imports Textual or the ``akut_tui`` package.
"""
