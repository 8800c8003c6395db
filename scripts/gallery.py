"""Remake the README's gallery (docs/screenshots/*.png) at 1280×720 with the snapshot command.

    .venv/bin/python scripts/gallery.py [--out docs/screenshots] [--only NAME ...]

Every picture is made by ``backprop-lens snapshot --size 1280x720`` exactly as a user would run it;
the ones that need view settings (the derivation as the companion, the Training layout, a
comparison run) start from a session file written here with the engine's own ``save_session``.
The user's preferences are not read: the pictures have the defaults (light theme, zoom 0), whatever
this machine's settings are.  Look at each picture at full size before committing it.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.presets import get_preset          # noqa: E402 (after the path)
from engine.run import Run                     # noqa: E402
from engine.session_file import save_session   # noqa: E402

SIZE = "1280x720"


def _session(folder: Path, name: str, preset: str, view: dict, compare: dict | None = None,
             compare_label: str = "") -> Path:
    """A session file of ``preset`` with ``view`` settings (and a comparison run from the same initial
    weights with the ``compare`` setting changed, as Compare → … makes it)."""
    run = Run(get_preset(preset))
    other = None
    if compare is not None:
        W, b = run.initial_params
        other = Run(run.config.replace(**compare, W=[w.tolist() for w in W], b=[v.tolist() for v in b]))
    path = folder / f"{name}.bplens"
    save_session(path, run, other, compare_label, view_settings=view)
    return path


def pictures(folder: Path) -> dict[str, list[str]]:
    """Each picture's snapshot arguments (besides --size and --out)."""
    return {
        "lecture-forward": ["--preset", "mazur", "--micro-step", "4"],
        "lecture-backward": ["--preset", "mazur", "--micro-step", "10"],
        "lecture-update": ["--preset", "mazur", "--micro-step", "13"],
        "lecture-derivation": ["--session", str(_session(folder, "derivation", "diagram", {"companion": "derivation"})),
                               "--micro-step", "10"],
        "training-layout": ["--session", str(_session(folder, "training", "spirals", {"layout": "training"})),
                            "--steps", "3000"],
        "comparison": ["--session", str(_session(folder, "comparison", "xor", {"layout": "training"},
                                                 compare={"eta": 0.05}, compare_label="eta = 0.05")),
                       "--steps", "800", "--micro-step", "5"],
    }


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    p.add_argument("--only", nargs="*", help="make only these pictures (names without .png)")
    args = p.parse_args(argv)
    exe = Path(sys.executable).with_name("backprop-lens")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {**os.environ, "XDG_CONFIG_HOME": str(folder / "config"), "QT_QPA_PLATFORM": "offscreen"}
        for name, extra in pictures(folder).items():
            if args.only and name not in args.only:
                continue
            out = args.out / f"{name}.png"
            cmd = [str(exe), "snapshot", *extra, "--size", SIZE, "--out", str(out)]
            done = subprocess.run(cmd, env=env, capture_output=True, text=True)
            if done.returncode != 0:
                print(f"{name}: failed ({done.returncode}): {done.stderr.strip()}", file=sys.stderr)
                return done.returncode
            print(f"{name}: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
