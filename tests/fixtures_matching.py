"""Fixtures for the matching tests (loaded from conftest.py)."""
