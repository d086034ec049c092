"""Fixtures for the placements (breakdown monitor) tests (loaded from conftest.py)."""
