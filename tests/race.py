"""One harness for the race tests: real threads released at once, each with its own database
connection, every outcome kept (a result, or the exception a caller would have seen as a 500
or a refusal)."""

from __future__ import annotations

import threading
from collections.abc import Callable


def race(n: int, fn: Callable[[int], object], *, timeout: float = 60) -> list[object]:
    """Call ``fn(0)`` .. ``fn(n - 1)`` in ``n`` threads that wait at a barrier and then start
    together. Returns what each call returned or the exception it raised, in the order the
    calls finished. Each thread closes its own connection, so no test leaks one."""
    from django.db import close_old_connections, connection

    barrier = threading.Barrier(n)
    results: list[object] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        try:
            barrier.wait()
            out = fn(i)
        except Exception as exc:  # noqa: BLE001 - kept: the test decides what was expected
            out = exc
        finally:
            close_old_connections()
            connection.close()
        with lock:
            results.append(out)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    return results


def errors(results: list[object], *, expected: tuple[type[BaseException], ...] = ()) -> list[BaseException]:
    """The exceptions among ``results`` that are not of the ``expected`` kinds."""
    return [r for r in results if isinstance(r, Exception) and not isinstance(r, expected)]
