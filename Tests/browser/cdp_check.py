#!/usr/bin/env python3
"""Renders HTML reports in headless Chromium through the DevTools protocol and checks what a reader sees.

For every page, at 1280 px and 390 px: no console error, no uncaught exception, no Content-Security-Policy
violation (Chromium logs each one); the page is no wider than the window (tables scroll in their own
box); no table header is broken over two lines; on a dashboard, the inline script ran (its CSP hash
matched) and its print handler opens every <details>. Saves a screenshot of the first screen and of the
page's top (up to 4,000 px) for each width. Exit 1 on any failure, with one line per problem.

Uses only the standard library and websocket-client.
"""

import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket

WIDTHS = [(1280, 900, False), (390, 844, True)]

# Run in the page after load; returns what the checks need.
PROBE = """(() => {
  const tools = document.getElementById('tools');
  const heads = [...document.querySelectorAll('th')].filter((th) => {
    const style = getComputedStyle(th);
    const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.3;
    return th.offsetParent !== null && th.clientHeight > line * 1.8 + 8;
  }).map((th) => th.textContent);
  return {
    dashboard: tools !== null,
    scriptRan: tools !== null && !tools.hidden,
    scripts: document.scripts.length,
    pageWidth: document.documentElement.scrollWidth,
    windowWidth: window.innerWidth,
    height: document.documentElement.scrollHeight,
    brokenHeaders: heads.slice(0, 5),
    details: document.querySelectorAll('details').length,
    wide: [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > WIDTH + 1
      && !e.closest('.scroll, .hash')).slice(0, 3).map((e) => e.tagName + '.' + e.className + ': '
      + e.textContent.slice(0, 40)),
  };
})()"""

PRINT_PROBE = """(() => {
  window.dispatchEvent(new Event('beforeprint'));
  const closed = document.querySelectorAll('details:not([open])').length;
  window.dispatchEvent(new Event('afterprint'));
  return closed;
})()"""


class Browser:
    def __init__(self, chromium):
        self.profile = tempfile.mkdtemp(prefix="ga-chromium-")
        self.process = subprocess.Popen(
            [
                chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--hide-scrollbars", "--remote-debugging-port=0", "--remote-allow-origins=*",
                f"--user-data-dir={self.profile}", "about:blank",
            ],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        deadline = time.time() + 30
        while not os.path.exists(port_file) or os.path.getsize(port_file) == 0:
            if time.time() > deadline or self.process.poll() is not None:
                raise SystemExit("cdp_check: chromium did not start (no DevToolsActivePort)")
            time.sleep(0.1)
        with open(port_file) as f:
            port = f.readline().strip()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as response:
            targets = json.load(response)
        page = next(t for t in targets if t["type"] == "page")
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60, suppress_origin=True)
        self.next_id = 0
        self.events = []

    def call(self, method, **params):
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, method, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for index, event in enumerate(self.events):
                if event.get("method") == method:
                    del self.events[index]
                    return event
            self.socket.settimeout(max(0.1, deadline - time.time()))
            self.events.append(json.loads(self.socket.recv()))
        raise RuntimeError(f"timed out waiting for {method}")

    def drain(self, seconds):
        deadline = time.time() + seconds
        self.socket.settimeout(0.1)
        while time.time() < deadline:
            try:
                self.events.append(json.loads(self.socket.recv()))
            except websocket.WebSocketTimeoutException:
                pass
        self.socket.settimeout(60)

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"probe failed: {result['exceptionDetails']}")
        return result["result"]["value"]

    def close(self):
        try:
            self.socket.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            shutil.rmtree(self.profile, ignore_errors=True)


