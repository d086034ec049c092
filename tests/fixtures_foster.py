"""Fixtures for the foster tests (loaded from conftest.py)."""
