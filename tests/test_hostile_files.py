"""Every file of the hostile corpus (tests/hostile_corpus.py) opened through the entry points a
user has, File → Open (``FileActions.open_path``) and ``backprop-lens export --session``, in a
child process whose address space is capped: each must be refused cleanly ("Could not open
FILE: …", exit code 2 and one line, no traceback, no MemoryError) or load correctly (the loaded run
steps, and its view settings are within their declared ranges).  The child reports its peak
memory; the README quotes the corpus size and that figure."""
import json
import os
import subprocess
import sys
from pathlib import Path

from helpers import ROOT
from hostile_corpus import build
HEADROOM = 1536 * 2**20          # address space the child may add after start-up (a bomb needs GiBs)

_CHILD = r"""
import contextlib, io, json, os, resource, sys
from PySide6 import QtWidgets
from engine.trainer import Diverged
from gui.cli.parse import run_cli
from gui.errors import ErrorReporter
from gui.session import Session
from gui.view_settings import ViewSettings
from gui.shell.file_actions import FileActions
from gui.theme import configure_pyqtgraph

app = QtWidgets.QApplication([])
configure_pyqtgraph()
session, host = Session("mazur"), QtWidgets.QWidget()
actions = FileActions(session, host)
reporter = ErrorReporter(host, show_dialog=False)
errors = []
session.error.connect(errors.append)
import engine.numbers_export, gui.cli.export                       # imported before the cap

def vm() -> int:
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) * 1024 for l in f if l.startswith("VmSize:"))

limit = vm() + int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
out = sys.argv[3]
for path, expect in json.loads(open(sys.argv[1]).read()):
    r = {"path": path, "expect": expect}
    errors.clear()
    before = session.run
    try:
        r["gui"] = actions.open_path(path)
        r["gui_message"] = errors[-1] if errors else ""
        r["kept"] = session.run is before
        if r["gui"]:
            s = session.settings                               # every value passes its declaration
            r["view_ok"] = all(d.check(getattr(s, d.name)) == getattr(s, d.name) for d in ViewSettings.declared())
            try:
                session.run.trainer.step()
                session.run.stepper.view()
                r["steps"] = True
            except Diverged:
                r["steps"] = True
    except BaseException as e:
        r["gui_crash"] = f"{type(e).__name__}: {e}"[:300]
    if actions.last_message is not None:
        actions.last_message.close()
        actions.last_message = None
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            r["cli"] = run_cli(["export", "--session", path, "--npz", out])
    except BaseException as e:
        r["cli_crash"] = f"{type(e).__name__}: {e}"[:300]
    r["cli_err"] = err.getvalue()
    r["rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps(r), flush=True)
app.processEvents()
print(json.dumps({"reported": [m for m, _ in reporter.reported],
                  "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                  "limit": limit}), flush=True)
"""


def test_every_hostile_file_is_refused_cleanly_or_loads_correctly(tmp_path):
    corpus = build(tmp_path / "corpus")
    listing = tmp_path / "corpus.json"
    listing.write_text(json.dumps([(str(p), e) for p, e in corpus]))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.run([sys.executable, "-c", _CHILD, str(listing), str(HEADROOM), str(tmp_path / "out.npz")],
                           capture_output=True, text=True, env=env, timeout=600)
    lines = [json.loads(line) for line in child.stdout.splitlines() if line.startswith("{")]
    assert child.returncode == 0 and len(lines) == len(corpus) + 1, child.stderr[-3000:]
    summary, results = lines[-1], lines[:-1]
    assert summary["reported"] == []                       # no uncaught exception reached the hook
    problems = []
    for r in results:
        path, expect = r["path"], r["expect"]
        shown = Path(path).name
        if "gui_crash" in r or "cli_crash" in r:
            problems.append(f"{shown}: crashed {r.get('gui_crash') or r.get('cli_crash')}")
            continue
        loaded = r["gui"]
        if loaded != (r["cli"] == 0):
            problems.append(f"{shown}: window {'opened' if loaded else 'refused'}, command line exit {r['cli']}")
        if expect == "load" and not loaded:
            problems.append(f"{shown}: should load, got {r['gui_message']}")
        if expect == "refuse" and loaded:
            problems.append(f"{shown}: should be refused but loaded")
        if loaded and not (r.get("steps") and r.get("view_ok")):
            problems.append(f"{shown}: loaded but does not work (steps {r.get('steps')}, view {r.get('view_ok')})")
        if not loaded:
            if not (r["gui_message"].startswith(f"Could not open {path}: ") and r["kept"]):
                problems.append(f"{shown}: window message {r['gui_message'][:200]!r}, run kept {r['kept']}")
            err = r["cli_err"]
            if not (r["cli"] == 2 and err.startswith(f"backprop-lens: error: could not open {path}: ")
                    and err.count("\n") == 1 and "Traceback" not in err):
                problems.append(f"{shown}: command line exit {r['cli']}, stderr {err[:300]!r}")
    assert not problems, "\n".join(problems)
    refused = sum(not r["gui"] for r in results)
    rises = sorted((b["rss"] - a["rss"], Path(b["path"]).name) for a, b in zip(results, results[1:]))[-3:]
    print("largest rises of the peak:", ", ".join(f"{n} +{d / 2**20:.0f} MiB" for d, n in rises))
    print(f"\nhostile corpus: {len(results)} files, {refused} refused, {len(results) - refused} loaded; "
          f"peak RSS {summary['peak_rss'] / 2**20:.0f} MiB ({results[0]['rss'] / 2**20:.0f} MiB after opening the "
          f"first file) under an address-space cap of {summary['limit'] / 2**20:.0f} MiB")
    assert 100 <= refused < len(results)


def test_a_hostile_launch_argument_leaves_the_app_running(tmp_path):
    bad = tmp_path / "deep.bplens"
    bad.write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00" + b"[" * 16)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen", "BACKPROP_LENS_STARTUP_PROBE": "1"}
    r = subprocess.run([sys.executable, "-m", "gui", str(bad)], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0 and "startup_s" in r.stdout, r.stderr[-2000:]
    assert "Traceback" not in r.stderr
