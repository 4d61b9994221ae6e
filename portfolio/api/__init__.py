"""The REST API under /api/v1/: the same services, selectors and FilterSets as the pages."""
