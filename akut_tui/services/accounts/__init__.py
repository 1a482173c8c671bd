"""Accounts: login, lockout, user administration, permission checks."""
