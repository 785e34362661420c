"""Crash safety on PostgreSQL: SIGKILL `gateway-audit collect` at random moments; nothing committed is lost.

Each trial starts `collect --db postgres://…` against the simulator (latency faults stretch listing and
fetching), kills it with SIGKILL after a random delay, then checks with psql: every snapshot and finished
run committed before is still there, unchanged; no count of committed rows went down; the killed run is
shown as `running`; the next `collect` of the scope closes it as `aborted` (the server dropped the killed
collector's advisory lock with its connection) and completes; `verify` is ok.
"""
import os
import subprocess
import sys
import time
import urllib.parse
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torturelib as t  # noqa: E402

SNAPSHOT_SQL = "SELECT id, gateway, seq, state, first_run, first_seen, content_sha256, chain_sha256 FROM snapshot"
FINISHED_RUNS_SQL = "SELECT id, status, finished_at, record_sha256 FROM run WHERE status <> 'running'"
COUNTED_TABLES = ("gateway", "snapshot", "change", "failed_observation", "anomaly", "run")


def psql(url, sql):
    result = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql],
                            capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        raise RuntimeError(f"psql: {result.stderr.strip()}")
    return [line for line in result.stdout.splitlines() if line]


def state(url):
    if psql(url, "SELECT to_regclass('run') IS NOT NULL") != ["t"]:
        return {"snapshots": set(), "runs": set(), "counts": {name: 0 for name in COUNTED_TABLES}, "max_run": 0}
    return {
        "snapshots": set(psql(url, SNAPSHOT_SQL)),
        "runs": set(psql(url, FINISHED_RUNS_SQL)),
        "counts": {name: int(psql(url, f"SELECT COUNT(*) FROM {name}")[0]) for name in COUNTED_TABLES},
        "max_run": int(psql(url, "SELECT COALESCE(MAX(id), 0) FROM run")[0]),
    }


def lost_rows(before, after):
    lost = len(before["snapshots"] - after["snapshots"]) + len(before["runs"] - after["runs"])
    return lost + sum(max(0, before["counts"][name] - after["counts"][name]) for name in COUNTED_TABLES)


def main():
    options, trials, rng = t.trial_options(__doc__.splitlines()[0], quick=20, full=200, keep=False)
    t.require("psql")
    server = os.environ.get("GATEWAY_AUDIT_TEST_PG")
    if not server:
        sys.exit("crash-postgres: set GATEWAY_AUDIT_TEST_PG (Tests/postgres/cluster.sh start DIR prints a URL)")
    name = "crash_" + uuid.uuid4().hex[:12]
    psql(server, f"CREATE DATABASE {name}")
    url = urllib.parse.urlunsplit(urllib.parse.urlsplit(server)._replace(path="/" + name))
    password = urllib.parse.urlsplit(server).password or "\0"
    print(f"crash-postgres: {trials} trials, seed {options.seed}, database {name}")

    sim = t.Simulator()
    env = sim.environment()
    problems = []
    stats = dict(trials=0, kills=0, finished_before_kill=0, killed_running=0, rows_lost=0, aborted_closed=0,
                 recoveries_failed=0, verify_failures=0, password_shown=0)

    def problem(trial, text):
        problems.append(f"trial {trial}: {text}")
        print(f"  PROBLEM trial {trial}: {text}", flush=True)

    try:
        for rule in (
            {"kind": {"latency": {"milliseconds": 150}}, "routes": ["listGateways"], "probability": 0.7},
            {"kind": {"latency": {"milliseconds": 40}}, "routes": ["getGateway"], "probability": 0.5},
        ):
            sim.fault(rule)
        started = time.monotonic()
        first = t.gateway_audit(["collect", "--endpoint", sim.url, "--db", url], env=env)
        span = max(0.3, (time.monotonic() - started) * 1.3)
        if first.returncode not in (0, 1):
            sys.exit(f"crash-postgres: the first collect failed ({first.returncode}): {first.stderr.strip()}")
        for trial in range(1, trials + 1):
            stats["trials"] += 1
            if trial % 3 == 0:
                sim.advance(1)
            before = state(url)
            process = subprocess.Popen([t.binary("gateway-audit"), "collect", "--endpoint", sim.url, "--db", url,
                                        "--lock-wait", "30"], env=env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0, span))
            killed, status = t.kill_if_running(process, stats)
            if not killed:
                if status not in (0, 1):
                    problem(trial, f"collect finished unkilled with exit {status}")
            after_kill = state(url)
            lost = lost_rows(before, after_kill)
            if lost:
                stats["rows_lost"] += lost
                problem(trial, f"{lost} committed row(s) lost or changed by the kill")
            running = psql(url, f"SELECT id FROM run WHERE status = 'running' AND id > {before['max_run']}")
            if killed and running:
                stats["killed_running"] += 1
            recovery = t.gateway_audit(["collect", "--endpoint", sim.url, "--db", url, "--lock-wait", "30"], env=env)
            if password in recovery.stdout + recovery.stderr:
                stats["password_shown"] += 1
                problem(trial, "the password appeared in the output")
            if recovery.returncode not in (0, 1):
                stats["recoveries_failed"] += 1
                problem(trial, f"recovery collect exit {recovery.returncode}: {recovery.stderr.strip()[:300]}")
                continue
            for run in running:
                if psql(url, f"SELECT status FROM run WHERE id = {run}") != ["aborted"]:
                    problem(trial, f"run {run} was not closed as aborted")
                else:
                    stats["aborted_closed"] += 1
            if psql(url, "SELECT COUNT(*) FROM run WHERE status = 'running'") != ["0"]:
                problem(trial, "a run is still running after the recovery run")
            lost = lost_rows(after_kill, state(url))
            if lost:
                stats["rows_lost"] += lost
                problem(trial, f"{lost} committed row(s) lost or changed by the recovery run")
            verify = t.gateway_audit(["verify", "--db", url], env=env)
            if verify.returncode != 0 or not verify.stdout.startswith("ok:"):
                stats["verify_failures"] += 1
                problem(trial, f"verify exit {verify.returncode}: {(verify.stdout + verify.stderr).strip()[:300]}")
    finally:
        sim.stop()

    t.table("crash safety on PostgreSQL (SIGKILL during collect)", [
        ("trials", stats["trials"]),
        ("kills (SIGKILL while running)", stats["kills"]),
        ("finished before the kill", stats["finished_before_kill"]),
        ("killed runs shown as running", stats["killed_running"]),
        ("aborted runs closed by next run", stats["aborted_closed"]),
        ("rows lost", stats["rows_lost"]),
        ("recovery runs failed", stats["recoveries_failed"]),
        ("verify failures", stats["verify_failures"]),
        ("password shown", stats["password_shown"]),
        ("problems", len(problems)),
    ])
    if problems:
        sys.exit(f"crash-postgres: {len(problems)} problem(s)")


if __name__ == "__main__":
    main()
