"""A loopback HTTP server standing in for a Slack incoming webhook: it records every request and
answers as planned (200 ok, 500, 429 + Retry-After, 404, or late). Shared by the notify suites."""
import http.server
import json
import threading
import time


class Slack:
    """A recording webhook. `plan` maps the n-th request (0-based) to (status, headers, body,
    delay in s); unplanned requests get 200 ok."""

    def __init__(self, plan=None):
        self.plan = plan or {}
        self.requests = []  # (time, body as JSON)
        slack = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                n = len(slack.requests)
                slack.requests.append((time.monotonic(), json.loads(body)))
                status, headers, answer, delay = slack.plan.get(n, (200, {}, "ok", 0))
                if delay:
                    time.sleep(delay)
                try:
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    raw = answer if isinstance(answer, bytes) else answer.encode()
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except OSError:
                    pass  # the client gave up waiting

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/services/T000/B000/secret"

    def ok_texts(self):
        return [body["text"] for i, (_, body) in enumerate(self.requests) if self.plan.get(i, (200,))[0] == 200]

    def close(self):
        self.server.shutdown()
