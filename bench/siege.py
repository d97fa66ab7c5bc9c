"""The attacks of bench/siege.sh, from many addresses of the loopback range. Each prints one line
of results. Loopback only; every attack is bounded in time.

  siege.py slow-headers PORT SOCKETS ADDRESSES SECONDS   slow headers while reads go on
  siege.py wrong-keys PORT KEY                           1,000 wrong keys, the right one between
  siege.py forwarded PORT KEY                            a forged X-Forwarded-For on a change
  siege.py rebinding PORT                                changes under a rebound name (no key configured)
  siege.py journeys PORT COUNT                           journeys naming new steps and step services
"""
import json
import socket
import sys
import threading
import time


def address(n, block):
    return f"127.{block}.{n // 250}.{n % 250 + 1}"


def request(port, method, path, headers="", body="", source="127.0.0.1", timeout=10):
    """One request on a fresh connection; returns (status, head, body, seconds)."""
    started = time.time()
    s = socket.socket()
    s.settimeout(timeout)
    s.bind((source, 0))
    s.connect(("127.0.0.1", port))
    data = body.encode()
    head = f"{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{headers}"
    if data:
        head += f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n"
    s.sendall((head + "\r\n").encode() + data)
    answer = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        answer += chunk
    s.close()
    text = answer.decode(errors="replace")
    head, _, rest = text.partition("\r\n\r\n")
    return int(head.split(" ")[1]), head, rest, time.time() - started


def percentile(values, p):
    values = sorted(values)
    return values[max(0, int(len(values) * p / 100 + 0.999) - 1)] if values else 0


def slow_headers(port, count, addresses, seconds):
    sockets = []
    opened_at = time.time()
    for i in range(count):
        try:
            s = socket.socket()
            s.settimeout(5)
            s.bind((address(i % addresses, 6), 0))
            s.connect(("127.0.0.1", port))
            s.send(b"GET /api/remediation/feature-flags HTTP/1.1\r\nHost: x\r\n")
            sockets.append(s)
        except OSError:
            pass
    opened = time.time() - opened_at
    stop = time.time() + seconds

    def trickle():
        while time.time() < stop:
            for s in sockets:
                try:
                    s.send(b"a")
                except OSError:
                    pass
            time.sleep(3)

    threading.Thread(target=trickle, daemon=True).start()
    latencies, failures = [], 0
    while time.time() < stop:
        try:
            status, _, _, took = request(port, "GET", "/api/remediation/feature-flags", timeout=5)
            latencies.append(took * 1000)
            failures += status != 200
        except OSError:
            failures += 1
        time.sleep(0.05)
    alive = 0
    for s in sockets:
        try:
            s.send(b"a")
            alive += 1
        except OSError:
            pass
    for s in sockets:
        s.close()
    time.sleep(0.5)
    after = request(port, "GET", "/api/remediation/feature-flags")[3] * 1000
    print(f"opened {len(sockets)} of {count} in {opened:.1f} s; reads {len(latencies)}: p50 "
          f"{percentile(latencies, 50):.1f} ms, p99 {percentile(latencies, 99):.1f} ms, max {max(latencies):.1f} ms, "
          f"{failures} failed; still open at the end {alive}; first read after {after:.1f} ms")


def wrong_keys(port, key):
    statuses, refused_right = {}, 0
    for i in range(1000):
        source = "127.0.0.1" if i % 2 == 0 else address(i % 40, 7)
        status = request(port, "GET", "/api/remediation/audit?limit=1", f"X-API-Key: guess-{i}\r\n", source=source)[0]
        statuses[status] = statuses.get(status, 0) + 1
        if i % 50 == 49:
            body = json.dumps({"flag": "cacheEnabled", "value": i % 100 == 49})
            right = request(port, "POST", "/api/remediation/feature-flag", f"Authorization: Api-Token {key}\r\n", body)[0]
            refused_right += right != 200
    print(f"wrong keys answered {dict(sorted(statuses.items()))}; the right key refused {refused_right} of 20 times")


def forwarded(port, key):
    body = json.dumps({"flag": "canaryTrafficPercent", "value": 42})
    status = request(port, "POST", "/api/remediation/feature-flag",
                     f"X-API-Key: {key}\r\nX-Forwarded-For: 10.9.8.7\r\n", body)[0]
    audit = json.loads(request(port, "GET", "/api/remediation/audit?flag=canaryTrafficPercent&limit=1",
                               f"X-API-Key: {key}\r\n")[2])
    print(f"change with a forged X-Forwarded-For: {status}; the audit records "
          f"{audit['entries'][0]['remoteAddress']}")


def rebinding(port):
    version = json.loads(request(port, "GET", "/api/remediation/feature-flags")[2])["version"]
    body = json.dumps({"flags": {"errorInjectionEnabled": True, "cacheEnabled": False}})
    results = []
    for host, origin in [("rebind.attacker.example", "http://rebind.attacker.example"),
                         ("localhost", "http://evil.example")]:
        s = socket.socket()
        s.connect(("127.0.0.1", port))
        s.sendall((f"POST /api/remediation/feature-flags/bulk HTTP/1.1\r\nHost: {host}\r\nOrigin: {origin}\r\n"
                   f"Connection: close\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n{body}").encode())
        results.append(s.recv(100).decode().split(" ")[1])
        s.close()
    after = json.loads(request(port, "GET", "/api/remediation/feature-flags")[2])["version"]
    print(f"rebound Host: {results[0]}, foreign Origin: {results[1]}; version {version} before, {after} after")


def journeys(port, count):
    done, refused, failed = [0], {}, [0]
    lock = threading.Lock()
    per_thread = count // 20

    def run(worker):
        for i in range(per_thread):
            n = worker * per_thread + i
            steps = [{"stepName": f"Verification {n}", "serviceName": f"svc-{n}-a"},
                     {"stepName": f"Purchase {n}", "serviceName": f"svc-{n}-b"}]
            body = json.dumps({"companyName": "Umbrella Corporation", "journey": {"steps": steps}})
            try:
                status = request(port, "POST", "/api/journey-simulation/simulate-journey", body=body,
                                 source=address(n % 4000, 8))[0]
            except OSError:
                with lock:
                    failed[0] += 1
                continue
            with lock:
                if status == 200:
                    done[0] += 1
                else:
                    refused[status] = refused.get(status, 0) + 1

    threads = [threading.Thread(target=run, args=(w,)) for w in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"journeys: {done[0]} ran, refused {refused}, {failed[0]} failed to connect")


if __name__ == "__main__":
    command, port = sys.argv[1], int(sys.argv[2])
    args = sys.argv[3:]
    {"slow-headers": lambda: slow_headers(port, int(args[0]), int(args[1]), float(args[2])),
     "wrong-keys": lambda: wrong_keys(port, args[0]),
     "forwarded": lambda: forwarded(port, args[0]),
     "rebinding": lambda: rebinding(port),
     "journeys": lambda: journeys(port, int(args[0]))}[command]()
