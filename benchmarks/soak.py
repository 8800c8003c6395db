"""Soak test: live training with the main window shown for a long time, watching memory.

    .venv/bin/python benchmarks/soak.py [--minutes 60] [--config 10-32-32-10] [--interval 30] [--examples 4096]

The window trains (session.play(), redrawing live); at every sample it pauses, animates a few
micro-steps of an example (the graph's animation path), and resumes.  Every ``--interval`` seconds
it prints one line (flushed): elapsed time, resident memory (VmRSS from /proc/self/status), steps,
the history's sizes and the checkpoints' bytes.  The summary gives the memory growth after the
warm-up (the first 2 minutes, or half of a shorter run) in %, the largest history length beside
its documented bound (engine/history.py History.MAX_STEPS / MAX_EPOCHS) and the checkpoints' bytes
beside their budget (Trainer.replay.max_checkpoint_bytes).

Target: memory growth after warm-up < 10 %; history and checkpoints within their bounds.
Qt runs offscreen when there is no DISPLAY; settings go to a throwaway XDG_CONFIG_HOME.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="bplens-soak-")

import gui.cli.app  # noqa: E402,F401  (the app's process settings, e.g. one BLAS thread, before NumPy loads)
import numpy as np  # noqa: E402
from PySide6 import QtCore, QtWidgets  # noqa: E402

GROWTH_TARGET = 10.0   # %
WARMUP_S = 120.0


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def soak_config(name: str, n: int = 4096) -> dict:
    """A run that never finishes: ``n`` random examples and the most epochs allowed (a small ``n``
    fills the epoch history, bounded at History.MAX_EPOCHS records, within minutes)."""
    from engine import get_preset
    from engine.config import MAX_EPOCHS
    if name == "mazur":
        cfg = get_preset("mazur").to_dict()
        cfg["epochs"] = MAX_EPOCHS
        return cfg
    sizes = [int(n) for n in name.split("-")]
    rng = np.random.default_rng(0)
    X = rng.random((n, sizes[0])).round(4)
    Y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], n)]
    return dict(sizes=sizes, activation="sigmoid", loss="half_sse", optimizer="sgd", eta=0.1, batch_size=1,
                epochs=MAX_EPOCHS, seed=0,
                dataset={"name": "custom", "title": "soak", "kind": "classification",
                         "X": X.tolist(), "Y": Y.tolist()})


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=60.0)
    ap.add_argument("--config", default="10-32-32-10", help="mazur, or layer sizes such as 10-32-32-10")
    ap.add_argument("--interval", type=float, default=30.0, help="seconds between samples")
    ap.add_argument("--examples", type=int, default=4096,
                    help="training examples of the generated data set (fewer: epochs, and epoch records, pile up faster)")
    args = ap.parse_args(argv)

    from engine import RunConfig
    from engine.history import History
    from gui.shell.main_window import MainWindow
    from gui.session import Session
    from gui.theme import configure_pyqtgraph

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([sys.argv[0]])
    app.setStyle("Fusion")
    configure_pyqtgraph()
    session = Session("mazur")
    window = MainWindow(session)
    window.show()
    if not session.apply_config(RunConfig.from_dict(soak_config(args.config, args.examples))):
        raise SystemExit(f"could not build {args.config}")
    total_s, warmup_s = args.minutes * 60.0, min(WARMUP_S, args.minutes * 60.0 / 2.0)
    samples: list[dict] = []
    t_start = time.perf_counter()
    loop = QtCore.QEventLoop()

    def wait(seconds: float) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 20)

    def animate_a_little() -> None:
        session.stop()
        for _ in range(4):
            if session.stepper.index >= session.stepper.last:
                break
            session.next_step()
            wait(0.65)
        session.play()

    def sample() -> None:
        t = time.perf_counter() - t_start
        tr, h = session.trainer, session.history
        ck_bytes = sum(c["nbytes"] for c in tr.replay.checkpoints.values())
        row = dict(t=t, rss=rss_mb(), steps=tr.step_count, hist=len(h.step_losses), epochs=len(h.epochs),
                   ck=len(tr.replay.checkpoints), ck_bytes=ck_bytes, ck_budget=tr.replay.max_checkpoint_bytes,
                   playing=session.playing, frames=window.graph.frame_count)
        prev = samples[-1] if samples else None
        rate = (row["steps"] - prev["steps"]) / (t - prev["t"]) if prev else float("nan")
        samples.append(row)
        print(f"{t / 60:7.2f} min  RSS {row['rss']:8.1f} MB  steps {row['steps']:>10,}  ({rate:7.0f}/s)  "
              f"history {row['hist']:>7,} steps / {row['epochs']:>6,} epochs  checkpoints {row['ck']:>5} "
              f"= {ck_bytes / 2**20:6.1f} MiB  graph frames {row['frames']:>7,}", flush=True)
        if t >= total_s:
            loop.quit()
            return
        if session.divergence is not None:
            raise SystemExit(f"training diverged: {session.divergence}")
        animate_a_little()
        if not session.playing:
            raise SystemExit("training stopped by itself")

    timer = QtCore.QTimer()
    timer.setInterval(int(args.interval * 1000))
    timer.timeout.connect(sample)
    print(f"soak: {args.config} on {args.examples:,} examples, {args.minutes:g} min, a sample every {args.interval:g} s, warm-up {warmup_s:.0f} s, "
          f"QT_QPA_PLATFORM={os.environ.get('QT_QPA_PLATFORM', '(default)')}", flush=True)
    sample()
    timer.start()
    loop.exec()
    timer.stop()
    session.stop()

    after = [s for s in samples if s["t"] >= warmup_s]
    base = after[0]["rss"] if after else samples[-1]["rss"]
    peak = max(s["rss"] for s in after) if after else base
    growth = 100.0 * (peak - base) / base
    max_hist = max(s["hist"] for s in samples)
    max_epochs = max(s["epochs"] for s in samples)
    max_ck = max(s["ck_bytes"] for s in samples)
    budget = samples[-1]["ck_budget"]
    ok = {"growth": growth < GROWTH_TARGET, "hist": max_hist <= History.MAX_STEPS,
          "epochs": max_epochs <= History.MAX_EPOCHS, "ck": max_ck <= budget}
    verdict = lambda k: "PASS" if ok[k] else "MISS"   # noqa: E731
    print()
    print(f"| soak {args.config} on {args.examples:,} examples, {args.minutes:g} min | value | bound / target | result |")
    print("|---|---|---|---|")
    print(f"| RSS growth after warm-up ({base:.1f} → peak {peak:.1f} MB) | {growth:+.1f} % | < {GROWTH_TARGET:.0f} % "
          f"| {verdict('growth')} |")
    print(f"| largest history (per-step points) | {max_hist:,} | History.MAX_STEPS = {History.MAX_STEPS:,} | {verdict('hist')} |")
    print(f"| largest history (epoch records) | {max_epochs:,} | History.MAX_EPOCHS = {History.MAX_EPOCHS:,} | {verdict('epochs')} |")
    print(f"| checkpoints | {max_ck / 2**20:.1f} MiB | budget {budget / 2**20:.0f} MiB | {verdict('ck')} |")
    print(f"| steps trained | {samples[-1]['steps']:,} | | |")
    window.close()
    return dict(growth=growth, max_hist=max_hist, max_ck=max_ck, ok=all(ok.values()))


if __name__ == "__main__":
    sys.exit(0 if main()["ok"] else 1)
