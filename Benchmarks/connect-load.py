#!/usr/bin/env python3
"""Connects per second on loopback: `fallback-lab serve` against nginx with the rtmp module.

One load generator (this file, Python standard library only) drives both servers on the same machine
in the same run. A "connect" is what a player does before it can play: TCP connect, the plain RTMP
handshake (C0+C1, read S0+S1+S2, send C2), the `connect` command, read until the `_result`, close.
The two servers are measured alternately, several rounds each, and the medians and their ratio are
printed, so that load from other work on the machine hits both alike.

Usage: connect-load.py --fallback-lab PATH [--nginx PATH] [--rounds 5] [--connects 2000]
                       [--concurrency 32] [--quickack]
The nginx rtmp module is looked up where distributions install it; NGINX_RTMP_MODULE overrides.

Besides connects per second it prints each server's latency per connect (median and p90 of the
time from the TCP connect to the `_result`). `--quickack` makes the load generator acknowledge
every segment at once (Linux TCP_QUICKACK, set again after each read, as the kernel clears it): a
server that writes its answer to `connect` in several small writes without TCP_NODELAY — nginx-rtmp
does, one send() per message, and sets no TCP_NODELAY — has the second write held by Nagle's
algorithm until the client's delayed ACK, about 40 ms on Linux. With --quickack that stall is gone
and what is left is the server's own work.
"""

import argparse
import os
import selectors
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time

MODULE_PLACES = [
    "/usr/lib/nginx/modules/ngx_rtmp_module.so",
    "/usr/lib64/nginx/modules/ngx_rtmp_module.so",
    "/usr/local/lib/nginx/modules/ngx_rtmp_module.so",
]
HANDSHAKE = 1536
# Every phase of one connect is bounded: a server that stops answering fails the run, never hangs it.
PHASE_TIMEOUT = 10.0


def amf_string(text):
    data = text.encode()
    return struct.pack(">H", len(data)) + data


def amf0(value):
    if isinstance(value, bool):
        return b"\x01" + (b"\x01" if value else b"\x00")
    if isinstance(value, (int, float)):
        return b"\x00" + struct.pack(">d", float(value))
    if isinstance(value, str):
        return b"\x02" + amf_string(value)
    if isinstance(value, dict):
        body = b"".join(amf_string(k) + amf0(v) for k, v in value.items())
        return b"\x03" + body + b"\x00\x00\x09"
    raise TypeError(value)


def connect_message(port):
    """The `connect` command as ffmpeg sends it, in 128-byte chunks on chunk stream 3."""
    payload = amf0("connect") + amf0(1) + amf0({
        "app": "live",
        "flashVer": "LNX 9,0,124,2",
        "tcUrl": "rtmp://127.0.0.1:%d/live" % port,
        "fpad": False,
        "capabilities": 15,
        "audioCodecs": 4071,
        "videoCodecs": 252,
        "videoFunction": 1,
    })
    header = b"\x03" + b"\x00\x00\x00" + struct.pack(">I", len(payload))[1:] + b"\x14" + b"\x00\x00\x00\x00"
    chunks = [payload[i:i + 128] for i in range(0, len(payload), 128)]
    return header + b"\xc3".join(chunks)


class Connection:
    """One connect in flight: a small state machine over a non-blocking socket."""

    def __init__(self, port, c1, request, quickack=False):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.quickack = quickack
        if quickack:
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        self.sock.setblocking(False)
        self.sock.connect_ex(("127.0.0.1", port))
        self.out = b"\x03" + c1
        self.inbox = bytearray()
        self.state = "connecting"
        self.request = request
        self.started = time.monotonic()

    def on_writable(self):
        if self.out:
            sent = self.sock.send(self.out)
            self.out = self.out[sent:]
        if self.state == "connecting":
            self.state = "handshake"

    def on_readable(self):
        """Returns True when the connect is answered, raises when the server closed early."""
        data = self.sock.recv(65536)
        if self.quickack:
            # Linux clears TCP_QUICKACK as it sees fit: set it again after every read.
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        if not data:
            raise ConnectionError("closed by the server in state %s" % self.state)
        self.inbox += data
        if self.state == "handshake" and len(self.inbox) >= 1 + 2 * HANDSHAKE:
            s1 = bytes(self.inbox[1:1 + HANDSHAKE])
            del self.inbox[:1 + 2 * HANDSHAKE]
            self.out += s1 + self.request
            self.state = "connect"
        if self.state == "connect":
            if b"_result" in self.inbox:
                return True
            if b"_error" in self.inbox:
                raise ConnectionError("connect rejected")
        return False

    def wants_write(self):
        return self.state == "connecting" or bool(self.out)


