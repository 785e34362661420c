"""Crash safety of `gateway-audit import`: SIGKILL it at random moments and prove it keeps whole nights only.

A history of saved nightly list files (renames, deletions and additions every night) is imported once
without interruption: the reference. Each trial then imports the same files into a new database and kills
the import with SIGKILL at random moments, again and again; after each kill it checks PRAGMA
integrity_check, that no run is left `running` (a night is one transaction: stored whole or not at all),
that the runs are the first nights in order, each complete, and that nothing committed before the kill
was lost; then it resumes with the files of the nights not yet recorded. When every night is in, the
database must equal the reference: the same chain head and the same changes report, and `verify` ok.
"""
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torturelib as t  # noqa: E402

RUNS_SQL = "SELECT id, started_at, status, record_sha256 FROM run ORDER BY id"


def write_nights(folder, gateways, nights, rng):
    """Nightly list pages named by their time: each night renames, deletes and adds a few gateways."""
    os.makedirs(folder, exist_ok=True)
    current = {f"gw-{i:05d}": {"id": f"gw-{i:05d}", "name": f"branch-{i}", "id_type": "ip",
                               "id_value": f"10.{i // 65536}.{i // 256 % 256}.{i % 256}", "bgp_asn": 65000 + i % 100,
                               "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"}
               for i in range(gateways)}
    next_id = gateways
    paths = []
    for night in range(nights):
        stamp = f"2025-02-{night + 1:02d}T02-00-00Z" if night < 28 else f"2025-03-{night - 27:02d}T02-00-00Z"
        updated = stamp.replace("T02-00-00Z", "T01:00:00Z")
        if night > 0:
            for key in rng.sample(sorted(current), 5):
                current[key] = dict(current[key], name=current[key]["name"] + "-r", updated_at=updated)
            for key in rng.sample(sorted(current), 2):
                del current[key]
            for _ in range(2):
                key = f"gw-{next_id:05d}"
                current[key] = dict(id=key, name=f"branch-{next_id}", id_type="ip",
                                    id_value=f"10.{next_id // 65536}.{next_id // 256 % 256}.{next_id % 256}",
                                    bgp_asn=65000, created_at=updated, updated_at=updated)
                next_id += 1
        path = os.path.join(folder, f"{stamp}.json")
        with open(path, "w") as handle:
            json.dump({"customer_gateways": [current[key] for key in sorted(current)]}, handle)
        paths.append(path)
    return paths


def imported(db, files, what):
    """Imports `files` into `db` with --listings-complete; exits naming `what` when it fails. Returns its
    seconds."""
    started = time.monotonic()
    result = t.gateway_audit(["import", "--listings-complete", "--db", db, *files], timeout=600)
    if result.returncode != 0:
        sys.exit(f"{what} failed ({result.returncode}): {result.stderr.strip()}")
    return time.monotonic() - started


def chain_head(db):
    result = t.gateway_audit(["verify", "--db", db])
    if result.returncode != 0 or not result.stdout.startswith("ok:"):
        raise RuntimeError(f"verify exit {result.returncode}: {result.stderr.strip()[:300]}")
    return result.stdout.strip().splitlines()[-1]


def changes(db):
    result = t.gateway_audit(["report", "changes", "--format", "csv", "--db", db, "--output", "-"])
    if result.returncode != 0:
        raise RuntimeError(f"report exit {result.returncode}: {result.stderr.strip()[:300]}")
    return result.stdout


