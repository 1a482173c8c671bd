"""Dialogs: modal screens that answer a question (confirm, re-authenticate, help, too small)."""
