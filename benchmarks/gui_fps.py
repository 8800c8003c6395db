"""GUI speed: frames per second of the whole main window while the graph animates, training steps
per second with the window live beside headless training, and the event loop's worst gap while
training — at 2-2-2 (Mazur), 10-32-32-10 and 784-64-10, all measured side by side in one run.

    .venv/bin/python benchmarks/gui_fps.py [--seconds 1.0] [--rounds 3]

- fps: one frame = let the event loop run once (the animation clock, signals) + ``window.repaint()``
  (synchronous: every widget of the shown window paints).  Micro-steps are stepped forward whenever
  the previous animation has ended, so the graph animates all the time.  Beside it, pyqtgraph's own
  ceiling: a GraphicsLayoutWidget of the window's size with three ImageItems (new data each frame,
  the shape of the config's first weight matrix) and a 2 000-point curve, repainted the same way.
- training: ``session.play()`` with the window shown, steps counted over a few seconds of event
  loop, beside ``Run.trainer.run`` in a loop for the same time (a fresh Run of the same config).
  A 10 ms QTimer records the longest interval between its firings while training.
Rounds alternate the candidates; medians are reported.  Qt runs offscreen when there is no
DISPLAY (Xvfb works too); settings go to a throwaway XDG_CONFIG_HOME.

Targets: ≥ 60 fps at lecture sizes (2-2-2), ≥ 30 fps at 10-32-32-10, ≥ 20 fps at 784-64-10;
training with the window ≥ 80 % of headless; worst event-loop gap ≤ 50 ms.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="bplens-bench-")

import gui.cli.app  # noqa: E402,F401  (the app's process settings, e.g. one BLAS thread, before NumPy loads)
import numpy as np  # noqa: E402
from PySide6 import QtCore  # noqa: E402

from common import open_window  # noqa: E402

FPS_TARGETS = {"2-2-2 (mazur)": 60.0, "10-32-32-10": 30.0, "784-64-10": 20.0}
TRAIN_RATIO_TARGET = 0.80
GAP_TARGET_MS = 50.0
EPOCHS = 100_000       # never finishes during the benchmark


def _custom(sizes, n, seed, batch_size, eta, scale=1.0) -> dict:
    rng = np.random.default_rng(seed)
    X = (rng.random((n, sizes[0])) * scale).round(4)
    Y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], n)]
    return dict(sizes=sizes, activation="sigmoid", loss="half_sse", optimizer="sgd", eta=eta,
                batch_size=batch_size, epochs=EPOCHS, seed=seed,
                dataset={"name": "custom", "title": f"random {sizes[0]}→{sizes[-1]}", "kind": "classification",
                         "X": X.tolist(), "Y": Y.tolist()})


def configs() -> dict:
    from engine import get_preset
    mazur = get_preset("mazur").to_dict()
    mazur["epochs"] = EPOCHS
    return {"2-2-2 (mazur)": mazur,
            "10-32-32-10": _custom([10, 32, 32, 10], 200, 1, 10, 0.5),
            "784-64-10": _custom([784, 64, 10], 200, 2, 10, 0.1)}


class Bench:
    def __init__(self):
        self.app, self.session, self.window = open_window((1600, 1000))
        self._spin(0.3)
        self._ceiling = None

    def _spin(self, seconds: float) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            self.app.processEvents()

    # -- frames --------------------------------------------------------------------------------
    def _advance(self) -> None:
        s = self.session
        if s.stepper.index >= s.stepper.last:
            s.next_example()
        s.next_step()

    def window_fps(self, seconds: float) -> tuple[float, float]:
        """(frames per second, fraction of frames drawn mid-animation)."""
        graph, n, animating = self.window.graph, 0, 0
        painted0 = graph.frame_count
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            if not graph.animating:
                self._advance()
            self.app.processEvents()
            animating += graph.animating
            self.window.repaint()
            n += 1
        dt = time.perf_counter() - t0
        assert graph.frame_count - painted0 >= n, "the graph did not paint on every frame"
        return n / dt, animating / max(n, 1)

    def build_ceiling(self, shape) -> None:
        import pyqtgraph as pg
        if self._ceiling is not None:
            self._ceiling[0].close()
        w = pg.GraphicsLayoutWidget()
        w.resize(self.window.size())
        images = []
        for c in range(3):
            plot = w.addPlot(row=0, col=c)
            img = pg.ImageItem(axisOrder="row-major")
            plot.addItem(img)
            images.append(img)
        curve = w.addPlot(row=1, col=0, colspan=3).plot(pen=pg.mkPen("#1f4e99", width=1.5))
        rng = np.random.default_rng(0)
        data = [rng.standard_normal(shape) for _ in range(8)]
        x = np.arange(2000, dtype=float)
        ys = [np.cumsum(rng.standard_normal(2000)) for _ in range(8)]
        w.show()
        self._ceiling = (w, images, curve, data, x, ys)
        self._spin(0.1)

    def ceiling_fps(self, seconds: float) -> float:
        w, images, curve, data, x, ys = self._ceiling
        n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            for k, img in enumerate(images):
                img.setImage(data[(n + k) % len(data)], autoLevels=False, levels=(-2.0, 2.0))
            curve.setData(x, ys[n % len(ys)])
            self.app.processEvents()
            w.repaint()
            n += 1
        return n / (time.perf_counter() - t0)

    # -- training --------------------------------------------------------------------------------
    def gui_training(self, seconds: float) -> tuple[float, float]:
        """(steps per second while playing with the window shown, worst 10 ms-timer gap in ms)."""
        s = self.session
        gaps, last = [], [None]

        def tick():
            now = time.perf_counter()
            if last[0] is not None:
                gaps.append(now - last[0])
            last[0] = now

        probe = QtCore.QTimer()
        probe.setInterval(10)
        probe.timeout.connect(tick)
        probe.start()
        self._spin(0.05)
        steps0, t0 = s.trainer.step_count, time.perf_counter()
        s.play()
        loop = QtCore.QEventLoop()
        QtCore.QTimer.singleShot(int(seconds * 1000), loop.quit)
        gaps.clear()
        loop.exec()
        steps, dt = s.trainer.step_count - steps0, time.perf_counter() - t0
        s.stop()
        probe.stop()
        if not s.divergence is None:
            raise RuntimeError(f"training diverged: {s.divergence}")
        return steps / dt, 1000.0 * max(gaps, default=float("nan"))

    @staticmethod
    def headless_training(run, seconds: float) -> float:
        trainer, chunk = run.trainer, 10
        steps0, t0 = trainer.step_count, time.perf_counter()
        while (dt := time.perf_counter() - t0) < seconds:
            trainer.run(chunk)
            if dt < seconds / 20:
                chunk = min(chunk * 2, 10_000)
        return (trainer.step_count - steps0) / (time.perf_counter() - t0)


def main(argv=None) -> list[tuple]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=1.0, help="seconds per frame-rate sample (training: 2×)")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    from engine import RunConfig
    from engine.run import Run

    bench = Bench()
    rows = []
    size = bench.window.size()
    print(f"main window {size.width()}×{size.height()}, QT_QPA_PLATFORM={os.environ.get('QT_QPA_PLATFORM', '(default)')}, "
          f"{os.cpu_count()} CPUs, {args.rounds} rounds, medians", flush=True)
    for name, cfg in configs().items():
        config = RunConfig.from_dict(cfg)
        if not bench.session.apply_config(config):
            raise RuntimeError(f"could not build {name}")
        bench.build_ceiling(bench.session.net.W[0].shape)
        bench.window.activateWindow()
        bench._spin(0.1)
        win, anim, ceil = [], [], []
        for _ in range(args.rounds):
            fps, frac = bench.window_fps(args.seconds)
            win.append(fps)
            anim.append(frac)
            ceil.append(bench.ceiling_fps(args.seconds))
        bench.session.apply_config(config)              # a fresh start for training
        run = Run(RunConfig.from_dict(cfg))
        gui, head, gap = [], [], []
        for _ in range(args.rounds):
            rate, worst = bench.gui_training(2 * args.seconds)
            gui.append(rate)
            gap.append(worst)
            head.append(bench.headless_training(run, 2 * args.seconds))
        fps, c = statistics.median(win), statistics.median(ceil)
        g, h = statistics.median(gui), statistics.median(head)
        worst = max(gap)
        rows.append((name, fps, c, statistics.median(anim), g, h, worst))
        print(f"  {name}: window {' '.join(f'{v:.1f}' for v in win)} fps (animating {100 * statistics.median(anim):.0f} % "
              f"of frames), ceiling {' '.join(f'{v:.1f}' for v in ceil)} fps; training window "
              f"{' '.join(f'{v:.0f}' for v in gui)} / headless {' '.join(f'{v:.0f}' for v in head)} steps/s; "
              f"worst gaps {' '.join(f'{v:.0f}' for v in gap)} ms", flush=True)
    if bench._ceiling is not None:
        bench._ceiling[0].close()

    def verdict(ok: bool) -> str:
        return "PASS" if ok else "MISS"

    print()
    print(f"| {'measure':<34} | {'Backprop Lens':>14} | {'reference (same run)':>28} | {'ratio':>6} | {'target':>9} | result |")
    print(f"|{'-' * 36}|{'-' * 16}|{'-' * 30}|{'-' * 8}|{'-' * 11}|--------|")
    for name, fps, c, _, g, h, worst in rows:
        t = FPS_TARGETS[name]
        print(f"| {'window fps while animating, ' + name:<34} | {fps:10.1f} fps | {'pyqtgraph ceiling ' + f'{c:.1f} fps':>28} "
              f"| {fps / c:6.2f} | {'≥ ' + f'{t:.0f} fps':>9} | {verdict(fps >= t):<6} |")
    for name, fps, c, _, g, h, worst in rows:
        print(f"| {'training steps/s, ' + name:<34} | {g:14.0f} | {'headless ' + f'{h:.0f}':>28} "
              f"| {g / h:6.3f} | {'≥ ' + f'{TRAIN_RATIO_TARGET:.0%}':>9} | {verdict(g / h >= TRAIN_RATIO_TARGET):<6} |")
    for name, fps, c, _, g, h, worst in rows:
        print(f"| {'worst event-loop gap, ' + name:<34} | {worst:11.1f} ms | {'(10 ms timer)':>28} "
              f"| {'':>6} | {'≤ ' + f'{GAP_TARGET_MS:.0f} ms':>9} | {verdict(worst <= GAP_TARGET_MS):<6} |")
    bench.window.close()
    return rows


if __name__ == "__main__":
    main()
