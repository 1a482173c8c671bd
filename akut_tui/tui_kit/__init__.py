"""Textual building blocks below the screens: quiet screens and overrides, the key gate, the
messages screens post to the app.
"""
