"""Contacts: saving and loading, the form's data, persons, follow-ups."""
