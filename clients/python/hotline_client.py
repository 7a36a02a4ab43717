#!/usr/bin/env python3
"""A sample hotline client for the 12345 / 12309 integration API, standard library only (Python 3.8+).

It does what a hotline system must do (docs/integrators.md, openapi.json):
  * sign each request: X-Hotline-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">
  * send a batch of tickets and read one result per ticket (202);
  * stop on 400 (print every problem: the batch was refused as a whole, fix it), 401 (signature: check the secret
    and the clock), 413 and 415;
  * retry 503 (and network errors, 5xx) with capped exponential backoff and full jitter, honouring Retry-After.
    Re-sending is safe: a ticket already stored answers "duplicate" with the same caseId;
  * receive status callbacks and verify their signature (same scheme, the hotline's secret, 300 s window),
    deduplicating on eventId.

Command line:
  python3 hotline_client.py send --url http://127.0.0.1:3000 --source 12345 --secret S ticket.json [more.json ...]
      Sends the tickets (each file: one ticket object, or {"tickets": [...]}) as one batch. Prints a JSON line
      {"status": <http status>, "attempts": n, "body": {...}}. Exit code: 0 accepted, 2 refused (400/413/415),
      3 unauthorized (401), 4 gave up after retries.
  python3 hotline_client.py listen --port 0 --secret S
      Serves status callbacks on http://127.0.0.1:<port>/status. Prints "listening on <url>" first, then one JSON
      line per verified callback. A callback whose signature does not verify is answered 401 and not printed.
"""
import argparse
import hashlib
import hmac
import json
import random
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REPLAY_WINDOW_SECONDS = 300
JSON_TYPE = "application/json; charset=utf-8"


def sign(secret, raw_body, unix_seconds=None):
    """The X-Hotline-Signature value for these exact body bytes."""
    t = int(time.time()) if unix_seconds is None else int(unix_seconds)
    mac = hmac.new(secret.encode("utf-8"), f"{t}.".encode("ascii") + raw_body, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def verify_signature(header, raw_body, secret, now=None, window=REPLAY_WINDOW_SECONDS):
    """True when `header` signs `raw_body` with `secret` within the window. Several v1= values are allowed (rotation)."""
    if not header:
        return False
    t, candidates = None, []
    for part in header.split(","):
        key, sep, value = part.strip().partition("=")
        if not sep:
            return False
        if key == "t" and t is None:
            t = value
        elif key == "v1":
            candidates.append(value.lower())
    if t is None or not t.isdigit() or len(t) > 12 or not candidates:
        return False
    now = time.time() if now is None else now
    if abs(int(now) - int(t)) > window:
        return False
    expected = hmac.new(secret.encode("utf-8"), f"{t}.".encode("ascii") + raw_body, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected, c) for c in candidates)


class Refused(Exception):
    """400, 401, 413 or 415: sending the same request again will not help."""

    def __init__(self, status, body):
        super().__init__(f"HTTP {status}: {json.dumps(body, ensure_ascii=False)}")
        self.status, self.body = status, body


class GaveUp(Exception):
    """Still failing (503, 5xx or network) after every attempt. Nothing is lost: send the same batch later."""


class HotlineClient:
    def __init__(self, base_url, source, secret, max_attempts=6, base_delay=0.5, max_delay=30.0, timeout=10.0):
        self.base_url = base_url.rstrip("/")
        self.source, self.secret = source, secret
        self.max_attempts, self.base_delay, self.max_delay, self.timeout = max_attempts, base_delay, max_delay, timeout

    def send_tickets(self, tickets):
        """POST /v1/hotlines/{source}/tickets with {"tickets": [...]}; returns (status, body, attempts) on 202."""
        return self._post(f"/v1/hotlines/{self.source}/tickets", {"tickets": list(tickets)})

    def send_feedback(self, ticket_id, result, comment=None):
        """POST /v1/hotlines/{source}/feedback: the 回访 result of one of this hotline's tickets."""
        key = "ticketId" if self.source == "12345" else "caseNo"
        body = {key: ticket_id, "result": result}
        if comment is not None:
            body["comment"] = comment
        return self._post(f"/v1/hotlines/{self.source}/feedback", body)

    def _post(self, path, payload):
        raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        last = "not attempted"
        for attempt in range(1, self.max_attempts + 1):
            retry_after = None
            # Signed per attempt: a fresh timestamp keeps a late retry inside the server's window.
            req = urllib.request.Request(
                self.base_url + path,
                data=raw,
                method="POST",
                headers={"content-type": JSON_TYPE, "x-hotline-signature": sign(self.secret, raw)},
            )
            try:
                with urllib.request.urlopen(req, timeout=self.timeout) as res:
                    return res.status, json.loads(res.read() or b"{}"), attempt
            except urllib.error.HTTPError as e:
                body = _json_or_text(e.read())
                if e.code in (400, 401, 404, 409, 413, 415):
                    raise Refused(e.code, body) from None
                # 503 {"retryable": true}, any other 5xx, 429: try again.
                last = f"HTTP {e.code}: {body}"
                retry_after = _seconds(e.headers.get("retry-after"))
            except (urllib.error.URLError, TimeoutError, ConnectionError) as e:
                last = f"{type(e).__name__}: {e}"
            if attempt < self.max_attempts:
                time.sleep(self._delay(attempt, retry_after))
        raise GaveUp(f"gave up after {self.max_attempts} attempts; last: {last}")

    def _delay(self, attempt, retry_after):
        """Full jitter over a capped exponential; at least Retry-After (capped too)."""
        backoff = random.uniform(0, min(self.max_delay, self.base_delay * 2 ** (attempt - 1)))
        return min(self.max_delay, max(backoff, retry_after or 0))


