"""Fixtures for the respite tests (loaded from conftest.py)."""