def main():
    options, trials, rng, work = t.sqlite_trials("import crash", __doc__.splitlines()[0], quick=5, full=20)
    files = write_nights(os.path.join(work, "nights"), gateways=2000, nights=40, rng=rng)

    reference = os.path.join(work, "reference.sqlite")
    span = imported(reference, files, "import crash: the reference import")
    expected_head, expected_changes = chain_head(reference), changes(reference)
    # What an import costs before its first night is in (process start, a new database, the first night).
    started = time.monotonic()
    t.gateway_audit(["import", "--db", os.path.join(work, "one-night.sqlite"), files[0]])
    startup = time.monotonic() - started

    problems = []
    stats = dict(trials=0, kills=0, finished_before_kill=0, integrity_failures=0, running_left=0,
                 runs_lost=0, partial_nights=0, resumes=0, mismatches=0)

    def problem(trial, text):
        problems.append(f"trial {trial}: {text}")
        print(f"  PROBLEM trial {trial}: {text}", flush=True)

    for trial in range(1, trials + 1):
        stats["trials"] += 1
        db = os.path.join(work, f"trial-{trial}.sqlite")
        recorded = []
        # Six killed imports, each resuming where the last stopped, then one left to finish.
        for attempt in range(7):
            remaining = files[len(recorded):]
            if not remaining:
                break
            if recorded:
                stats["resumes"] += 1
            process = subprocess.Popen(
                [t.binary("gateway-audit"), "import", "--listings-complete", "--db", db, *remaining],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if attempt < 6:
                # Some kills land in the creation of the database or the first night, most in the nights after.
                time.sleep(rng.uniform(startup / 2, startup + (span - startup) * len(remaining) / len(files) * 0.9))
            else:
                process.wait(timeout=600)
            killed, status = t.kill_if_running(process, stats)
            if not killed:
                if status != 0:
                    problem(trial, f"import finished unkilled with exit {status}")
                    break
            if not os.path.exists(db):
                continue
            integrity = t.sqlite(db, "PRAGMA integrity_check")
            if integrity != ["ok"]:
                stats["integrity_failures"] += 1
                problem(trial, f"integrity_check after kill: {integrity[:3]}")
                break
            tables = set(t.sqlite(db, "SELECT name FROM sqlite_master WHERE type = 'table'"))
            runs = [line.split("|") for line in t.sqlite(db, RUNS_SQL)] if "run" in tables else []
            if any(run[2] != "complete" for run in runs):
                stats["running_left"] += 1
                problem(trial, f"a run not complete after a kill: {[run[:3] for run in runs if run[2] != 'complete']}")
                break
            if [run[3] for run in runs[:len(recorded)]] != recorded:
                stats["runs_lost"] += 1
                problem(trial, "a run committed before the kill was lost or changed")
                break
            recorded = [run[3] for run in runs]
            counts = t.sqlite(db, "SELECT observed FROM run ORDER BY id") if runs else []
            if any(int(count) < 1990 for count in counts):
                stats["partial_nights"] += 1
                problem(trial, f"a night recorded in part: observed {counts}")
                break
        if len(recorded) != len(files):
            # A problem above stopped the trial; otherwise the unkilled import left nights out.
            if not any(text.startswith(f"trial {trial}:") for text in problems):
                problem(trial, f"{len(recorded)} of {len(files)} nights recorded after the last, unkilled import")
            continue
        head, report = chain_head(db), changes(db)
        if head != expected_head or report != expected_changes:
            stats["mismatches"] += 1
            problem(trial, f"the resumed import differs from the reference: {head} against {expected_head}")
        print(f"  trial {trial}: {stats['kills']} kills so far, {len(problems)} problems", flush=True)

    t.table("crash safety (SIGKILL during import)", [
        ("trials", stats["trials"]),
        ("kills (SIGKILL while importing)", stats["kills"]),
        ("imports that finished (not killed)", stats["finished_before_kill"]),
        ("imports started on a killed one", stats["resumes"]),
        ("integrity failures", stats["integrity_failures"]),
        ("runs left not complete", stats["running_left"]),
        ("committed runs lost", stats["runs_lost"]),
        ("nights recorded in part", stats["partial_nights"]),
        ("resumed histories unlike the reference", stats["mismatches"]),
        ("problems", len(problems)),
    ])
    t.finish("import crash", problems, work, keep=options.keep)
    print(f"import crash: ok: every kill left whole nights; every resumed import equals the uninterrupted one ({expected_head})")


if __name__ == "__main__":
    main()
