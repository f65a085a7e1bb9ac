"""Examples and recipes: each runs as written and is tested in the suite (see README.md)."""
