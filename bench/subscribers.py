"""Holds idle change-stream subscribers open and measures one change's fan-out to all of them.

    python3 bench/subscribers.py PORT COUNT READY_FILE DONE_FILE

Opens COUNT streams (GET /api/remediation/feature-flags/stream), at most 20 from each loopback
address (127.0.0.2, 127.0.0.3, ... 127.0.0.251, 127.0.1.2, ...) as the per-address cap allows, and waits for each one's first
event. Then it writes READY_FILE and keeps them open, idle but for the heartbeats, until
DONE_FILE appears; meanwhile the caller loads the service. Last, it changes a flag and reports
how long each subscriber took to get the new version, and whether any stream broke."""
import asyncio
import json
import os
import socket
import sys
import time
import urllib.request

PORT, COUNT, READY, DONE = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
PER_ADDRESS = 20
IP_BIND_ADDRESS_NO_PORT = 24  # linux/in.h


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, max(0, int(round(p / 100 * len(values) + 0.5)) - 1))]


class Subscriber:

    def __init__(self, index):
        n = index // PER_ADDRESS
        self.address = f"127.0.{n // 250}.{2 + n % 250}"
        self.versions = {}  # version -> monotonic time it arrived
        self.first = asyncio.get_running_loop().create_future()
        self.broken = None

    async def run(self):
        try:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            # The port is chosen at connect, unique per server address and port, rather than at
            # bind, where Linux gives each local address a share of the range: about 8,900 in all.
            sock.setsockopt(socket.SOL_IP, IP_BIND_ADDRESS_NO_PORT, 1)
            sock.bind((self.address, 0))
            sock.setblocking(False)
            await asyncio.get_running_loop().sock_connect(sock, ("127.0.0.1", PORT))
            reader, writer = await asyncio.open_connection(sock=sock)
            writer.write(b"GET /api/remediation/feature-flags/stream HTTP/1.1\r\nHost: bench\r\n"
                         b"Accept: text/event-stream\r\n\r\n")
            status = await reader.readline()
            if b" 200 " not in status:
                raise IOError(status.decode().strip())
            while True:
                line = await reader.readline()
                if not line:
                    raise IOError("the server closed the stream")
                if line.startswith(b"id:"):
                    self.versions[int(line[3:])] = time.monotonic()
                    if not self.first.done():
                        self.first.set_result(None)
        except (OSError, ValueError) as ex:
            self.broken = str(ex) or type(ex).__name__
            if not self.first.done():
                self.first.set_result(None)


def change():
    body = json.dumps({"flag": "canaryTrafficPercent", "value": int(time.time()) % 100 + 1,
                       "reason": "bench: fan-out to idle subscribers"}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}/api/remediation/feature-flag", body,
                                     {"Content-Type": "application/json"})
    started = time.monotonic()
    with urllib.request.urlopen(request) as response:
        version = json.loads(response.read())["version"]
    return started, version


async def main():
    began = time.monotonic()
    subscribers = [Subscriber(i) for i in range(COUNT)]
    tasks = [asyncio.create_task(s.run()) for s in subscribers]
    await asyncio.wait_for(asyncio.gather(*(s.first for s in subscribers)), 60)
    connected = time.monotonic() - began
    refused = [s.broken for s in subscribers if s.broken]
    print(f"subscribers: {COUNT - len(refused)} of {COUNT} open in {connected:.1f} s"
          + (f"; refused or broken: {refused[0]} ({len(refused)})" if refused else ""), flush=True)
    open(READY, "w").close()
    while not os.path.exists(DONE):
        await asyncio.sleep(0.2)
    started, version = await asyncio.get_running_loop().run_in_executor(None, change)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(
            not s.broken and not any(v >= version for v in s.versions) for s in subscribers):
        await asyncio.sleep(0.01)
    delays = [1000 * (min(t for v, t in s.versions.items() if v >= version) - started)
              for s in subscribers if any(v >= version for v in s.versions)]
    broken = sum(1 for s in subscribers if s.broken)
    print(f"one change reached {len(delays)} of {COUNT} subscribers: p50 {pct(delays, 50):.1f} ms, "
          f"p99 {pct(delays, 99):.1f} ms, last {max(delays):.1f} ms; streams broken during the run: {broken}")
    for task in tasks:
        task.cancel()


asyncio.run(main())
