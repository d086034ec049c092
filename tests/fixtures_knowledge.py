"""Fixtures for the knowledge tests (loaded from conftest.py)."""
