"""Textual screens of the Akut app."""