def _json_or_text(raw):
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode("utf-8", "replace")


def _seconds(value):
    try:
        return max(0.0, float(value))
    except (TypeError, ValueError):
        return None


class CallbackReceiver:
    """Receives status callbacks: verifies each one's signature and hands verified ones, once per eventId, to `on_callback`."""

    def __init__(self, secret, on_callback, host="127.0.0.1", port=0):
        seen, lock = set(), threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                raw = self.rfile.read(int(self.headers.get("content-length") or 0))
                if not verify_signature(self.headers.get("x-hotline-signature"), raw, secret):
                    self._answer(401, {"error": "invalid_signature"})
                    return
                body = json.loads(raw)
                with lock:
                    first = body["eventId"] not in seen
                    seen.add(body["eventId"])
                if first:  # delivered at least once: a repeat is acknowledged and ignored
                    on_callback(body)
                self._answer(200, {"received": True})

            def _answer(self, status, body):
                data = json.dumps(body).encode("utf-8")
                self.send_response(status)
                self.send_header("content-type", JSON_TYPE)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.url = f"http://{host}:{self.server.server_address[1]}/status"

    def serve_forever(self):
        self.server.serve_forever()


def _load_tickets(files):
    tickets = []
    for f in files:
        with open(f, encoding="utf-8") as fh:
            data = json.load(fh)
        tickets.extend(data["tickets"] if isinstance(data, dict) and "tickets" in data else [data])
    return tickets


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("send", help="send tickets as one signed batch")
    s.add_argument("--url", default="http://127.0.0.1:3000")
    s.add_argument("--source", choices=["12345", "12309"], default="12345")
    s.add_argument("--secret", required=True)
    s.add_argument("--max-attempts", type=int, default=6)
    s.add_argument("--max-delay", type=float, default=30.0, help="cap on one wait between attempts, seconds")
    s.add_argument("files", nargs="+")
    r = sub.add_parser("listen", help="receive and verify status callbacks")
    r.add_argument("--host", default="127.0.0.1")
    r.add_argument("--port", type=int, default=0)
    r.add_argument("--secret", required=True)
    args = p.parse_args(argv)

    if args.command == "listen":
        printing = threading.Lock()

        def show(body):
            # One write per line, under a lock: the server answers callbacks on several threads, and two print()
            # calls could interleave (`{...}{...}` then two newlines), which a reader of the lines cannot parse.
            with printing:
                sys.stdout.write(json.dumps(body, ensure_ascii=False) + "\n")
                sys.stdout.flush()

        receiver = CallbackReceiver(args.secret, show, args.host, args.port)
        print(f"listening on {receiver.url}", flush=True)
        try:
            receiver.serve_forever()
        except KeyboardInterrupt:
            pass
        return 0

    client = HotlineClient(args.url, args.source, args.secret, max_attempts=args.max_attempts, max_delay=args.max_delay)
    try:
        status, body, attempts = client.send_tickets(_load_tickets(args.files))
    except Refused as e:
        print(json.dumps({"status": e.status, "body": e.body}, ensure_ascii=False))
        return 3 if e.status == 401 else 2
    except GaveUp as e:
        print(json.dumps({"status": None, "error": str(e)}, ensure_ascii=False))
        return 4
    print(json.dumps({"status": status, "attempts": attempts, "body": body}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
