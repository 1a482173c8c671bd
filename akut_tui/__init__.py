"""Akut: keyboard-driven terminal app for Danish social crisis services.

This module holds only the version so that importing the package stays cheap
and never pulls in Textual.
"""

__version__ = "0.1.0"
