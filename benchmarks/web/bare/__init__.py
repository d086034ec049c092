"""A bare Django project: one view returning fixed bytes, the default middleware (issue 14)."""
