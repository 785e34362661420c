#!/usr/bin/env python3
"""Operations outputs read by the tools that consume them: the metrics file parsed by prometheus_client's
text-format parser (what a Prometheus-compatible scraper accepts) with the run's values, and every posted
notification validated against reports/notification.schema.json with jsonschema.

Uses the built binaries (GA_BIN_DIR, else .build/debug); needs prometheus_client and jsonschema (.ci/run
creates a venv with both). Ends with 'N passed, N failed'."""
import http.server
import json
import os
import re
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "torture"))
import torturelib  # noqa: E402
from jsonschema import Draft202012Validator  # noqa: E402
from prometheus_client.parser import text_string_to_metric_families  # noqa: E402

SCHEMA = json.load(open(os.path.join(torturelib.ROOT, "reports", "notification.schema.json")))
Draft202012Validator.check_schema(SCHEMA)
VALIDATOR = Draft202012Validator(SCHEMA)
results = []


def check(name, condition, detail=""):
    results.append(bool(condition))
    print(f"{'ok  ' if condition else 'FAIL'} {name}" + (f": {detail}" if detail and not condition else ""))


class Receiver(http.server.ThreadingHTTPServer):
    def __init__(self):
        self.posts = []
        super().__init__(("127.0.0.1", 0), Handler)


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.posts.append((self.path, body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def metrics(path):
    """{(name, frozenset(labels)): value} from prometheus_client's parser, plus the family types."""
    samples, types = {}, {}
    with open(path) as handle:
        for family in text_string_to_metric_families(handle.read()):
            types[family.name] = family.type
            for sample in family.samples:
                labels = {k: v for k, v in sample.labels.items() if k not in ("account", "region", "project_id", "kind")}
                samples[(sample.name, frozenset(labels.items()))] = sample.value
    return samples, types


def main():
    directory = torturelib.temp_dir("ga-ops-")
    db = os.path.join(directory, "history.sqlite")
    prom = os.path.join(directory, "gateway-audit.prom")
    receiver = Receiver()
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    hook = f"http://127.0.0.1:{receiver.server_address[1]}"
    simulator = torturelib.Simulator()
    try:
        env = simulator.environment()
        base = ["collect", "--endpoint", simulator.url, "--db", db, "--metrics-file", prom,
                "--notify", hook + "/hook", "--heartbeat", hook + "/ping"]
        first = torturelib.gateway_audit(base, env=env)
        check("first run exits 0", first.returncode == 0, first.stderr)
        head = first.stdout.split()[-1]
        samples, types = metrics(prom)
        check("every family is a gauge with HELP", all(t == "gauge" for t in types.values()) and len(types) == 9, types)
        check("23 new observations (13 customer gateways, 3 VPN gateways, 7 connections)", samples.get(("gateway_audit_observations_total", frozenset({("outcome", "new")}))) == 23)
        check("status complete = 1", samples.get(("gateway_audit_run_status", frozenset({("status", "complete")}))) == 1)
        check("23 present resources", samples.get(("gateway_audit_resources", frozenset({("state", "present")}))) == 23)
        check("chain head label = printed head",
              samples.get(("gateway_audit_chain_head_info", frozenset({("head", head)}))) == 1)
        success = samples.get(("gateway_audit_last_success_timestamp_seconds", frozenset()))
        check("last success set", success is not None and success > 1.7e9)

        for night in (3, 8, 12):
            simulator.admin("POST", f"/_sim/advance?night={night}")
            run = torturelib.gateway_audit(base + ["--notify-format", "json"], env=env)
            check(f"night {night} exits 0", run.returncode == 0, run.stderr)
        notes = [json.loads(body) for path, body in receiver.posts if path == "/hook"]
        check("a notification per night with news", len(notes) == 4, len(notes))
        for index, note in enumerate(notes):
            errors = sorted(VALIDATOR.iter_errors(note), key=lambda e: e.path)
            check(f"notification {index + 1} validates against the schema", not errors,
                  "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:3]))
        check("later nights report changes", any(e["event"] == "modified" for n in notes[1:] for e in n["entries"]))
        before, _ = metrics(prom)

        bad = dict(env, HW_SECRET_KEY="not-the-secret")
        rejected = torturelib.gateway_audit(base, env=bad)
        check("401 exits 3", rejected.returncode == 3, rejected.returncode)
        after, _ = metrics(prom)
        check("failed run: status failed = 1", after.get(("gateway_audit_run_status", frozenset({("status", "failed")}))) == 1)
        last_success = ("gateway_audit_last_success_timestamp_seconds", frozenset())
        last_run = ("gateway_audit_last_run_timestamp_seconds", frozenset())
        check("failed run keeps last_success", after.get(last_success) == before.get(last_success) is not None)
        check("failed run moves last_run", after.get(last_run) > before.get(last_run))
        failure_note = json.loads([body for path, body in receiver.posts if path == "/hook"][-1])
        check("the 401 is notified and validates", failure_note["status"] == "failed" and not list(VALIDATOR.iter_errors(failure_note)))
        pings = [path for path, _ in receiver.posts if path.startswith("/ping")]
        check("heartbeat sequence", pings[-2:] == ["/ping/start", "/ping/fail"] and pings[:2] == ["/ping/start", "/ping"], pings)

        # A hand run of one kind into the nightly file adds its own series and keeps the nightly ones: the
        # parser still sees each family once.
        kinded = torturelib.gateway_audit(base + ["--kind", "vpn-gateway"], env=env)
        check("a --kind run exits 0", kinded.returncode == 0, kinded.stderr)
        with open(prom) as handle:
            families = list(text_string_to_metric_families(handle.read()))
        names = [family.name for family in families]
        check("each family once with two runs' series in the file", len(names) == len(set(names)) == 9, names)
        kinds = {sample.labels.get("kind") for family in families for sample in family.samples}
        check("the nightly series and the --kind run's both kept", kinds == {"all", "vpn-gateway"}, kinds)
    finally:
        simulator.stop()
        receiver.shutdown()
    passed = sum(results)
    print(f"\n{passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
