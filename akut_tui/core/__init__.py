"""Plain helpers every layer may use: no database, no Textual."""
