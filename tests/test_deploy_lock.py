"""The lock files pin everything pyproject.toml asks for, with hashes (run `make lock` after editing)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _pins(lock: str) -> dict[str, str]:
    text = (ROOT / "requirements" / lock).read_text()
    return {m[1].lower(): m[2] for m in re.finditer(r"^([A-Za-z0-9_.\-]+)==(\S+)", text, re.MULTILINE)}


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_every_dependency_is_pinned_in_the_lock_file():
    pins = _pins("lock.txt")
    missing = [d for d in _project()["dependencies"] if _name(d) not in pins]
    assert missing == [], f"run `make lock`: {missing}"


def test_every_dev_dependency_is_pinned_in_the_dev_lock_file():
    pins = _pins("dev-lock.txt")
    wanted = _project()["dependencies"] + _project()["optional-dependencies"]["dev"]
    missing = [d for d in wanted if _name(d) not in pins]
    assert missing == [], f"run `make lock`: {missing}"


def test_the_run_time_lock_agrees_with_the_dev_lock():
    run, dev = _pins("lock.txt"), _pins("dev-lock.txt")
    differ = {name: (version, dev.get(name)) for name, version in run.items() if dev.get(name) != version}
    assert differ == {}


def test_every_pin_carries_a_hash():
    for lock in ("lock.txt", "dev-lock.txt"):
        blocks = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / "requirements" / lock).read_text())
        unhashed = [b.split()[0] for b in blocks if "==" in b.split("\n")[0] and "--hash=sha256:" not in b]
        assert unhashed == [], f"{lock}: {unhashed}"
