"""Cold start of the app to a shown, interactive window, beside importing PySide6.QtWidgets and
pyqtgraph alone, each in fresh subprocesses, interleaved, median of N (default 5).

    .venv/bin/python benchmarks/startup.py [--runs 5]

The app is started as ``python -m gui`` with BACKPROP_LENS_STARTUP_PROBE=1: once the window is
shown and the event loop has handled its first events it prints the seconds since its process
started and quits (gui/cli/app.py).  The figure is that number (process start → interactive), not
including interpreter tear-down.  Settings go to a throwaway XDG_CONFIG_HOME; Qt runs offscreen
when there is no DISPLAY.  Byte code is cached in a temporary PYTHONPYCACHEPREFIX (as an installed
app has its .pyc files) and one unrecorded warm-up run of each fills it.

Target: ≤ 1.5 s.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 1.5


def _env(pycache: str) -> dict:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = pycache
    env["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="bplens-startup-")
    env["BACKPROP_LENS_STARTUP_PROBE"] = "1"
    if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def _probe_code() -> str:
    """Import the two libraries and print the seconds since the process started (as the app does)."""
    return ("import sys; sys.path.insert(0, %r); import PySide6.QtWidgets, pyqtgraph; "
            "from gui.cli.app import _since_process_start; print('startup_s %%.3f' %% _since_process_start())"
            % str(ROOT))


def measure(cmd: list[str], env: dict, timeout: float = 60.0) -> float:
    """Seconds from process start to the reported line (the process's own /proc-based figure)."""
    t0 = time.perf_counter()
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    wall = time.perf_counter() - t0
    for line in out.stdout.splitlines():
        if line.startswith("startup_s "):
            return float(line.split()[1])
    raise RuntimeError(f"{' '.join(cmd)} printed no startup_s (exit {out.returncode}, wall {wall:.2f} s):\n"
                       f"{out.stdout}\n{out.stderr}")


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    pycache = tempfile.mkdtemp(prefix="bplens-pycache-")
    cands = {"app (python -m gui) to interactive window": [sys.executable, "-m", "gui"],
             "import PySide6.QtWidgets + pyqtgraph only": [sys.executable, "-c", _probe_code()]}
    for cmd in cands.values():                       # warm-up: fills the byte-code cache
        measure(cmd, _env(pycache))
    samples = {name: [] for name in cands}
    for _ in range(args.runs):
        for name, cmd in cands.items():
            samples[name].append(measure(cmd, _env(pycache)))
    med = {name: statistics.median(v) for name, v in samples.items()}
    app, base = med.values()
    print(f"cold start, median of {args.runs} (python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
          f"QT_QPA_PLATFORM={_env(pycache).get('QT_QPA_PLATFORM', '(default)')})")
    print(f"{'what':<44} {'median s':>9}  {'runs':<34} {'target':>9}  result")
    for name, v in samples.items():
        runs = " ".join(f"{x:.2f}" for x in v)
        is_app = name.startswith("app")
        target = f"≤ {TARGET_S:.1f} s" if is_app else ""
        result = ("PASS" if med[name] <= TARGET_S else "MISS") if is_app else ""
        print(f"{name:<44} {med[name]:9.2f}  {runs:<34} {target:>9}  {result}")
    print(f"{'app − imports (our code + window)':<44} {app - base:9.2f}")
    return med


if __name__ == "__main__":
    main()
