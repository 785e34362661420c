"""Concurrency: many `collect` processes at once on one database, and readers during a collection.

Rounds of 2 and then 8 `collect` processes are started at once with a short --lock-wait while the
simulator makes the listing slow: run intervals in the database must never overlap (one collects at
a time), every other process must exit 75 with the documented one-line message. Then `report` and
`runs` are run in a loop while a collection is in flight: each must succeed while the collection goes
on, and see the history either before or after the run, never half of it.
"""
import argparse
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torturelib as t  # noqa: E402

SLOW_LIST_MS = 4000


def locked_message(db):
    return (f"gateway-audit: error: another gateway-audit run holds {db} (waited 1 s); "
            "try again later or raise --lock-wait\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one round of each (CI)")
    parser.add_argument("--rounds", type=int, help="rounds of each size (default 3, --quick 1)")
    options = parser.parse_args()
    rounds = options.rounds or (1 if options.quick else 3)
    t.require("sqlite3")
    work = t.temp_dir("ga-race-")
    sim = t.Simulator()
    env = sim.environment()
    db = os.path.join(work, "history.sqlite")
    problems = []
    stats = dict(processes=0, collected=0, locked=0, overlaps=0, bad_exits=0, reads=0, reads_failed=0,
                 half_runs_seen=0, reads_during_collection=0)

    def problem(text):
        problems.append(text)
        print(f"  PROBLEM: {text}", flush=True)

    def collect_args(lock_wait="1"):
        return [t.binary("gateway-audit"), "collect", "--endpoint", sim.url, "--db", db, "--lock-wait", lock_wait]

    try:
        first = t.gateway_audit(collect_args()[1:], env=env)
        if first.returncode != 0:
            sys.exit(f"concurrency: the first collect failed: {first.stderr.strip()}")
        sim.fault({"kind": {"latency": {"milliseconds": SLOW_LIST_MS}}, "routes": ["listGateways"]})
        fresh = os.path.join(work, "fresh.sqlite")
        # 2, then 8 at once on a database with history; then 8 at once creating a new database.
        for size, target in ((2, db), (8, db), (8, fresh)):
            for round_number in range(rounds if target == db else 1):
                sim.advance(1)
                before = int(t.sqlite(target, "SELECT COUNT(*) FROM run")[0]) if os.path.exists(target) else 0
                args = collect_args()
                args[args.index("--db") + 1] = target
                processes = [subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                              text=True) for _ in range(size)]
                results = [(p.wait(), p.stdout.read(), p.stderr.read()) for p in processes]
                stats["processes"] += size
                for status, out, err in results:
                    if status == 0:
                        stats["collected"] += 1
                    elif status == 75:
                        stats["locked"] += 1
                        if err != locked_message(target) or out:
                            problem(f"exit 75 with an unexpected message: {err!r} {out!r}")
                    else:
                        stats["bad_exits"] += 1
                        problem(f"{size} at once: exit {status}: {err.strip()[:300]}")
                collected = sum(1 for status, _, _ in results if status == 0)
                new_runs = int(t.sqlite(target, "SELECT COUNT(*) FROM run")[0]) - before
                if t.sqlite(target, "PRAGMA integrity_check") != ["ok"]:
                    problem(f"{size} at once: integrity_check failed")
                if new_runs != collected:
                    problem(f"{size} at once: {collected} processes collected but {new_runs} runs were recorded")
                if collected < 1:
                    problem(f"{size} at once: nobody collected")
                print(f"  {size} at once{' (new database)' if target == fresh else ''}, round {round_number + 1}: {collected} collected, "
                      f"{sum(1 for s, _, _ in results if s == 75)} exited 75", flush=True)
        intervals = [tuple(map(int, line.split("|"))) for line in
                     t.sqlite(db, "SELECT started_at, finished_at FROM run WHERE finished_at IS NOT NULL ORDER BY started_at")]
        for (_, end), (start, _) in zip(intervals, intervals[1:]):
            if start < end:
                stats["overlaps"] += 1
        if stats["overlaps"]:
            problem(f"{stats['overlaps']} run(s) overlapped another in time")
        if t.sqlite(db, "SELECT COUNT(*) FROM run WHERE status != 'complete'") != ["0"]:
            problem("a run did not complete")

        # Readers during a collection: never blocked, never half a run.
        for round_number in range(rounds):
            sim.advance(1)
            history_before = t.gateway_audit(["report", "history", "--output", "-", "--db", db], env=env).stdout
            collector = subprocess.Popen(collect_args("30"), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                         text=True)
            seen = []
            while collector.poll() is None:
                for args in (["report", "history", "--output", "-"], ["runs", "--format", "csv"]):
                    result = t.gateway_audit([*args, "--db", db], env=env)
                    stats["reads"] += 1
                    if result.returncode != 0:
                        stats["reads_failed"] += 1
                        problem(f"{args[0]} during a collection: exit {result.returncode}: {result.stderr.strip()}")
                    elif collector.poll() is None:
                        stats["reads_during_collection"] += 1
                    if args[0] == "report" and result.returncode == 0:
                        seen.append(result.stdout)
            out, err = collector.communicate()
            if collector.returncode != 0:
                problem(f"the collection with readers beside it failed: {err.strip()}")
            history_after = t.gateway_audit(["report", "history", "--output", "-", "--db", db], env=env).stdout
            for text in seen:
                if text not in (history_before, history_after):
                    stats["half_runs_seen"] += 1
            if stats["half_runs_seen"]:
                problem(f"{stats['half_runs_seen']} report(s) saw neither the history before nor after the run")
        stats["faults"] = len(sim.admin("GET", "/_sim/faults")["firings"])
    finally:
        sim.stop()

    t.table("concurrency (one database, many processes)", [
        ("collect processes started", stats["processes"]),
        ("collected (exit 0)", stats["collected"]),
        ("waited then exit 75", stats["locked"]),
        ("other exits", stats["bad_exits"]),
        ("overlapping runs", stats["overlaps"]),
        ("slow listings injected", stats.get("faults", 0)),
        ("reads (report, runs)", stats["reads"]),
        ("reads done while collecting", stats["reads_during_collection"]),
        ("reads failed", stats["reads_failed"]),
        ("reads seeing half a run", stats["half_runs_seen"]),
        ("problems", len(problems)),
    ])
    if stats["reads_during_collection"] == 0:
        problem("no read finished while a collection was in flight")
    t.finish("concurrency", problems, work)
    print("concurrency: ok")


if __name__ == "__main__":
    main()
