#!/usr/bin/env python
"""Django's command-line utility. Puts site/ (the source root of the project package) on the path."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def main() -> None:
    sys.path.insert(1, str(ROOT / "site"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thuisnet.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
