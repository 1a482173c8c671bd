"""Bundled data files for Akut (e.g. the common-password list)."""
