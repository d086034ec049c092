"""Demo data for placements, called by `manage.py load_demo`. Must be idempotent."""


def load(region, stdout=None) -> None:
    return None
