"""The `thuisnet` command of an installed Thuisnet: Django's manage.py for the wheel.

The repository's manage.py puts site/ on the path and defaults to the development
settings; an installed package is already on the path and runs in production.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thuisnet.settings.production")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
