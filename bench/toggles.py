"""Sends toggles at a fixed rate for a fixed time and reports errors and latency, then reads the
Dynatrace double's log for toggle-to-event latency."""
import http.client
import json
import statistics
import sys
import threading
import time

port, rate, seconds, log = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
results, lock = [], threading.Lock()


def toggle(i):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    body = json.dumps({"flag": "canaryTrafficPercent", "value": i % 101, "triggeredBy": "bench"})
    start = time.perf_counter()
    try:
        connection.request("POST", "/api/remediation/feature-flag", body, {"Content-Type": "application/json"})
        status = connection.getresponse().status
    except OSError:
        status = 0
    with lock:
        results.append((status, (time.perf_counter() - start) * 1000))
    connection.close()


threads, begin = [], time.perf_counter()
for i in range(rate * seconds):
    delay = begin + i / rate - time.perf_counter()
    if delay > 0:
        time.sleep(delay)
    thread = threading.Thread(target=toggle, args=(i + 1,))
    thread.start()
    threads.append(thread)
for thread in threads:
    thread.join()
elapsed = time.perf_counter() - begin
time.sleep(2)


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * len(values) + 0.5)) - 1)]


errors = sum(1 for status, _ in results if status != 200)
latencies = [ms for _, ms in results]
events = [json.loads(line) for line in open(log)]
event_latency = [e["received"] - e["startTime"] for e in events]
print(f"toggles: {len(results)} in {elapsed:.1f} s ({len(results) / elapsed:.0f}/s), errors: {errors}, "
      f"response p50 {pct(latencies, 50):.1f} ms p99 {pct(latencies, 99):.1f} ms")
print(f"events at the double: {len(events)} (distinct {len({e['changeId'] for e in events})}), "
      f"toggle-to-event p50 {pct(event_latency, 50):.1f} ms p99 {pct(event_latency, 99):.1f} ms")
