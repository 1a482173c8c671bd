"""Opening the runtime: database, keys, schema, and the start-up alignment (beds from the
configuration, the site identity, sealing old drafts).
"""
