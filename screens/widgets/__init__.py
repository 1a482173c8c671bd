"""Reusable widgets: one-row inputs and plain text, form fields, the form box, the quick log."""
