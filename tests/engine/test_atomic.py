"""Atomic writes: long names, symbolic links, leftovers of killed saves, errors naming the user's path."""
import errno
import os
import time

import pytest

from engine.atomic import ABANDONED_S, STALE_S, TEMP_PREFIX, atomic_path, remove_stale_temp_files


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


def _leftover(folder, pid, age, suffix="abcd1234"):
    """A temporary file as a save killed ``age`` seconds ago by process ``pid`` would leave."""
    p = folder / f"{TEMP_PREFIX}{pid}-{suffix}.tmp"
    p.write_text("half")
    t = time.time() - age
    os.utime(p, (t, t))
    return p


DEAD = 2**22 + 12345                     # above the largest pid Linux gives: never running


def test_only_stale_leftovers_of_ours_are_removed_by_the_next_save(tmp_path):
    old_dead = _leftover(tmp_path, DEAD, STALE_S + 5)
    fresh_dead = _leftover(tmp_path, DEAD, 5, "fresh123")                  # maybe another machine's save
    old_live = _leftover(tmp_path, os.getppid(), STALE_S + 5)                # its process still runs
    abandoned = _leftover(tmp_path, os.getppid(), ABANDONED_S + 5, "reused12")   # a reused pid
    others = [tmp_path / n for n in (".bplens-notes.tmp", f"{TEMP_PREFIX}{DEAD}-abc.tmp",
                                     f"{TEMP_PREFIX}{DEAD}-abcd1234.tmp.bak", f"x{TEMP_PREFIX}{DEAD}-abcd1234.tmp")]
    for p in others:
        p.write_text("keep")
        os.utime(p, (0, 0))
    save(tmp_path / "s.txt", "x")
    left = set(os.listdir(tmp_path))
    assert old_dead.name not in left and abandoned.name not in left
    assert {fresh_dead.name, old_live.name, "s.txt", *(p.name for p in others)} == left


def test_links_and_folders_with_our_name_are_left_alone(tmp_path):
    elsewhere = tmp_path / "precious"
    elsewhere.write_text("keep")
    link = tmp_path / f"{TEMP_PREFIX}{DEAD}-link1234.tmp"
    link.symlink_to(elsewhere)
    os.utime(link, (0, 0), follow_symlinks=False)
    folder = tmp_path / f"{TEMP_PREFIX}{DEAD}-fold1234.tmp"
    folder.mkdir()
    os.utime(folder, (0, 0))
    assert remove_stale_temp_files(tmp_path) == []
    assert link.is_symlink() and folder.is_dir() and elsewhere.read_text() == "keep"


def test_the_age_is_what_decides(tmp_path):
    p = _leftover(tmp_path, DEAD, 0)
    now = os.stat(p).st_mtime
    assert remove_stale_temp_files(tmp_path, now=now + STALE_S - 1) == [] and p.exists()
    assert remove_stale_temp_files(tmp_path, now=now + STALE_S + 1) == [p.name] and not p.exists()


def test_an_unreadable_folder_is_left_alone(tmp_path):
    assert remove_stale_temp_files(tmp_path / "missing") == []
