#!/usr/bin/env python3
"""Measures how a normal client fares while Twin is under connection attacks.

Starts the `twin` binary on a temp SQLite file, then times a normal client's requests
(GET /health and a MoySklad product list with Basic auth), first unloaded, then while
N slowloris connections each send a request head one byte per second, then while N
idle connections sit open. Prints each case's median and 99th percentile as a ratio to
the unloaded case, and how many attack connections the server had closed by the end
(after the header-read timeout).

    scripts/edge-attack.py [--binary target/debug/twin] [--connections 500]
                           [--requests 200] [--header-timeout-ms 20000]
"""

import argparse
import base64
import http.client
import json
import os
import selectors
import socket
import statistics
import subprocess
import tempfile
import threading
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port, method, path, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, data


def wait_healthy(port):
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if request(port, "GET", "/health")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit("twin did not become healthy")


def setup_moysklad(port, admin_token):
    admin = {"Authorization": f"Bearer {admin_token}", "Content-Type": "application/json"}
    request(port, "POST", "/admin/api/accounts", json.dumps({"id": "edge"}), admin)
    credential = {"dialect": "moysklad", "type": "password", "login": "admin@edge", "password": "edge"}
    status, body = request(port, "POST", "/admin/api/accounts/edge/credentials", json.dumps(credential), admin)
    assert status == 201, body
    # The vendor's rate limit would refuse a timing loop; it is not what is measured.
    settings = json.dumps({"moysklad": {"rateLimit": False}})
    status, body = request(port, "PATCH", "/admin/api/accounts/edge/settings", settings, admin)
    assert status == 200, body
    token = base64.b64encode(b"admin@edge:edge").decode()
    return {"Authorization": f"Basic {token}", "Accept-Encoding": "gzip"}


def timings(port, count, auth):
    """Seconds per request of `count` alternating /health and product-list requests."""
    out = []
    for n in range(count):
        started = time.perf_counter()
        if n % 2:
            status, _ = request(port, "GET", "/api/remap/1.2/entity/product?limit=10", headers=auth)
        else:
            status, _ = request(port, "GET", "/health")
        assert status == 200, status
        out.append(time.perf_counter() - started)
    return out


class Attack(threading.Thread):
    """`count` connections to `port`; `slow` ones send a request head a byte a second."""

    HEAD = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 100000

    def __init__(self, port, count, slow):
        super().__init__(daemon=True)
        self.sockets = []
        for _ in range(count):
            s = socket.create_connection(("127.0.0.1", port))
            s.setblocking(False)
            self.sockets.append(s)
        self.slow = slow
        self.closed = 0
        self.stop = threading.Event()

    def run(self):
        selector = selectors.DefaultSelector()
        for s in self.sockets:
            selector.register(s, selectors.EVENT_READ)
        sent = 0
        open_sockets = set(self.sockets)
        while not self.stop.is_set():
            for key, _ in selector.select(timeout=1.0):
                try:
                    data = key.fileobj.recv(4096)
                except OSError:
                    data = b""
                if not data:
                    selector.unregister(key.fileobj)
                    open_sockets.discard(key.fileobj)
                    self.closed += 1
            if self.slow:
                byte = self.HEAD[sent:sent + 1]
                for s in list(open_sockets):
                    try:
                        s.send(byte)
                    except OSError:
                        pass
                sent += 1

    def finish(self):
        self.stop.set()
        self.join()
        for s in self.sockets:
            s.close()
        return self.closed


def summary(name, values, baseline):
    median = statistics.median(values)
    p99 = sorted(values)[int(len(values) * 0.99) - 1]
    base_median = statistics.median(baseline)
    base_p99 = sorted(baseline)[int(len(baseline) * 0.99) - 1]
    print(f"{name:<28} median x{median / base_median:5.2f}   p99 x{p99 / base_p99:5.2f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default="target/debug/twin")
    parser.add_argument("--connections", type=int, default=500)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--header-timeout-ms", type=int, default=20000)
    args = parser.parse_args()

    port = free_port()
    directory = tempfile.TemporaryDirectory()
    database = os.path.join(directory.name, "twin.db")
    server = subprocess.Popen(
        [args.binary, "serve", "--listen", f"127.0.0.1:{port}",
         "--database-url", f"sqlite:{database}", "--admin-token", "edge-admin",
         "--header-read-timeout-ms", str(args.header_timeout_ms), "--log", "error"],
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_healthy(port)
        auth = setup_moysklad(port, "edge-admin")
        timings(port, 20, auth)  # warm-up
        baseline = timings(port, args.requests, auth)
        print(f"{args.requests} requests (alternating /health and a MoySklad product list), "
              f"{args.connections} attack connections, header-read timeout "
              f"{args.header_timeout_ms} ms; ratios to the unloaded client:")
        summary("unloaded", baseline, baseline)
        for name, slow in [("slowloris", True), ("idle connections", False)]:
            attack = Attack(port, args.connections, slow)
            attack.start()
            started = time.time()
            loaded = timings(port, args.requests, auth)
            summary(f"during {args.connections} {name}", loaded, baseline)
            remaining = args.header_timeout_ms / 1000 + 5 - (time.time() - started)
            time.sleep(max(remaining, 0))
            closed = attack.finish()
            print(f"  {name}: {closed} of {args.connections} closed by the server "
                  f"within the header-read timeout + 5 s")
    finally:
        server.terminate()
        server.wait()
        directory.cleanup()


if __name__ == "__main__":
    main()
