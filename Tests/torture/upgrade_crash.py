"""Crash safety of the upgrade to `v7-compact` and `v8-deflate`: SIGKILL the first write of this release at random moments.

A history of 20,000 gateways over three nights is imported, then put back in the form the release before
migration `v7-compact` wrote: contents as JSON text (inflated as deploy/contents.py does; no
`content_dictionary`, no `v8-deflate`), then digests as hex text and the index by kind (the SQL of
HistoryDatabase.beforeCompactSQL, in Sources/GatewayAuditStore/HistoryDatabase+EarlierForm.swift). Each
trial copies it and imports the fourth night with this release, which first converts the file, one
transaction a migration, then records the night, and kills the import with SIGKILL at a random moment of
that. After the kill: PRAGMA integrity_check is ok; the file is wholly in one form (no `v7-compact` and
every digest text; `v7-compact` and every digest 32 bytes, contents text; or both migrations, every
digest 32 bytes and every content compressed); `verify` is ok and its chain head is one the history really
had (after three nights, or after four); no run is left `running`. Then the import runs again, unkilled
where needed: the history must equal a reference imported without any downgrade or kill (the same chain
head and the same changes report).
"""
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "deploy"))
import torturelib as t  # noqa: E402
from contents import dictionaries_of, inflated  # noqa: E402
from import_crash import changes, chain_head, imported, write_nights  # noqa: E402


def earlier_release_sql():
    """The SQL the Swift tests use to put a history back in the earlier release's form (one source)."""
    path = os.path.join(t.ROOT, "Sources", "GatewayAuditStore", "HistoryDatabase+EarlierForm.swift")
    with open(path) as handle:
        match = re.search(r'beforeCompactSQL = """\n(.*?)\n\s*"""', handle.read(), re.S)
    if not match:
        sys.exit(f"upgrade crash: no beforeCompactSQL in {path}")
    return match.group(1)


def before_deflate(db):
    """Contents back to JSON text, as releases before `v8-deflate` wrote them (what
    HistoryDatabase.undoDeflate does, here without this release's code)."""
    with sqlite3.connect(db) as connection:
        dictionaries = dictionaries_of(connection)
        rows = connection.execute(
            "SELECT s.id, g.kind, g.gateway_id, s.id_value, s.created_at_raw, s.updated_at_raw, s.content "
            "FROM snapshot s JOIN gateway g ON g.id = s.gateway WHERE typeof(s.content) = 'blob'").fetchall()
        connection.executemany("UPDATE snapshot SET content = ? WHERE id = ?", [
            (inflated(content, kind, rid, id_value, created, updated, dictionaries), sid)
            for sid, kind, rid, id_value, created, updated, content in rows])
        connection.execute("DROP TABLE content_dictionary")
        connection.execute("DELETE FROM grdb_migrations WHERE identifier = 'v8-deflate'")
    connection.close()


def form(db):
    """'earlier', 'compact-only' (v7-compact in, v8-deflate not) or 'compact' when the file is wholly in one
    form; anything else describes a mix."""
    migrated = t.sqlite(
        db, "SELECT group_concat(identifier) FROM (SELECT identifier FROM grdb_migrations "
            "WHERE identifier IN ('v7-compact', 'v8-deflate') ORDER BY 1)")
    types = set(t.sqlite(
        db, "SELECT DISTINCT typeof(chain_sha256) FROM snapshot UNION "
            "SELECT DISTINCT typeof(content_sha256) FROM snapshot WHERE content_sha256 IS NOT NULL"))
    contents = set(t.sqlite(db, "SELECT DISTINCT typeof(content) FROM snapshot WHERE content IS NOT NULL"))
    if migrated in ([], [""]) and types == {"text"} and contents == {"text"}:
        return "earlier"
    if migrated == ["v7-compact"] and types == {"blob"} and contents == {"text"}:
        return "compact-only"
    if migrated == ["v7-compact,v8-deflate"] and types == {"blob"} and contents == {"blob"}:
        return "compact"
    return f"mixed: migrations {migrated}, digests {sorted(types)}, contents {sorted(contents)}"


