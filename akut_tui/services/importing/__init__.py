"""The CSV import of historical contacts."""
