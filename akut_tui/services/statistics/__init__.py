"""Statistics: periods, tables, suppression, plain data."""