def main():
    options, trials, rng, work = t.sqlite_trials("upgrade crash", __doc__.splitlines()[0], quick=8, full=20)
    files = write_nights(os.path.join(work, "nights"), gateways=20000, nights=4, rng=rng)

    reference = os.path.join(work, "reference.sqlite")
    imported(reference, files, "upgrade crash: the reference import")
    expected_head, expected_changes = chain_head(reference), changes(reference)
    earlier = os.path.join(work, "earlier.sqlite")
    imported(earlier, files[:3], "upgrade crash: the three-night import")
    three_nights_head = chain_head(earlier)
    t.sqlite(earlier, "PRAGMA wal_checkpoint(TRUNCATE)")
    before_deflate(earlier)
    t.sqlite(earlier, earlier_release_sql() + "; VACUUM;")
    if form(earlier) != "earlier" or chain_head(earlier) != three_nights_head:
        sys.exit(f"upgrade crash: the earlier form was not made: {form(earlier)}")
    # How long the upgrade and the fourth night take unkilled: the kills land anywhere in that.
    timed = os.path.join(work, "timed.sqlite")
    shutil.copy(earlier, timed)
    started = time.monotonic()
    result = t.gateway_audit(["import", "--listings-complete", "--db", timed, files[3]], timeout=600)
    span = time.monotonic() - started
    if result.returncode != 0 or form(timed) != "compact" or chain_head(timed) != expected_head:
        sys.exit(f"upgrade crash: the unkilled upgrade failed ({result.returncode}): {result.stderr.strip()}")

    problems = []
    stats = dict(trials=0, kills=0, finished_before_kill=0, left_earlier=0, left_compact_only=0, left_compact=0,
                 left_night=0,
                 integrity_failures=0, mixed=0, verify_failures=0, running_left=0, mismatches=0)

    def problem(trial, text):
        problems.append(f"trial {trial}: {text}")
        print(f"  PROBLEM trial {trial}: {text}", flush=True)

    for trial in range(1, trials + 1):
        stats["trials"] += 1
        db = os.path.join(work, f"trial-{trial}.sqlite")
        shutil.copy(earlier, db)
        process = subprocess.Popen(
            [t.binary("gateway-audit"), "import", "--listings-complete", "--db", db, files[3]],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0, span))
        killed, status = t.kill_if_running(process, stats)
        if not killed:
            if status != 0:
                problem(trial, f"import finished unkilled with exit {status}")
                continue
        integrity = t.sqlite(db, "PRAGMA integrity_check")
        if integrity != ["ok"]:
            stats["integrity_failures"] += 1
            problem(trial, f"integrity_check after the kill: {integrity[:3]}")
            continue
        state = form(db)
        if state not in ("earlier", "compact-only", "compact"):
            stats["mixed"] += 1
            problem(trial, f"the file is in neither form after the kill: {state}")
            continue
        try:
            head = chain_head(db)
        except RuntimeError as error:
            stats["verify_failures"] += 1
            problem(trial, f"verify after the kill: {error}")
            continue
        statuses = t.sqlite(db, "SELECT DISTINCT status FROM run")
        if statuses != ["complete"]:
            stats["running_left"] += 1
            problem(trial, f"runs not complete after the kill: {statuses}")
            continue
        if head == expected_head:
            stats["left_night"] += 1
        elif head != three_nights_head:
            stats["verify_failures"] += 1
            problem(trial, f"a chain head the history never had: {head}")
            continue
        else:
            stats[{"earlier": "left_earlier", "compact-only": "left_compact_only"}.get(state, "left_compact")] += 1
            result = t.gateway_audit(["import", "--listings-complete", "--db", db, files[3]], timeout=600)
            if result.returncode != 0:
                problem(trial, f"the import after the kill failed ({result.returncode}): {result.stderr.strip()}")
                continue
        if form(db) != "compact" or chain_head(db) != expected_head or changes(db) != expected_changes:
            stats["mismatches"] += 1
            problem(trial, f"the upgraded history differs from the reference ({form(db)})")
        os.remove(db)

    t.table("crash safety (SIGKILL during the upgrade to v7-compact and v8-deflate)", [
        ("trials", stats["trials"]),
        ("kills (SIGKILL while upgrading or importing)", stats["kills"]),
        ("imports that finished (not killed)", stats["finished_before_kill"]),
        ("left in the earlier form", stats["left_earlier"]),
        ("left with v7-compact only (contents text)", stats["left_compact_only"]),
        ("left converted, the night not in", stats["left_compact"]),
        ("left converted, the night in", stats["left_night"]),
        ("integrity failures", stats["integrity_failures"]),
        ("files in neither form", stats["mixed"]),
        ("verify failures", stats["verify_failures"]),
        ("runs left not complete", stats["running_left"]),
        ("upgraded histories unlike the reference", stats["mismatches"]),
        ("problems", len(problems)),
    ])
    t.finish("upgrade crash", problems, work, keep=options.keep)
    print(f"upgrade crash: ok: every kill left the file wholly in one form, verified; "
          f"every upgrade equals the reference ({expected_head})")


if __name__ == "__main__":
    main()