def measure(port, connects, concurrency, quickack=False, latencies=None):
    """Runs `connects` connects, `concurrency` at a time; returns connects per second. Each connect's
    time (TCP connect to `_result`) is appended to `latencies` when given."""
    c1 = struct.pack(">II", 0, 0) + bytes((i * 7 + 13) & 0xFF for i in range(HANDSHAKE - 8))
    request = connect_message(port)
    selector = selectors.DefaultSelector()
    started = 0
    done = 0
    begin = time.monotonic()

    def launch():
        nonlocal started
        connection = Connection(port, c1, request, quickack)
        selector.register(connection.sock, selectors.EVENT_READ | selectors.EVENT_WRITE, connection)
        started += 1

    while started < min(concurrency, connects):
        launch()
    while done < connects:
        events = selector.select(timeout=1.0)
        now = time.monotonic()
        if not events:
            for key in list(selector.get_map().values()):
                if now - key.data.started > PHASE_TIMEOUT:
                    raise TimeoutError("a connect took longer than %.0f s (state %s)" % (PHASE_TIMEOUT, key.data.state))
        for key, mask in events:
            connection = key.data
            finished = False
            if mask & selectors.EVENT_WRITE:
                connection.on_writable()
            if mask & selectors.EVENT_READ:
                finished = connection.on_readable()
            if finished:
                if latencies is not None:
                    latencies.append(time.monotonic() - connection.started)
                selector.unregister(connection.sock)
                connection.sock.close()
                done += 1
                if started < connects:
                    launch()
            else:
                wanted = selectors.EVENT_READ | (selectors.EVENT_WRITE if connection.wants_write() else 0)
                selector.modify(connection.sock, wanted, connection)
    selector.close()
    return connects / (time.monotonic() - begin)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, process, name):
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("%s exited with status %s before listening" % (name, process.returncode))
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    sys.exit("%s did not listen on port %d within 20 s" % (name, port))


def start_nginx(nginx, prefix, port):
    module = os.environ.get("NGINX_RTMP_MODULE") or next((p for p in MODULE_PLACES if os.path.exists(p)), None)
    if module is None:
        sys.exit("the nginx rtmp module is not installed (libnginx-mod-rtmp); set NGINX_RTMP_MODULE")
    os.makedirs(os.path.join(prefix, "logs"), exist_ok=True)
    config = os.path.join(prefix, "nginx.conf")
    with open(config, "w") as out:
        # One worker process, as our server runs one event loop for its connections.
        out.write(
            "load_module %s;\ndaemon off;\nmaster_process off;\npid %s/nginx.pid;\n"
            "error_log stderr error;\nevents { worker_connections 1024; }\n"
            "rtmp { server { listen 127.0.0.1:%d; application live { live on; } } }\n"
            % (module, prefix, port))
    return subprocess.Popen([nginx, "-p", prefix, "-c", config], stdout=subprocess.DEVNULL)


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fallback-lab", required=True, help="the fallback-lab executable (release build)")
    parser.add_argument("--nginx", default=shutil.which("nginx") or "nginx")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--connects", type=int, default=2000, help="connects per round and server")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--quickack", action="store_true", help="acknowledge every segment at once (TCP_QUICKACK)")
    args = parser.parse_args()
    if not (1 <= args.rounds <= 100 and 1 <= args.connects <= 1_000_000 and 1 <= args.concurrency <= 1000):
        sys.exit("rounds 1–100, connects 1–1,000,000, concurrency 1–1,000")

    ours_port, nginx_port = free_port(), free_port()
    prefix = tempfile.mkdtemp(prefix="connect-load-")
    ours = subprocess.Popen([args.fallback_lab, "serve", "--listen", "127.0.0.1:%d" % ours_port],
                            stdout=subprocess.DEVNULL)
    nginx = start_nginx(args.nginx, prefix, nginx_port)
    try:
        wait_for_port(ours_port, ours, "fallback-lab serve")
        wait_for_port(nginx_port, nginx, "nginx")
        # Warm-up, not counted: first connections pay for page faults and lazy initialisation.
        warm_up = min(200, args.connects)
        measure(ours_port, warm_up, args.concurrency, args.quickack)
        measure(nginx_port, warm_up, args.concurrency, args.quickack)
        rates = {"fallback-lab serve": [], "nginx-rtmp": []}
        latencies = {"fallback-lab serve": [], "nginx-rtmp": []}
        print("connect-load: %d connects per round, %d in flight, %d rounds, alternating%s"
              % (args.connects, args.concurrency, args.rounds, ", client TCP_QUICKACK" if args.quickack else ""))
        for round_number in range(1, args.rounds + 1):
            ours_rate = measure(ours_port, args.connects, args.concurrency, args.quickack, latencies["fallback-lab serve"])
            nginx_rate = measure(nginx_port, args.connects, args.concurrency, args.quickack, latencies["nginx-rtmp"])
            rates["fallback-lab serve"].append(ours_rate)
            rates["nginx-rtmp"].append(nginx_rate)
            print("round %d: fallback-lab serve %.0f connects/s, nginx-rtmp %.0f connects/s"
                  % (round_number, ours_rate, nginx_rate))
        ours_median = statistics.median(rates["fallback-lab serve"])
        nginx_median = statistics.median(rates["nginx-rtmp"])
        print("median: fallback-lab serve %.0f connects/s, nginx-rtmp %.0f connects/s, ratio %.2f"
              % (ours_median, nginx_median, ours_median / nginx_median))
        for name, values in latencies.items():
            values.sort()
            p90 = values[min(len(values) - 1, int(0.9 * len(values)))]
            print("latency per connect, %s: median %.2f ms, p90 %.2f ms (%d connects)"
                  % (name, 1000 * statistics.median(values), 1000 * p90, len(values)))
    finally:
        stop(ours)
        stop(nginx)
        shutil.rmtree(prefix, ignore_errors=True)


if __name__ == "__main__":
    main()
