"""Crash safety: SIGKILL `gateway-audit collect` at random moments and prove nothing committed is lost.

Each trial starts `collect` against the simulator (with latency faults, so a kill can land in the
listing, the fetches, a write transaction or the run's end), kills it with SIGKILL after a random
delay, then checks: PRAGMA integrity_check is ok; every snapshot row committed before is still there,
unchanged; no count of committed rows went down; the killed run is shown as `running`; the next
`collect` closes it as `aborted` and completes; `verify` is ok. Every tenth trial kills the very first
run on a brand-new database (creation and migration).
"""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torturelib as t  # noqa: E402

# The digests are 32-byte BLOBs (README, "Storage"): compared as hex.
SNAPSHOT_SQL = ("SELECT id, gateway, seq, state, first_run, first_seen, lower(hex(content_sha256)), "
                "lower(hex(chain_sha256)) FROM snapshot")
FINISHED_RUNS_SQL = "SELECT id, status, finished_at, record_sha256 FROM run WHERE status != 'running'"
COUNTED_TABLES = ("gateway", "snapshot", "change", "failed_observation", "anomaly", "run")


def state(db):
    """Everything committed so far that must survive later kills."""
    if not os.path.exists(db):
        return {"snapshots": set(), "runs": set(), "counts": {name: 0 for name in COUNTED_TABLES}, "max_run": 0}
    tables = set(t.sqlite(db, "SELECT name FROM sqlite_master WHERE type = 'table'"))
    # A database killed while it was being created may hold the first migrations and not the later ones (a
    # `run` table without `record_sha256`): no run was recorded yet, so nothing is committed to compare.
    if "run" not in tables or t.sqlite(db, "SELECT COUNT(*) FROM run") == ["0"]:
        return {"snapshots": set(), "runs": set(), "counts": {name: 0 for name in COUNTED_TABLES}, "max_run": 0}
    counts = {name: int(t.sqlite(db, f"SELECT COUNT(*) FROM {name}")[0]) for name in COUNTED_TABLES}
    return {
        "snapshots": set(t.sqlite(db, SNAPSHOT_SQL)),
        "runs": set(t.sqlite(db, FINISHED_RUNS_SQL)),
        "counts": counts,
        "max_run": int((t.sqlite(db, "SELECT COALESCE(MAX(id), 0) FROM run") or ["0"])[0]),
    }


def lost_rows(before, after):
    """Rows committed in `before` that `after` no longer has (or has changed)."""
    lost = len(before["snapshots"] - after["snapshots"]) + len(before["runs"] - after["runs"])
    for name in COUNTED_TABLES:
        lost += max(0, before["counts"][name] - after["counts"][name])
    return lost


