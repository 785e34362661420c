"""Resource faults that need a shell: the file-size limit (`ulimit -f`) hit in the middle of a write.

For a range of limits, `collect` runs under `bash -c 'ulimit -f N; exec gateway-audit collect ...'` on a
database with history. Whatever the limit, the process must end with a documented exit status (never
be killed by SIGXFSZ), say so in one line, leave PRAGMA integrity_check ok and every committed row in
place; the next unlimited run must close anything left running and complete, and `verify` be ok.
(Read-only folder, non-SQLite file and newer schema are Swift tests: Tests/EndToEndTests/ResourceFaultTests.)
"""
import argparse
import os
import shlex
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torturelib as t  # noqa: E402
from crash import lost_rows, state  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer limits (CI)")
    options = parser.parse_args()
    limits_kb = [1, 8, 24, 40, 64, 96] if options.quick else [1, 2, 4, 8, 12, 16, 24, 32, 40, 48, 64, 80, 96, 128, 256]
    t.require("sqlite3")
    work = t.temp_dir("ga-resources-")
    sim = t.Simulator()
    env = sim.environment()
    db = os.path.join(work, "history.sqlite")
    problems = []
    stats = dict(trials=0, limit_hit=0, completed=0, killed_by_signal=0, other_exit=0, integrity_failures=0,
                 rows_lost=0, recoveries_failed=0, verify_failures=0)

    def problem(text):
        problems.append(text)
        print(f"  PROBLEM: {text}", flush=True)

    try:
        for _ in range(3):
            result = t.gateway_audit(["collect", "--endpoint", sim.url, "--db", db], env=env)
            if result.returncode != 0:
                sys.exit(f"resources: building the history failed: {result.stderr.strip()}")
            sim.advance(4)
        print(f"resources: history of {os.path.getsize(db)} bytes; limits (KiB): {limits_kb}")
        for limit in limits_kb:
            stats["trials"] += 1
            sim.advance(1)
            before = state(db)
            command = " ".join(shlex.quote(part) for part in
                               [t.binary("gateway-audit"), "collect", "--endpoint", sim.url, "--db", db])
            result = subprocess.run(["bash", "-c", f"ulimit -f {limit}; exec {command}"], env=env,
                                    capture_output=True, text=True, timeout=120)
            status = result.returncode
            lines = result.stderr.strip().splitlines()
            if status < 0 or status >= 128:
                stats["killed_by_signal"] += 1
                problem(f"limit {limit} KiB: killed by a signal ({status}); stderr: {result.stderr.strip()[:200]}")
            elif status == 4:
                stats["limit_hit"] += 1
                if len(lines) != 1 or not lines[0].startswith("gateway-audit: error: "):
                    problem(f"limit {limit} KiB: exit 4 without one error line: {lines}")
                elif "file-size limit" not in lines[0] and "cannot write" not in lines[0]:
                    problem(f"limit {limit} KiB: the message does not say what to do: {lines[0]}")
            elif status in (0, 1):
                stats["completed"] += 1
            else:
                stats["other_exit"] += 1
                problem(f"limit {limit} KiB: exit {status}: {result.stderr.strip()[:200]}")
            print(f"  limit {limit:>4} KiB: exit {status} {lines[-1][:150] if lines else ''}", flush=True)

            integrity = t.sqlite(db, "PRAGMA integrity_check")
            if integrity != ["ok"]:
                stats["integrity_failures"] += 1
                problem(f"limit {limit} KiB: integrity_check {integrity[:3]}")
            after = state(db)
            lost = lost_rows(before, after)
            if lost:
                stats["rows_lost"] += lost
                problem(f"limit {limit} KiB: {lost} committed row(s) lost or changed")
            recovery = t.gateway_audit(["collect", "--endpoint", sim.url, "--db", db], env=env)
            if recovery.returncode != 0:
                stats["recoveries_failed"] += 1
                problem(f"limit {limit} KiB: the next unlimited run failed: {recovery.stderr.strip()[:200]}")
            if t.sqlite(db, "SELECT COUNT(*) FROM run WHERE status = 'running'") != ["0"]:
                problem(f"limit {limit} KiB: a run is still running after the next run")
            verify = t.gateway_audit(["verify", "--db", db], env=env)
            if verify.returncode != 0:
                stats["verify_failures"] += 1
                problem(f"limit {limit} KiB: verify: {verify.stderr.strip()[:200]}")
            lost = lost_rows(after, state(db))
            if lost:
                stats["rows_lost"] += lost
                problem(f"limit {limit} KiB: the next run lost {lost} row(s)")
    finally:
        sim.stop()

    t.table("resource faults (file-size limit mid-write)", [
        ("trials (limits tried)", stats["trials"]),
        ("limit hit: exit 4, one line", stats["limit_hit"]),
        ("completed within the limit", stats["completed"]),
        ("killed by SIGXFSZ or another signal", stats["killed_by_signal"]),
        ("other exit codes", stats["other_exit"]),
        ("integrity failures", stats["integrity_failures"]),
        ("rows lost", stats["rows_lost"]),
        ("next runs failed", stats["recoveries_failed"]),
        ("verify failures", stats["verify_failures"]),
        ("problems", len(problems)),
    ])
    if stats["limit_hit"] == 0:
        problem("no limit was small enough to be hit")
    t.finish("resources", problems, work)
    print("resources: ok")


if __name__ == "__main__":
    main()
