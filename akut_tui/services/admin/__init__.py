"""Leader administration of the value lists."""
