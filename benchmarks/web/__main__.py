"""Benchmark (issue 14): the app's pages and writes beside a bare Django view, one interleaved run.

    .venv/bin/python benchmarks/web [--quick] [--duration 15] [--repeats 3] [--reuse-db]

What it does, in order:

1. Builds the demo database ``thuisnet_bench`` on PostgreSQL (``migrate`` + ``load_demo``
   with the production settings; ``--reuse-db`` keeps an existing one).
2. Starts the app under gunicorn (2 sync workers, ``thuisnet.settings.production`` via
   ``benchmarks/web/settings_app.py``, PostgreSQL, Redis db 9 as cache), fetches the home page
   once, and starts a bare Django project (``benchmarks/web/bare``: one view returning those
   bytes, Django's default middleware) with the same gunicorn configuration. When the page
   cache has an on/off setting, a second app process with the cache off serves the
   "uncached" rows.
3. Drives every target with Debian's ``wrk`` (``benchmarks/wrk/bench.lua``): ``-t2 -c16`` for
   pages (``-c50`` for the POSTs) for ``--duration`` seconds, then one connection alone
   (sequential requests: the service time). Targets are run in a rotated order each repeat;
   the bare view runs three times per repeat, which shows how noisy the machine was.
4. Prints a markdown table of medians over the repeats, the ratio to the bare view, the
   answers that were not 2xx/3xx, and an overbooking check in SQL after the writes.

Load-test switches, printed with the table: the per-address rate limits of public forms and
API writes are off (``THUISNET_RATE_LIMITS_ENABLED = False``) and DRF's anon/user throttles
are lifted, because every wrk client comes from 127.0.0.1. Everything else is production.
Ports 8200-8299 (``--port``), PostgreSQL at 127.0.0.1:5432, Redis at 127.0.0.1:6379.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
LUA = ROOT / "benchmarks" / "wrk" / "bench.lua"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PG = "postgres://postgres@127.0.0.1:5432"

PUBLIC = {"home", "overview", "evening", "article", "vacancy", "search", "ical"}


@dataclass
class Target:
    name: str
    label: str
    path: str
    server: str = "app"  # app | nocache | bare
    kind: str = "get"  # get | register | book
    connections: int = 16
    headers: dict[str, str] = field(default_factory=dict)
    runs: list[dict] = field(default_factory=list)
    alone: list[dict] = field(default_factory=list)
    x_cache: str = ""


# ------------------------------------------------------------------------------ processes


def app_env(args) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="settings_app",
        PYTHONPATH=os.pathsep.join([str(HERE), str(args.app_root), str(args.app_root / "site")]),
        BENCH_APP_ROOT=str(args.app_root),
        THUISNET_VAR_DIR=str(args.workdir / "var"),
        STATIC_ROOT=str(args.workdir / "static"),
        SECRET_KEY="benchmark-only-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        HEALTHZ_REQUIRE_WORKER="false",
        DATABASE_URL=f"{PG}/{args.database}",
        REDIS_URL=args.redis,
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="WARNING",
        BASE_URL=f"http://127.0.0.1:{args.port + 1}",
    )
    env.pop("BENCH_SETTING_OFF", None)
    return env


def psql(sql: str) -> str:
    out = subprocess.run(
        ["psql", "-qtA", f"{PG}/postgres", "-c", sql],
        capture_output=True,
        text=True,
        env={**os.environ, "PGOPTIONS": "-c client_min_messages=warning"},
    )
    if out.returncode:
        sys.exit(f"psql failed: {out.stderr.strip()}")
    return out.stdout.strip()


def build_database(args, env) -> None:
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{args.database}'") == "1"
    if exists and args.reuse_db:
        print(f"-- reusing database {args.database} (migrate only)", flush=True)
        manage(args, env, "migrate", "--noinput", "-v", "0")
        return
    print(f"-- building {args.database}: migrate + load_demo (production settings)", flush=True)
    psql(f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)")
    psql(f"CREATE DATABASE {args.database}")
    t0 = time.perf_counter()
    manage(args, env, "migrate", "--noinput", "-v", "0")
    manage(args, env, "load_demo")
    print(f"   done in {time.perf_counter() - t0:.0f} s", flush=True)


class Servers:
    def __init__(self, workdir: Path) -> None:
        self.procs: dict[str, subprocess.Popen] = {}
        self.workdir = workdir

    def start(self, name: str, port: int, wsgi: str, env: dict[str, str], cwd: Path) -> None:
        log = open(self.workdir / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        self.procs[name] = subprocess.Popen(
            [GUNICORN, wsgi, "-c", str(HERE / "gunicorn_conf.py")],
            env={**env, "BENCH_BIND": f"127.0.0.1:{port}"},
            cwd=cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def get(url: str, headers: dict[str, str] | None = None, timeout: float = 30) -> tuple[int, dict, bytes]:
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - loopback only
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def wait_for(url: str, limit: float = 90) -> None:
    start = time.time()
    while time.time() - start < limit:
        try:
            if get(url, timeout=5)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    sys.exit(f"not answering after {limit:.0f} s: {url}")


def manage(args, env, *cmd: str) -> None:
    run = subprocess.run(
        [PYTHON, str(args.app_root / "manage.py"), *cmd],
        env=env,
        cwd=args.app_root,
        capture_output=True,
        text=True,
    )
    if run.returncode:
        sys.exit(f"manage.py {cmd[0]} failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")


def collectstatic(args, env) -> None:
    """The manifest storage of production needs collected static files (as CI does)."""
    manage(args, env, "collectstatic", "--noinput", "-v", "0")


def drain(base: str, server: str) -> None:
    """Wait until the requests wrk left queued in the listen backlog are served: a sync worker
    finishes every accepted request after wrk stops, which would be counted in the next run."""
    for _ in range(2):
        get(base + ("/" if server == "bare" else "/healthz"), timeout=600)


def page_cache_setting(app_root: Path) -> str | None:
    """The page cache's on/off setting, read from thuisnet/core/pagecache.py (None: none yet)."""
    source = (app_root / "site" / "thuisnet" / "core" / "pagecache.py").read_text()
    names = re.findall(r"settings,\s*[\"']([A-Z][A-Z0-9_]*)[\"']", source)
    names += re.findall(r"settings\.([A-Z][A-Z0-9_]*)", source)
    switches = [n for n in names if "CACHE" in n and n.endswith("ENABLED")]
    return switches[0] if switches else None


