"""Shared helpers for the torture scripts: the built binaries, the simulator, sqlite3 and a summary table."""
import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ACCESS_KEY = "SIMULATORACCESSKEY01"
SECRET_KEY = "simulator-secret-key"


def bin_dir():
    """Where gateway-audit and vpn-simulator were built (GA_BIN_DIR, else .build/debug)."""
    folder = os.environ.get("GA_BIN_DIR") or os.path.join(ROOT, ".build", "debug")
    for name in ("gateway-audit", "vpn-simulator"):
        if not os.access(os.path.join(folder, name), os.X_OK):
            sys.exit(f"torture: {folder}/{name} is missing; run `swift build` first (or set GA_BIN_DIR)")
    return folder


def binary(name):
    return os.path.join(bin_dir(), name)


def require(tool):
    if shutil.which(tool) is None:
        sys.exit(f"torture: `{tool}` is required (apt-get install {tool})")


class Simulator:
    """vpn-simulator on 127.0.0.1, port 0, signing clock = wall time; stopped by `stop()`."""

    def __init__(self, extra=()):
        self.process = subprocess.Popen(
            [binary("vpn-simulator"), "--port", "0", "--sdk-date-clock", "wall", *extra],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        first = self.process.stdout.readline()
        match = re.search(r"listening on (http://\S+)", first)
        if not match:
            self.stop()
            sys.exit(f"torture: the simulator did not start: {first!r}")
        self.url = match.group(1)
        self.project_id = None
        while self.project_id is None:
            line = self.process.stdout.readline()
            if not line:
                break
            found = re.search(r"project id:\s+(\S+)", line)
            if found:
                self.project_id = found.group(1)
        if self.project_id is None:
            self.stop()
            sys.exit("torture: the simulator printed no project id")

    def admin(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read().decode()
            return json.loads(text) if text else None

    def advance(self, nights=1):
        return self.admin("POST", f"/_sim/advance?nights={nights}")

    def fault(self, rule):
        return self.admin("POST", "/_sim/faults", rule)

    def clear_faults(self):
        self.admin("DELETE", "/_sim/faults")

    def environment(self):
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HW_ACCESS_KEY": ACCESS_KEY,
               "HW_SECRET_KEY": SECRET_KEY, "HW_PROJECT_ID": self.project_id}
        if "TZ" in os.environ:
            env["TZ"] = os.environ["TZ"]
        return env

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def gateway_audit(args, env=None, timeout=120, **kwargs):
    """Runs gateway-audit to completion; returns CompletedProcess with text output."""
    return subprocess.run([binary("gateway-audit"), *args], env=env, capture_output=True, text=True,
                          timeout=timeout, **kwargs)


def sqlite(db, sql):
    """Runs one statement with the sqlite3 command line; returns its lines."""
    result = subprocess.run(["sqlite3", "-batch", db, sql], capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        raise RuntimeError(f"sqlite3 {sql!r}: {result.stderr.strip()}")
    return [line for line in result.stdout.splitlines() if line != ""]


def runs_csv(db, env=None):
    """`gateway-audit runs --format csv` as a list of dicts (newest first)."""
    import csv
    import io
    result = gateway_audit(["runs", "--format", "csv", "--limit", "100000", "--db", db], env=env)
    if result.returncode != 0:
        raise RuntimeError(f"runs failed ({result.returncode}): {result.stderr.strip()}")
    return list(csv.DictReader(io.StringIO(result.stdout)))


def table(title, rows):
    """Prints a two-column table: name, value."""
    width = max(len(name) for name, _ in rows)
    print(f"\n{title}")
    print("-" * (width + 14))
    for name, value in rows:
        print(f"{name.ljust(width)}  {value:>10}")
    print("-" * (width + 14))


def temp_dir(prefix):
    return tempfile.mkdtemp(prefix=prefix)


def trial_options(description, quick, full, keep=True):
    """The trial scripts' command line (--quick, -n/--trials, --seed, --keep): (options, trials, rng)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help=f"{quick} trials (CI)")
    parser.add_argument("-n", "--trials", type=int, help=f"number of trials (default {full}, --quick {quick})")
    parser.add_argument("--seed", type=int, default=int(time.time()), help="random seed (printed)")
    if keep:
        parser.add_argument("--keep", action="store_true", help="keep the work folder")
    options = parser.parse_args()
    return options, options.trials or (quick if options.quick else full), random.Random(options.seed)


def sqlite_trials(name, description, quick, full):
    """The start of a trial script on SQLite files: its command line, sqlite3 required, a work folder and
    the banner line. Returns (options, trials, rng, work)."""
    options, trials, rng = trial_options(description, quick=quick, full=full)
    require("sqlite3")
    work = temp_dir(f"ga-{name.replace(' ', '-')}-")
    print(f"{name}: {trials} trials, seed {options.seed}, work folder {work}")
    return options, trials, rng, work


def finish(name, problems, work, keep=False):
    """Ends a script's checks: with problems, says FAILED, keeps the work folder and exits 1; else removes
    the folder (unless `keep`)."""
    if problems:
        print(f"{name}: FAILED, work folder kept: {work}")
        sys.exit(1)
    if not keep:
        shutil.rmtree(work, ignore_errors=True)


def kill_if_running(process, stats):
    """SIGKILLs `process` if it still runs; counts it in stats["kills"], else in stats["finished_before_kill"].
    Returns (killed, exit status)."""
    killed = process.poll() is None
    if killed:
        process.send_signal(signal.SIGKILL)
        stats["kills"] += 1
    else:
        stats["finished_before_kill"] += 1
    return killed, process.wait()
