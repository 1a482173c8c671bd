"""What screens, widgets and dialogs lean on: the host protocol, workers, drafts, key markers."""
