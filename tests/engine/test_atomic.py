"""Atomic writes: long names, symbolic links, leftovers of killed saves, errors naming the user's path."""
import errno
import os

import pytest

from engine.atomic import TEMP_PREFIX, atomic_path


def save(path, text):
    with atomic_path(path) as tmp:
        tmp.write_text(text)


def test_a_name_as_long_as_the_file_system_allows(tmp_path):
    path = tmp_path / ("n" * 245 + ".bplens")
    assert len(os.fsencode(path.name)) == 252
    save(path, "x")
    assert path.read_text() == "x" and os.listdir(tmp_path) == [path.name]


def test_saving_to_a_symbolic_link_replaces_its_target(tmp_path):
    real = tmp_path / "real" / "lecture.bplens"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "link.bplens"
    link.symlink_to(real)
    save(link, "new")
    assert link.is_symlink() and real.read_text() == "new"
    assert os.listdir(real.parent) == ["lecture.bplens"]


def test_errors_name_the_users_path_not_the_temporary_file(tmp_path):
    path = tmp_path / "missing-folder" / "s.bplens"
    with pytest.raises(OSError) as info:
        save(path, "x")
    assert info.value.errno == errno.ENOENT and info.value.filename == str(path)
    assert TEMP_PREFIX not in str(info.value)


def test_an_error_inside_removes_the_temporary_file(tmp_path):
    path = tmp_path / "s.txt"
    path.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_path(path) as tmp:
            tmp.write_text("half")
            raise RuntimeError("killed")
    assert path.read_text() == "old" and os.listdir(tmp_path) == ["s.txt"]


def test_leftovers_of_dead_processes_are_removed_and_live_ones_kept(tmp_path):
    dead = tmp_path / f"{TEMP_PREFIX}{2**22 + 12345}-abc.tmp"     # above the largest pid Linux gives
    live = tmp_path / f"{TEMP_PREFIX}{os.getppid()}-abc.tmp"
    other = tmp_path / ".bplens-notes.tmp"
    for p in (dead, live, other):
        p.write_text("x")
    save(tmp_path / "s.txt", "x")
    assert sorted(os.listdir(tmp_path)) == sorted([live.name, other.name, "s.txt"])
