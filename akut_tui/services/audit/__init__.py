"""The hash-chained audit trail, its anchors and the retention purge."""
