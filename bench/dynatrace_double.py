"""A Dynatrace Events and Metrics API stand-in for the benchmark: accepts every event with 201 and records,
for each, the time it arrived and the change's time (the event's startTime), to measure
toggle-to-event latency."""
import http.server
import json
import sys
import time
import uuid

LOG = sys.argv[2]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without this, Nagle's algorithm and the
    # client's delayed ACK stall every answer by 40 ms, which would be measured as the service's.
    disable_nagle_algorithm = True

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path.endswith("/metrics/ingest"):
            # The journey metrics the service pushes once a minute: accepted, not recorded.
            self.answer(202, {"linesOk": raw.count(b"\n") + 1, "linesInvalid": 0})
            return
        body = json.loads(raw)
        with open(LOG, "a") as log:
            log.write(json.dumps({"received": time.time() * 1000, "startTime": body["startTime"],
                                  "changeId": body["properties"].get("change.id")}) + "\n")
        self.answer(201, {"reportCount": 1, "eventIngestResults": [
            {"correlationId": uuid.uuid4().hex[:16], "status": "OK"}]})

    def answer(self, status, document):
        answer = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
