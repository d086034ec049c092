"""Over HTTPS through nginx, from two client addresses (127.0.0.2 and 127.0.0.3).

Checks: the public pages answer; repeated failed logins from address A are throttled for
that account, while address B still logs in to it (and A still logs in to another account);
the anonymous API limit holds however the client varies X-Forwarded-For; a staff API read
is answered (the shell script then checks the audit log's address). Prints the figures.
Standard library only: runs with any python3.
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import ssl
import sys
import urllib.parse

PASSWORD = "Thuisnet-demo-2026"
THROTTLED = ("te vaak", "too many", "Too Many")


class Client:
    """One browser at one source address: keeps its cookies, never follows redirects."""

    def __init__(self, base: str, source: str, cafile: str) -> None:
        parsed = urllib.parse.urlsplit(base)
        self.host, self.port, self.source = parsed.hostname, parsed.port, source
        self.origin = f"https://{parsed.netloc}"
        self.context = ssl.create_default_context(cafile=cafile)  # the throwaway cert is verified
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None):
        conn = http.client.HTTPSConnection(
            self.host, self.port, context=self.context, source_address=(self.source, 0), timeout=30
        )
        send = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **(headers or {})}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            send |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.origin,
                "Referer": self.origin + path,
            }
        conn.request(method, path, body=data, headers=send)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        conn.close()
        return response.status, dict(response.getheaders()), text

    def login(self, email: str, password: str) -> tuple[str, int]:
        """'ok' (redirected away from the form), 'throttled', or 'refused'."""
        self.cookies.pop("sessionid", None)
        status, _, html = self.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if status != 200 or not token:
            raise SystemExit(f"login form from {self.source}: {status}")
        status, headers, html = self.request(
            "POST",
            "/accounts/login/",
            {"csrfmiddlewaretoken": token[1], "login": email, "password": password},
        )
        if status == 302 and "/accounts/login/" not in headers.get("Location", ""):
            return "ok", status
        if status == 429 or any(word in html for word in THROTTLED):
            return "throttled", status
        return "refused", status


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--cafile", required=True)
    parser.add_argument("--token", required=True, help="API token of a provider staff member")
    args = parser.parse_args()
    a = Client(args.base, "127.0.0.2", args.cafile)
    b = Client(args.base, "127.0.0.3", args.cafile)
    problems: list[str] = []
    figures: dict[str, object] = {}

    print("-- public journeys over HTTPS")
    for path in [
        "/",
        "/informatieavonden/",
        "/respijt/",
        "/kennis/",
        "/zoeken/?q=pleegzorg",
        "/api/v1/docs/",
    ]:
        status, headers, _ = a.request("GET", path)
        shown = path
        if status in (301, 302) and headers.get("Location", "").startswith("/"):  # /kennis/ -> /kennisbank/
            shown = f"{path} -> {headers['Location']}"
            status, headers, _ = a.request("GET", headers["Location"])
        print(f"  {shown:34} {status}  HSTS={'yes' if 'Strict-Transport-Security' in headers else 'no'}")
        if status != 200:
            problems.append(f"{path} answered {status}")

    print("-- login throttling: address A (127.0.0.2) guesses the password of account X")
    x, y = "pleegouder@thuisnet.example", "steunouder@thuisnet.example"
    outcomes = []
    for attempt in range(1, 31):
        outcome, status = a.login(x, f"wrong-{attempt}")
        outcomes.append(outcome)
        if outcome == "throttled":
            break
    figures["failed_before_throttle"] = outcomes.count("refused")
    figures["throttled_at_attempt"] = len(outcomes) if outcomes[-1] == "throttled" else None
    print(f"  wrong passwords refused: {outcomes.count('refused')}; throttled at attempt {len(outcomes)}")
    if outcomes[-1] != "throttled":
        problems.append("address A was never throttled after 30 wrong passwords")
    checks = [
        ("A, X, right password", a, x, "throttled"),
        ("B (127.0.0.3), X, right password", b, x, "ok"),
        ("A, another account Y, right password", a, y, "ok"),
    ]
    for label, client, email, expected in checks:
        outcome, status = client.login(email, PASSWORD)
        figures[label] = outcome
        print(f"  {label:40} -> {outcome} ({status}); expected {expected}")
        if outcome != expected:
            problems.append(f"{label}: {outcome}, expected {expected}")

    print("-- anonymous API limit while the client varies X-Forwarded-For")
    codes = []
    for i in range(1, 181):
        status, _, _ = a.request(
            "GET", "/api/v1/avonden/", headers={"X-Forwarded-For": f"10.9.{i // 250}.{i % 250}"}
        )
        codes.append(status)
        if status == 429:
            break
    figures["api_ok_before_429"] = codes.count(200)
    print(f"  A: {codes.count(200)} answered 200, then {'429' if codes[-1] == 429 else 'no 429'}")
    if codes[-1] != 429:
        problems.append("the anonymous API limit did not hold with a varying X-Forwarded-For")
    status, _, _ = b.request("GET", "/api/v1/avonden/")
    figures["api_B_first"] = status
    print(f"  B: first request {status} (its own budget)")
    if status != 200:
        problems.append(f"address B got {status} from the API")

    print("-- a staff read from B (audit log checked by the caller)")
    status, _, _ = b.request(
        "GET",
        "/api/v1/placements/?provider=pleegzorg-ijsselland&limit=5",
        headers={"Authorization": f"Token {args.token}"},
    )
    print(f"  B: GET /api/v1/placements/?provider=pleegzorg-ijsselland -> {status}")
    if status != 200:
        problems.append(f"staff API read answered {status}")

    print("figures: " + json.dumps(figures))
    for problem in problems:
        print("PROBLEM: " + problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
