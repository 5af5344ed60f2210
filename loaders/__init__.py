"""From article files to actors and typed relations, each with its evidence."""