# ----------------------------------------------------------------------------------- wrk


def wrk(base: str, target: Target, connections: int, threads: int, seconds: float, extra: dict) -> dict:
    env = {
        **os.environ,
        "BENCH_KIND": target.kind,
        "BENCH_HEADERS": "\n".join(f"{k}: {v}" for k, v in target.headers.items()),
        "BENCH_RUN": f"{int(time.time() * 1000)}",
        **extra,
    }
    cmd = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "30s",
        "-s",
        str(LUA),
        base + target.path,
    ]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True)
    line = next((x for x in out.stdout.splitlines() if x.startswith("BENCHJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no result for {target.name}: {out.stdout[-500:]} {out.stderr[-500:]}")
    data = json.loads(line[len("BENCHJSON ") :])
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    statuses = {int(k): v for k, v in data["statuses"].items()}
    data["bad"] = sum(v for k, v in statuses.items() if not 200 <= k < 400) + data["socket_errors"]
    data["statuses"] = statuses
    return data


# ---------------------------------------------------------------------------------- report


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def fmt_ms(us: float) -> str:
    ms = us / 1000
    return f"{ms:.2f}" if ms < 10 else f"{ms:.1f}" if ms < 100 else f"{ms:.0f}"


def fmt_rps(v: float) -> str:
    return f"{v:,.0f}" if v >= 100 else f"{v:.1f}"


def report(targets: list[Target], args, notes: list[str]) -> str:
    bare = [t for t in targets if t.server == "bare"]
    bare_rps = med([r["rps"] for t in bare for r in t.runs])
    bare_alone = med([r["mean_us"] for t in bare for r in t.alone])
    rows = [
        "| target | conns | req/s | p50 ms | p95 ms | p99 ms | alone mean ms | alone median ms "
        "| req/s vs bare | alone vs bare | X-Cache | not 2xx/3xx |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for t in targets:
        if not t.runs:
            continue
        rps = med([r["rps"] for r in t.runs])
        alone_mean = med([r["mean_us"] for r in t.alone])
        alone_p50 = med([r["p50_us"] for r in t.alone])
        statuses: dict[int, int] = {}
        for r in t.runs + t.alone:
            for k, v in r["statuses"].items():
                statuses[k] = statuses.get(k, 0) + v
        bad = {k: v for k, v in statuses.items() if not 200 <= k < 400}
        sock = sum(r["socket_errors"] for r in t.runs + t.alone)
        bad_text = ", ".join(f"{k}: {v}" for k, v in sorted(bad.items())) or "0"
        if sock:
            bad_text += f" (+{sock} socket errors)"
        rows.append(
            f"| {t.label} | {t.connections} | {fmt_rps(rps)} | {fmt_ms(med([r['p50_us'] for r in t.runs]))} "
            f"| {fmt_ms(med([r['p95_us'] for r in t.runs]))} | {fmt_ms(med([r['p99_us'] for r in t.runs]))} "
            f"| {fmt_ms(alone_mean)} | {fmt_ms(alone_p50)} | {100 * rps / bare_rps:.1f}% "
            f"| x{alone_mean / bare_alone:.1f} | {t.x_cache or '-'} | {bad_text} |"
        )
    all_bare = [r["rps"] for t in bare for r in t.runs]
    all_bare_alone = [r["mean_us"] / 1000 for t in bare for r in t.alone]
    lines = ["\n".join(rows), ""]
    if all_bare:
        spread = 100 * (max(all_bare) - min(all_bare)) / med(all_bare)
        lines.append(
            f"Noise: the bare view ran {len(all_bare)} times: {min(all_bare):,.0f} to {max(all_bare):,.0f} "
            f"req/s (spread {spread:.0f}% of the median); alone {min(all_bare_alone):.2f} to "
            f"{max(all_bare_alone):.2f} ms."
        )
    lines.extend(verdicts(targets, bare_rps, bare_alone))
    lines.extend(notes)
    return "\n".join(lines)


def verdicts(targets: list[Target], bare_rps: float, bare_alone: float) -> list[str]:
    """The targets of issue 14, items 2 to 4, checked against this run's medians."""
    out = ["", "Issue 14 targets in this run (service time alone: mean):"]

    def rps(t: Target) -> float:
        return med([r["rps"] for r in t.runs])

    def alone(t: Target) -> float:
        return med([r["mean_us"] for r in t.alone])

    def alone_p50(t: Target) -> float:
        return med([r["p50_us"] for r in t.alone])

    bare_p50 = med([r["p50_us"] for t in targets if t.server == "bare" for r in t.alone])

    measured = [t for t in targets if t.runs and t.server != "bare"]
    hits = [t for t in measured if t.kind == "get" and t.x_cache.endswith("hit")]
    if hits:
        worst = min(hits, key=rps)
        ok = rps(worst) >= 0.5 * bare_rps
        out.append(
            f"- item 2, cached pages >= 50% of the bare view's req/s: {'met' if ok else 'NOT met'} "
            f"(lowest: {worst.label} {100 * rps(worst) / bare_rps:.0f}%)"
        )
    else:
        out.append("- item 2, cached pages: no page answered X-Cache: hit on a second anonymous request")
    uncached = [
        t
        for t in measured
        if t.kind == "get"
        and not t.x_cache.endswith("hit")
        and t.name.removesuffix("-nc") in PUBLIC | {"offers-api"}
    ]
    if uncached:
        worst = max(uncached, key=alone)
        ok = alone(worst) <= 32 * bare_alone
        out.append(
            f"- item 3, uncached public pages alone <= 32x the bare view: {'met' if ok else 'NOT met'} "
            f"(slowest: {worst.label} x{alone(worst) / bare_alone:.0f}; "
            f"on medians x{alone_p50(worst) / bare_p50:.0f})"
        )
    for t in measured:
        if t.name == "dashboard":
            ok = alone(t) <= 64 * bare_alone
            out.append(
                f"- item 3, logged-in page (dashboard) alone <= 64x: {'met' if ok else 'NOT met'} "
                f"(x{alone(t) / bare_alone:.0f}; on medians x{alone_p50(t) / bare_p50:.0f})"
            )
    for t in measured:
        if t.kind == "get":
            continue
        share = rps(t) / bare_rps
        p95 = med([r["p95_us"] for r in t.runs]) / 1000
        errors = sum(v for r in t.runs for k, v in r["statuses"].items() if k >= 500 or k < 200)
        errors += sum(r["socket_errors"] for r in t.runs)
        refused = sum(v for r in t.runs for k, v in r["statuses"].items() if 400 <= k < 500)
        ok = share >= 0.10 and p95 < 500 and errors == 0
        out.append(
            f"- item 4, {t.label}: >= 10% of the bare view, p95 < 500 ms, 0 errors: "
            f"{'met' if ok else 'NOT met'} ({100 * share:.1f}%, p95 {p95:.0f} ms, "
            f"{errors} 5xx/socket errors, {refused} 4xx refusals)"
        )
    return out


# ------------------------------------------------------------------------------------ main


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="benchmarks/web", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=15, help="seconds per wrk run at 16/50 connections")
    parser.add_argument("--alone", type=float, default=None, help="seconds of the one-connection run")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="--duration 4 --alone 3 --repeats 1")
    parser.add_argument("--database", default="thuisnet_bench")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--port", type=int, default=8200, help="bare view; the app on +1, uncached app on +2")
    parser.add_argument("--reuse-db", action="store_true", help="keep an existing benchmark database")
    parser.add_argument("--only", default="", help="comma-separated target names (bare always runs)")
    parser.add_argument("--cache-setting", default=None, help="the page cache's on/off setting (auto)")
    parser.add_argument("--out", default=None, help="also write the table to this file")
    parser.add_argument(
        "--app-root",
        type=Path,
        default=ROOT,
        help="the checkout whose app is measured (e.g. an export of an older commit)",
    )
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/thuisnet-bench"), help="logs, static, var")
    args = parser.parse_args()
    if args.quick:
        args.duration, args.repeats = 4, 1
        args.alone = args.alone or 3
    args.alone = args.alone or max(2.0, args.duration / 2)
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")

    args.app_root = args.app_root.resolve()
    workdir = args.workdir
    (workdir / "var").mkdir(parents=True, exist_ok=True)
    env = app_env(args)
    build_database(args, env)
    collectstatic(args, env)
    flush_redis(args)
    fixtures = json.loads(
        subprocess.run(
            [PYTHON, str(HERE / "fixtures.py"), "setup", str(workdir)],
            env=env,
            cwd=args.app_root,
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    setting = args.cache_setting or page_cache_setting(args.app_root)
    servers = Servers(workdir)
    app, bare_port, nocache = (
        f"http://127.0.0.1:{args.port + 1}",
        args.port,
        f"http://127.0.0.1:{args.port + 2}",
    )
    notes = [
        "",
        f"Setup: gunicorn 2 sync workers each; production settings; PostgreSQL db {args.database}; "
        f"Redis {args.redis}; wrk -t2 -c16 -d{args.duration:g}s (POSTs -c50, at least 10 s), alone -t1 -c1 "
        f"-d{args.alone:g}s; {args.repeats} repeat(s), order rotated, medians.",
        "Load-test switches: THUISNET_RATE_LIMITS_ENABLED = False (per-address limits of public "
        "forms and API writes) and DRF anon/user throttles lifted: all clients are 127.0.0.1. "
        f"Server logs: {workdir}/{{app,nocache,bare}}.log.",
    ]
    try:
        servers.start("app", args.port + 1, "thuisnet.wsgi:application", env, args.app_root)
        if setting:
            servers.start(
                "nocache",
                args.port + 2,
                "thuisnet.wsgi:application",
                {**env, "BENCH_SETTING_OFF": setting},
                args.app_root,
            )
            notes.append(f"Uncached rows: a second app process with {setting} = False.")
        else:
            notes.append(
                "No page-cache switch found in thuisnet/core/pagecache.py: every row is the app as it is."
            )
        wait_for(app + "/healthz")
        status, _h, body = get(app + "/")
        if status != 200:
            sys.exit(f"the app's home page answered {status}")
        (workdir / "home.html").write_bytes(body)
        servers.start(
            "bare",
            bare_port,
            "bare.wsgi:application",
            {**os.environ, "PYTHONPATH": str(HERE), "BARE_BODY_FILE": str(workdir / "home.html")},
            HERE,
        )
        wait_for(f"http://127.0.0.1:{bare_port}/")
        if setting:
            wait_for(nocache + "/healthz")
        notes.append(f"Home page: {len(body):,} bytes, served by the bare view too.")
        targets = make_targets(fixtures, setting, args)
        bases = {"app": app, "nocache": nocache, "bare": f"http://127.0.0.1:{bare_port}"}
        extra = {
            "BENCH_SESSION": str(fixtures["session_id"]),
            "BENCH_TOKENS": fixtures["tokens_file"],
            "BENCH_OFFERS": ",".join(str(o) for o in fixtures["offers"]),
        }
        warm_up(targets, bases)
        for t in targets:
            print(f"   {t.name:18} {bases[t.server]}{t.path}  X-Cache: {t.x_cache or '-'}", flush=True)
        load_before = os.getloadavg()
        for rep in range(args.repeats):
            order = rotate(targets, rep)
            print(f"-- repeat {rep + 1}/{args.repeats}", flush=True)
            for t in order:
                threads = 2
                # Writes at 50 connections need longer runs: each connection waits its turn.
                seconds = args.duration if t.kind == "get" else max(args.duration, 10)
                r = wrk(bases[t.server], t, t.connections, threads, seconds, extra)
                drain(bases[t.server], t.server)
                a = wrk(bases[t.server], t, 1, 1, args.alone, extra)
                drain(bases[t.server], t.server)
                t.runs.append(r)
                t.alone.append(a)
                print(
                    f"   {t.name:18} {r['rps']:9.1f} req/s  p50 {r['p50_us'] / 1000:7.1f} ms  "
                    f"alone {a['mean_us'] / 1000:7.2f} ms  bad {r['bad'] + a['bad']}",
                    flush=True,
                )
        load_after = os.getloadavg()
        notes.append(
            f"Machine: {os.cpu_count()} cores shared with other work; load average (1 min) "
            f"{load_before[0]:.1f} before the runs, {load_after[0]:.1f} after."
        )
        if any(t.kind != "get" for t in targets):
            check = json.loads(
                subprocess.run(
                    [PYTHON, str(HERE / "fixtures.py"), "check"],
                    env=env,
                    cwd=args.app_root,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                .stdout.strip()
                .splitlines()[-1]
            )
            notes.append(
                f"Overbooking after the writes (SQL): {check['overbooked_sessions']} evening sessions and "
                f"{check['overbooked_slots']} respite ledger rows over capacity "
                f"({check['registrations']} registrations, {check['bookings']} bookings in the database). "
                f"Evening session {fixtures['session_id']} (capacity {fixtures['session_capacity']}); "
                "registrations beyond it go to the waiting list (201). Bookings answered 409 are refusals "
                "(night full, quarterly cap), not failures."
            )
    finally:
        servers.stop()
    text = report(targets, args, notes)
    print()
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n")


def flush_redis(args) -> None:
    """Start from an empty cache (db 9 is the benchmark's own)."""
    db = args.redis.rsplit("/", 1)[-1]
    subprocess.run(["redis-cli", "-n", db, "FLUSHDB"], capture_output=True)


def make_targets(fx: dict, setting: str | None, args) -> list[Target]:
    cookie = {"Cookie": fx["coordinator_cookie"]}
    token = {"Authorization": f"Token {fx['parent_token']}"}
    pages = [
        ("home", "home page", "/"),
        ("overview", "evening overview", "/informatieavonden/"),
        ("evening", "one evening page", fx["evening_url"]),
        ("article", "knowledge article", fx["article_url"]),
        ("vacancy", "vacancy page", fx["vacancy_url"]),
        ("search", "search ?q=pleegzorg", "/zoeken/?q=pleegzorg"),
        ("ical", "region iCal feed", f"/avonden/agenda/{fx['region']}.ics"),
    ]
    targets = [Target("bare", "bare Django view", "/", server="bare")]
    for name, label, path in pages:
        if not path:
            continue
        if setting:
            targets.append(Target(name, f"{label} (cached)", path))
            targets.append(Target(name + "-nc", f"{label} (uncached)", path, server="nocache"))
        else:
            targets.append(Target(name, label, path))
    targets += [
        Target(
            "offers-api",
            "respite offers API, 3 nights",
            f"/api/v1/respite/offers/?{fx['offers_query']}",
            headers=token,
        ),
        Target("dashboard", "breakdown dashboard (coordinator)", "/monitor/", headers=cookie),
        Target("register", "evening registration POST", "/", kind="register", connections=50),
        Target("book", "respite booking POST", "/", kind="book", connections=50),
    ]
    if args.only:
        wanted = set(args.only.split(","))
        targets = [
            t
            for t in targets
            if t.server == "bare" or t.name in wanted or t.name.removesuffix("-nc") in wanted
        ]
    # The bare view three times per repeat (first, a third and two thirds in): its spread shows
    # how noisy the machine was, and its median is the reference of every ratio.
    n = len(targets)
    targets.insert(2 * n // 3, Target("bare-3", "bare Django view (3rd)", "/", server="bare"))
    targets.insert(n // 3, Target("bare-2", "bare Django view (2nd)", "/", server="bare"))
    return targets


def rotate(targets: list[Target], rep: int) -> list[Target]:
    k = (rep * len(targets)) // 3 % len(targets) if targets else 0
    return targets[k:] + targets[:k]


def warm_up(targets: list[Target], bases: dict[str, str]) -> None:
    """Three GETs each, a status check, and the page cache's X-Cache answers ("miss/hit/hit")."""
    for t in targets:
        if t.kind != "get":
            continue
        seen = []
        for _ in range(3):
            status, headers, _body = get(bases[t.server] + t.path, t.headers)
            if status != 200:
                sys.exit(f"{t.name}: {bases[t.server]}{t.path} answered {status}")
            seen.append(next((v for k, v in headers.items() if k.lower() == "x-cache"), ""))
        t.x_cache = "/".join(seen) if any(seen) else ""


if __name__ == "__main__":
    main()