def main():
    options, trials, rng, work = t.sqlite_trials("crash", __doc__.splitlines()[0], quick=20, full=200)

    sim = t.Simulator()
    env = sim.environment()
    problems = []
    stats = dict(trials=0, kills=0, finished_before_kill=0, killed_running=0, integrity_failures=0,
                 rows_lost=0, aborted_closed=0, recoveries_failed=0, verify_failures=0, faults=0)

    def problem(trial, text):
        problems.append(f"trial {trial}: {text}")
        print(f"  PROBLEM trial {trial}: {text}", flush=True)

    try:
        # Latency makes the interesting moments (listing, fetching, committing) long enough to hit.
        for rule in (
            {"kind": {"latency": {"milliseconds": 150}}, "routes": ["listGateways"], "probability": 0.7},
            {"kind": {"latency": {"milliseconds": 40}}, "routes": ["getGateway"], "probability": 0.5},
            {"kind": {"serverError": {"status": 503, "code": "VPN.0014"}}, "routes": ["getGateway"],
             "probability": 0.03},
        ):
            sim.fault(rule)
        main_db = os.path.join(work, "history.sqlite")
        # A first complete run: its duration scales the kill delays, its ids feed --id trials.
        started = time.monotonic()
        first = t.gateway_audit(["collect", "--endpoint", sim.url, "--db", main_db], env=env)
        span = max(0.3, (time.monotonic() - started) * 1.3)
        if first.returncode not in (0, 1):
            sys.exit(f"crash: the first collect failed ({first.returncode}): {first.stderr.strip()}")
        ids = t.sqlite(main_db, "SELECT gateway_id FROM gateway ORDER BY gateway_id")
        durations = []

        for trial in range(1, trials + 1):
            stats["trials"] += 1
            fresh = trial % 10 == 0
            db = os.path.join(work, f"fresh-{trial}.sqlite") if fresh else main_db
            if trial % 3 == 0:
                sim.advance(1)
            args = ["collect", "--endpoint", sim.url, "--db", db, "--lock-wait", "30"]
            if rng.random() < 0.4:
                chosen = rng.sample(ids, rng.randint(1, len(ids)))
                args += [part for gateway in chosen for part in ("--id", gateway)]
                args += ["--concurrency", str(rng.choice([1, 2, 8]))]
            before = state(db)
            delay = rng.uniform(0, span)
            process = subprocess.Popen([t.binary("gateway-audit"), *args], env=env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            killed, status = t.kill_if_running(process, stats)
            if not killed:
                if status not in (0, 1):
                    problem(trial, f"collect finished unkilled with exit {status}")

            if not os.path.exists(db):
                # Killed before the file existed: nothing was committed, nothing to check yet.
                pass
            else:
                integrity = t.sqlite(db, "PRAGMA integrity_check")
                if integrity != ["ok"]:
                    stats["integrity_failures"] += 1
                    problem(trial, f"integrity_check after kill: {integrity[:3]}")
            after_kill = state(db)
            lost = lost_rows(before, after_kill)
            if lost:
                stats["rows_lost"] += lost
                problem(trial, f"{lost} committed row(s) lost or changed by the kill")

            running_id = None
            if os.path.exists(db) and after_kill["max_run"] > 0:
                runs = t.runs_csv(db, env=env)
                running = [r for r in runs if r["status"] == "running"]
                new_runs = [r for r in runs if int(r["run"]) > before["max_run"]]
                if len(new_runs) > 1:
                    problem(trial, f"{len(new_runs)} new runs from one process")
                if killed and new_runs and new_runs[0]["status"] == "running":
                    stats["killed_running"] += 1
                    if new_runs[0]["finished"]:
                        problem(trial, "a running run shows a finish time")
                if any(int(r["run"]) <= before["max_run"] for r in running):
                    problem(trial, "an older run is still running: the previous recovery did not close it")
                if not killed and running:
                    problem(trial, f"runs still running after an unkilled collect: {[r['run'] for r in running]}")
                running_id = running[0]["run"] if running else None

            # Recovery: the next run closes the killed one and completes.
            recovery_started = time.monotonic()
            recovery = t.gateway_audit(["collect", "--endpoint", sim.url, "--db", db, "--lock-wait", "30"], env=env)
            # Kill delays span a typical run: follow the recent unkilled runs' duration.
            durations = (durations + [time.monotonic() - recovery_started])[-5:]
            span = max(0.3, sorted(durations)[len(durations) // 2])
            if recovery.returncode not in (0, 1):
                stats["recoveries_failed"] += 1
                problem(trial, f"recovery collect exit {recovery.returncode}: {recovery.stderr.strip()[:300]}")
                continue
            if not recovery.stdout.startswith("run "):
                problem(trial, f"recovery printed no summary: {recovery.stdout!r}")
            runs = {r["run"]: r for r in t.runs_csv(db, env=env)}
            if running_id is not None:
                if runs.get(running_id, {}).get("status") != "aborted":
                    problem(trial, f"run {running_id} was not closed as aborted: {runs.get(running_id)}")
                elif f"closed run {running_id} as aborted" not in recovery.stderr:
                    problem(trial, f"recovery did not say it closed run {running_id}")
                else:
                    stats["aborted_closed"] += 1
            if any(r["status"] == "running" for r in runs.values()):
                problem(trial, "a run is still running after the recovery run")
            after_recovery = state(db)
            lost = lost_rows(after_kill, after_recovery)
            if lost:
                stats["rows_lost"] += lost
                problem(trial, f"{lost} committed row(s) lost or changed by the recovery run")
            verify = t.gateway_audit(["verify", "--db", db], env=env)
            if verify.returncode != 0 or not verify.stdout.startswith("ok:"):
                stats["verify_failures"] += 1
                problem(trial, f"verify exit {verify.returncode}: {verify.stderr.strip()[:300]}")
            if trial % 20 == 0:
                print(f"  {trial}/{trials} trials, {stats['kills']} kills, {len(problems)} problems", flush=True)
        firings = sim.admin("GET", "/_sim/faults")["firings"]
        stats["faults"] = len(firings)
    finally:
        sim.stop()

    t.table("crash safety (SIGKILL during collect)", [
        ("trials", stats["trials"]),
        ("kills (SIGKILL while running)", stats["kills"]),
        ("finished before the kill", stats["finished_before_kill"]),
        ("killed runs shown as running", stats["killed_running"]),
        ("aborted runs closed by next run", stats["aborted_closed"]),
        ("faults injected (latency, 503)", stats["faults"]),
        ("integrity failures", stats["integrity_failures"]),
        ("rows lost", stats["rows_lost"]),
        ("recovery runs failed", stats["recoveries_failed"]),
        ("verify failures", stats["verify_failures"]),
        ("problems", len(problems)),
    ])
    t.finish("crash", problems, work, keep=options.keep)
    print("crash: ok")


if __name__ == "__main__":
    main()
