"""scripts/gallery.py makes the README's pictures with the snapshot command: each of its session
files opens, and a picture it makes has the gallery's size."""
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6 import QtGui

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_gallery_script_makes_its_pictures(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "gallery.py"), "--out", str(tmp_path),
                           "--only", "lecture-forward", "comparison"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    for name in ("lecture-forward", "comparison"):
        image = QtGui.QImage(str(tmp_path / f"{name}.png"))
        assert (image.width(), image.height()) == (1280, 720), name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["comparison.png", "lecture-forward.png"]
