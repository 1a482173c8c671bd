"""Exports of aggregated statistics: the whole ``akut export`` run and its file formats."""
