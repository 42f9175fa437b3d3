"""weasy."""