def problems_in(events):
    """Console errors, exceptions and CSP violations among the collected events."""
    found = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            text = " ".join(str(arg.get("value", arg.get("description", ""))) for arg in params.get("args", []))
            found.append(f"console {params['type']}: {text}")
        elif method == "Runtime.exceptionThrown":
            found.append(f"exception: {params['exceptionDetails'].get('text')}")
        elif method == "Log.entryAdded":
            entry = params["entry"]
            if entry.get("level") == "error" or "Content Security Policy" in entry.get("text", ""):
                found.append(f"log {entry.get('source')}/{entry.get('level')}: {entry.get('text')}")
    return found


def check(browser, path, shots):
    name = os.path.basename(path).removesuffix(".html")
    if os.path.basename(os.path.dirname(os.path.abspath(path))) == "dashboard":
        name = "dashboard-1000x60." + name
    failures, rows = [], []
    for width, height, mobile in WIDTHS:
        browser.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1,
                     mobile=mobile)
        browser.events.clear()
        started = time.time()
        browser.call("Page.navigate", url="file://" + os.path.abspath(path))
        browser.wait_for("Page.loadEventFired")
        load_seconds = time.time() - started
        browser.drain(0.5)
        probe = browser.evaluate(PROBE.replace("WIDTH", str(width)))
        where = f"{name} @ {width}px"
        failures += [f"{where}: {p}" for p in problems_in(browser.events)]
        # A phone widens its layout viewport to fit content that overflows, so both widths are checked.
        if probe["pageWidth"] > width or probe["windowWidth"] != width:
            failures.append(f"{where}: page is {probe['pageWidth']} px wide (layout {probe['windowWidth']} px) "
                            f"in a {width} px window; too wide: {probe['wide']}")
        if probe["brokenHeaders"]:
            failures.append(f"{where}: headers broken over lines: {probe['brokenHeaders']}")
        if probe["dashboard"]:
            if not probe["scriptRan"]:
                failures.append(f"{where}: the inline script did not run (CSP hash mismatch?)")
            closed = browser.evaluate(PRINT_PROBE)
            if closed:
                failures.append(f"{where}: {closed} <details> stay closed when printing")
        elif probe["scripts"]:
            failures.append(f"{where}: {probe['scripts']} script(s) in a page that must have none")
        shot = browser.call("Page.captureScreenshot", format="png")
        with open(os.path.join(shots, f"{name}.{width}.png"), "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        full_height = min(probe["height"], 4000)
        full = browser.call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                            clip={"x": 0, "y": 0, "width": width, "height": full_height, "scale": 1})
        with open(os.path.join(shots, f"{name}.{width}.top.png"), "wb") as f:
            f.write(base64.b64decode(full["data"]))
        # The first section with something to read, as a reader scrolling to it sees it.
        if browser.evaluate("(() => { const s = document.querySelector('section.res details[open], body > div');"
                            " if (!s) { return false; } s.scrollIntoView(); return true; })()"):
            shot = browser.call("Page.captureScreenshot", format="png")
            with open(os.path.join(shots, f"{name}.{width}.section.png"), "wb") as f:
                f.write(base64.b64decode(shot["data"]))
        rows.append((where, os.path.getsize(path), load_seconds, probe["height"]))
    return failures, rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    parser.add_argument("--screenshots", required=True)
    parser.add_argument("pages", nargs="+")
    args = parser.parse_args()
    os.makedirs(args.screenshots, exist_ok=True)
    browser = Browser(args.chromium)
    failures, rows = [], []
    try:
        browser.call("Page.enable")
        browser.call("Runtime.enable")
        browser.call("Log.enable")
        for page in args.pages:
            page_failures, page_rows = check(browser, page, args.screenshots)
            failures += page_failures
            rows += page_rows
    finally:
        browser.close()
    print(f"{'page @ width':58} {'bytes':>9} {'load':>7} {'height':>8}")
    for where, size, seconds, height in rows:
        print(f"{where:58} {size:>9} {seconds:>6.2f}s {height:>7}px")
    print(f"screenshots: {args.screenshots}")
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    checked = len(rows)
    print(f"browser: {checked - len({f.split(':')[0] for f in failures})} passed, "
          f"{len({f.split(':')[0] for f in failures})} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
