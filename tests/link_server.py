"""A local web server for the link checker's tests and benchmark: it answers every host
(the checker may send it any Host header) with what the path asks for."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SLOW_SECONDS = 2.0


class LinkHandler(BaseHTTPRequestHandler):
    """/ok: 200; /moved/N: a 301 chain of N steps ending at /ok; /missing: 404; /gone: 410;
    /broken: 500; /slow: answers after SLOW_SECONDS; /no-head: 405 to HEAD, 200 to GET;
    /loop: redirects to itself. Anything else: 200 (the benchmark's every page)."""

    protocol_version = "HTTP/1.1"
    seen = None  # (method, path, user agent) of each request, when a list is given
    load = None  # {"active": n, "most": n, "lock": Lock}: requests in progress at once
    delay = 0.0  # seconds before answering any other page (the benchmark's remote sites)

    def answer(self, status, headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(b"ok")

    def respond(self):
        with self.load["lock"]:
            self.load["active"] += 1
            self.load["most"] = max(self.load["most"], self.load["active"])
        try:
            self.respond_now()
        finally:
            with self.load["lock"]:
                self.load["active"] -= 1

    def respond_now(self):
        if self.seen is not None:
            self.seen.append((self.command, self.path, self.headers.get("User-Agent")))
        path = self.path
        if path.startswith("/moved/"):
            steps = int(path.rsplit("/", 1)[1])
            target = "/ok" if steps <= 1 else f"/moved/{steps - 1}"
            return self.answer(301, [("Location", target)])
        if path == "/loop":
            return self.answer(302, [("Location", "/loop")])
        if path == "/missing":
            return self.answer(404)
        if path == "/gone":
            return self.answer(410)
        if path == "/broken":
            return self.answer(500)
        if path == "/slow":
            time.sleep(SLOW_SECONDS)
            return self.answer(200)
        if path == "/no-head" and self.command == "HEAD":
            return self.answer(405)
        if path == "/forbidden":
            return self.answer(403)
        time.sleep(self.delay)
        return self.answer(200)

    do_HEAD = do_GET = respond

    def log_message(self, *args):
        pass


class LinkServer:
    """Started on a free port in a thread of its own; `url(path)` addresses it."""

    def __init__(self, delay=0.0, record=True):
        self.seen = [] if record else None
        self.load = {"active": 0, "most": 0, "lock": threading.Lock()}
        handler = type(
            "Handler", (LinkHandler,), {"seen": self.seen, "load": self.load, "delay": delay}
        )
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path, scheme="http"):
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
