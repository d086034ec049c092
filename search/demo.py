"""Demo data for search, called by `manage.py load_demo` (last of the apps): build the index
at once, so a fresh `make run` finds the demo content before the worker has run. Idempotent:
a rebuild of the same content writes the same documents."""

from . import indexing


def load(region, stdout=None) -> None:
    counts = indexing.reindex()
    if stdout is not None:
        stdout.write("Zoekindex: " + ", ".join(f"{k} {n}" for k, n in counts.items()))
