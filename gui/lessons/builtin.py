"""The built-in lessons: ``.bplesson`` files in ``assets/lessons/``, read by the same code as a
lecturer's own.  ``builtin_lessons()`` (name → title, in teaching order) is what Presets → Lessons and
``--lesson NAME`` offer; the titles are read from the files themselves."""
from __future__ import annotations

import functools
import tomllib
from pathlib import Path

from engine.datasets import assets_dir
from gui.lessons.lesson_file import SUFFIX

ORDER = ("mazur", "matrix-form", "jacobians", "differentials", "vanishing")


def builtin_folder() -> Path:
    """The folder of the built-in lessons (inside the app: read-only once installed)."""
    return assets_dir() / "lessons"


def builtin_path(name: str) -> Path:
    if name not in ORDER:
        raise ValueError(f"unknown lesson {name!r}; built-in lessons: {', '.join(ORDER)}")
    return builtin_folder() / f"{name}{SUFFIX}"


@functools.cache
def builtin_lessons() -> dict[str, str]:
    """name → title of every built-in lesson, in teaching order (read from the files, once)."""
    titles = {}
    for name in ORDER:
        with open(builtin_path(name), "rb") as f:
            titles[name] = tomllib.load(f)["title"]
    return titles
