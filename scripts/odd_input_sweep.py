"""Send odd values to every page and form of a running demo and list the answers that are 500s.

    python scripts/odd_input_sweep.py --base http://127.0.0.1:8000 --user secretariat --posts

Signs in as `--user` (none: the public), follows the site's links from the home page, the
dashboard and the portal (at most `--pages`), then asks each kind of page (its path with the
numbers taken out) again with odd query values (`?year=²`, a 20-digit `?meeting=`, a NUL in
`?q=`...) and with a 20-digit number in place of each number in its path. With `--posts` it
also fills each kind of form it found (method post) with one odd value in every field, in turn,
and posts it. It changes the data as a person pressing every button would: run it on a demo
you can throw away. Not part of `make test`: the cases it found are tests of their own
(tests/meetings/test_bad_numbers.py, tests/test_nul_characters.py and others). `requests`
comes with the development tools (schemathesis).
"""

from __future__ import annotations

import argparse
import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import requests

PASSWORD = "demo-password-2026"  # the demo's (README)
SKIP = ("/static/", "/accounts/", "/admin/", "/media/")
HUGE = "99999999999999999999"
QUERY_VALUES = {
    "page": ["abc", "-1", "0", HUGE, "\u00b2"],
    "year": ["abc", "0", HUGE, "\u00b2"],
    "q": ["x" * 500, "a\x00b", "&|!():*", "' OR 1=1 --"],
    "limit": ["abc", "-1", HUGE],
    "offset": ["abc", "-1", HUGE],
    "committee": ["nope", HUGE, "\x00"],
    "meeting": ["abc", HUGE, "\u00b2"],
    "version": ["abc", HUGE, "\u00b2"],
    "as_of": ["2026-02-30", "abc", "\x00"],
    "next": ["\u00b2", "//evil.example/"],
}
FORM_VALUES = ["\u00b2", HUGE, "-1", "2026-02-30", "x" * 20000, "\x00", "  ", "abc"]


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "form":
            self._form = {"action": a.get("action") or "", "method": (a.get("method") or "get")}
            self._form["fields"] = []
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "select") and a.get("name"):
            self._form["fields"].append((a["name"], a.get("type", tag), a.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def _token(html: str) -> str | None:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1) if match else None


def sign_in(base: str, user: str | None) -> requests.Session:
    session = requests.Session()
    if user:
        page = session.get(f"{base}/accounts/login/")
        session.post(
            f"{base}/accounts/login/",
            data={"login": user, "password": PASSWORD, "csrfmiddlewaretoken": _token(page.text)},
            headers={"Referer": f"{base}/accounts/login/"},
        )
    return session


def crawl(session, base: str, limit: int):
    """The pages reached (path?query), one example of each kind, and each kind of post form."""
    host = urlsplit(base).netloc
    seen, queue, failures = set(), ["/", "/dashboard/", "/my/"], []
    kinds: dict[str, str] = {}
    forms: dict[str, tuple[str, str, dict]] = {}
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen or path.startswith(SKIP):
            continue
        seen.add(path)
        response = session.get(base + path, allow_redirects=False, timeout=120)
        if response.status_code >= 500:
            failures.append(("GET", path, response.status_code))
        kinds.setdefault(re.sub(r"\d+", "N", urlsplit(path).path), path)
        if response.status_code != 200 or "html" not in response.headers.get("Content-Type", ""):
            continue
        parsed = _Page()
        parsed.feed(response.text)
        for form in parsed.forms:
            action = urlsplit(urljoin(base + path, form["action"])).path
            if form["method"].lower() == "post" and "logout" not in action:
                forms.setdefault(re.sub(r"\d+", "N", action), (path, action, form))
        for href in parsed.links:
            target = urlsplit(urljoin(base + path, href.split("#")[0]))
            if target.netloc == host:
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return seen, kinds, forms, failures


def odd_addresses(path: str) -> list[str]:
    parts = urlsplit(path)
    query = dict(parse_qsl(parts.query))
    out = [
        f"{parts.path}?{urlencode({**query, name: value})}"
        for name, values in QUERY_VALUES.items()
        for value in values
    ]
    for number in re.finditer(r"/(\d+)(?=/)", parts.path):
        out.append(parts.path[: number.start(1)] + HUGE + parts.path[number.end(1) :])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default=None, help="a demo login; none for the public")
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--posts", action="store_true", help="also post odd values to forms")
    args = parser.parse_args()
    base = args.base.rstrip("/")
    session = sign_in(base, args.user)
    seen, kinds, forms, failures = crawl(session, base, args.pages)
    print(f"{args.user or 'public'}: {len(seen)} pages, {len(kinds)} kinds, {len(forms)} forms")
    for path in kinds.values():
        for address in odd_addresses(path):
            response = session.get(base + address, allow_redirects=False, timeout=120)
            if response.status_code >= 500:
                failures.append(("GET", address, response.status_code))
    if args.posts:
        for page, action, form in forms.values():
            for value in FORM_VALUES:
                token = _token(session.get(base + page, timeout=120).text)
                if token is None:
                    break
                data = {"csrfmiddlewaretoken": token}
                for name, kind, _ in form["fields"]:
                    if name != "csrfmiddlewaretoken" and kind not in ("submit", "file"):
                        data[name] = value
                response = session.post(
                    base + action,
                    data=data,
                    headers={"Referer": base + page},
                    allow_redirects=False,
                    timeout=120,
                )
                if response.status_code >= 500:
                    failures.append(("POST", f"{action} {value[:12]!r}", response.status_code))
    print(f"{len(failures)} answers were 500s")
    for failure in failures:
        print("  ", *failure)


if __name__ == "__main__":
    main()
