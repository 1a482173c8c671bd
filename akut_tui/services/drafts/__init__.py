"""Drafts of forms and dialogs, sealed at rest."""
