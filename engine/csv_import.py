"""Careful CSV reading for data set import (pure standard library + NumPy).

Every problem is reported as a ``ValueError`` whose message names the file,
the line (1-based, the header is line 1) and, where it makes sense, the
column by its header name, so the GUI can show it to the learner verbatim.
Files ending in ``.gz`` are transparently decompressed. Nothing is ever
evaluated: cells are only parsed with ``float``/``int``.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import os
import re
import stat
import zlib
from pathlib import Path

import numpy as np

from .dataset_type import check_values

MAX_CLASSES = 100  # more distinct labels than this is almost surely a numeric target
MAX_BYTES = 50_000_000     # of (decompressed) text
MAX_COLUMNS = 2_000
MAX_CELLS = 5_000_000      # rows × columns: 40 MB as float64, what a session file keeps of it


def _where(fname: str, line: int, column: str | None = None) -> str:
    place = f"{fname}, line {line}"
    return place if column is None else f"{place}, column {column!r}"


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """Read at most ``max_bytes`` (decompressed) bytes, else ValueError."""
    limit = f"{max_bytes:,} bytes"
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            kind = "a folder" if stat.S_ISDIR(st.st_mode) else "a device, pipe or socket"
            raise ValueError(f"{path.name}: cannot read file (it is {kind}, not a CSV file)")
        size = st.st_size
        if size > max_bytes:
            raise ValueError(f"{path.name}: file is too large ({size:,} bytes; limit {limit})")
        opener = gzip.open if path.name.lower().endswith(".gz") else open
        with opener(path, "rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as e:  # missing file, directory, permissions, bad gzip data
        raise ValueError(f"{path.name}: cannot read file ({e.strerror or e})") from e
    except (EOFError, zlib.error) as e:
        raise ValueError(f"{path.name}: damaged gzip file ({e})") from e
    if len(data) > max_bytes:
        raise ValueError(f"{path.name}: file is too large (more than {limit} of data)")
    return data


def _decode(data: bytes, fname: str) -> str:
    """UTF-8 decode (a leading BOM is dropped); errors name the line and column."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        start = data.rfind(b"\n", 0, e.start) + 1
        prefix = data[start:e.start].decode("utf-8", errors="replace")
        index = len(next(csv.reader([prefix]), [""])) - 1 if prefix else 0
        header = next(csv.reader([data.split(b"\n", 1)[0].decode("utf-8", errors="replace")]), [])
        column = header[index].strip() if line > 1 and index < len(header) else f"#{index + 1}"
        raise ValueError(
            f"{_where(fname, line, column)}: bytes that are not valid UTF-8 text "
            f"(byte {data[e.start]:#04x}); save the file as UTF-8 CSV") from None


def _check_header(header: list[str], fname: str) -> list[str]:
    names = [h.strip() for h in header]
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        if not name:
            raise ValueError(f"{_where(fname, 1, f'#{i + 1}')}: missing column name "
                             "(the first line must be a header naming every column)")
        if name in seen:
            raise ValueError(f"{_where(fname, 1, name)}: duplicate column name "
                             f"(columns {seen[name] + 1} and {i + 1} are both called {name!r})")
        seen[name] = i
    return names


def _check_width(fields: list[str], line: int, header: list[str], fname: str) -> None:
    if len(fields) < len(header):
        raise ValueError(f"{_where(fname, line, header[len(fields)])}: row has {len(fields)} "
                         f"values but the header has {len(header)} columns (value missing)")
    if len(fields) > len(header):
        raise ValueError(f"{_where(fname, line, header[-1])}: row has {len(fields)} values but the "
                         f"header has {len(header)} columns (extra value after the last column)")


class Cancelled(Exception):
    """Reading was cancelled (``cancelled()`` returned True)."""


class CsvTable:
    """A CSV file parsed once: everything needed to build a data set from any choice of columns
    without reading the file again.

    ``header``: the column names; ``values`` (n, columns) float64 with NaN where a cell is not a
    finite number; ``lines`` (n,) the file line of each row; ``problems[c]``: the message about the
    first cell of column c that is not a finite number (None if all are); ``classes[c]``: the
    distinct stripped texts of column c in order of appearance and ``codes[c]`` (n,) each row's
    index into them, kept while a column has at most MAX_CLASSES + 1 distinct values (class
    labels; None beyond); ``preview``: the first rows as stripped strings.

    Budgets: the file's (decompressed) bytes, at most ``max_columns`` columns and ``max_cells``
    values in all; over any of them reading stops with a ValueError saying which.
    """

    def __init__(self, fname: str, header: list[str]):
        self.fname, self.header = fname, header
        self.preview: list[list[str]] = []
        self.problems: list[str | None] = [None] * len(header)
        self.classes: list[dict | None] = [{} for _ in header]
        self._codes: list[list[int]] = [[] for _ in header]
        self._chunks: list[np.ndarray] = []
        self._lines: list[int] = []
        self._n = 0

    @property
    def n_rows(self) -> int:
        return self._n

    @classmethod
    def read(cls, path, max_bytes: int = MAX_BYTES, max_rows: int | None = None, max_cells: int = MAX_CELLS,
             max_columns: int = MAX_COLUMNS, preview_rows: int = 20, progress=None, cancelled=None) -> "CsvTable":
        """Parse ``path`` (``max_rows``: stop after that many data rows).  ``progress(done, total)``
        is called now and then (lines), ``cancelled()`` asked as often: True raises Cancelled."""
        path = Path(path)
        fname = path.name
        if not isinstance(max_bytes, int) or max_bytes < 1:
            raise ValueError(f"max_bytes must be a positive integer, not {max_bytes!r}")
        text = _decode(_read_bytes(path, max_bytes), fname)
        total = text.count("\n") + 1
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        table: CsvTable | None = None
        previous, chunk = 0, []
        try:
            for fields in reader:
                line, previous = previous + 1, reader.line_num
                if not any(field.strip() for field in fields):  # blank line or only commas
                    continue
                if table is None:
                    if len(fields) > max_columns:
                        raise ValueError(f"{fname}: the header names {len(fields):,} columns; at most "
                                         f"{max_columns:,} can be imported")
                    header = _check_header(fields, fname)
                    if (total - 1) * len(header) > 4 * max_cells:      # certainly too large: no need to parse it
                        raise ValueError(_too_many(fname, max_cells))
                    table = cls(fname, header)
                    continue
                if max_rows is not None and table.n_rows >= max_rows:
                    break
                _check_width(fields, line, table.header, fname)
                if (table.n_rows + 1) * len(table.header) > max_cells:
                    raise ValueError(_too_many(fname, max_cells))
                chunk.append(table._row(fields, line, preview_rows))
                if len(chunk) % 256 == 0:
                    if cancelled is not None and cancelled():
                        raise Cancelled()
                    if progress is not None:
                        progress(line, total)
                    if len(chunk) == 8192:
                        table._chunks.append(np.array(chunk))
                        chunk = []
        except csv.Error as e:
            raise ValueError(f"{_where(fname, reader.line_num)}: malformed CSV ({e})") from None
        if table is None:
            raise ValueError(f"{fname}: the file is empty (expected a header row and data rows)")
        if chunk:
            table._chunks.append(np.array(chunk))
        table.values = np.concatenate(table._chunks) if table._chunks else np.zeros((0, len(table.header)))
        table.lines = np.array(table._lines, dtype=np.int64)
        table.codes = [None if c is None else np.array(k, dtype=np.int16) for c, k in zip(table.classes, table._codes)]
        del table._chunks, table._lines, table._codes
        if progress is not None:
            progress(total, total)
        return table

    def _row(self, fields: list[str], line: int, preview_rows: int) -> list[float]:
        """One data row: its numbers (NaN for other cells); notes problems and class texts."""
        self._lines.append(line)
        self._n += 1
        if len(self.preview) < preview_rows:
            self.preview.append([f.strip() for f in fields])
        out = []
        for c, cell in enumerate(fields):
            try:
                v = float(cell)                       # float() ignores surrounding spaces
                if v - v != 0.0:                      # NaN or ±∞
                    raise ValueError
            except ValueError:
                v = math.nan
                if self.problems[c] is None:
                    try:
                        _number(cell, _where(self.fname, line, self.header[c]))
                    except ValueError as e:
                        self.problems[c] = str(e)
            out.append(v)
            known = self.classes[c]
            if known is not None:
                s = cell.strip()
                code = known.get(s)
                if code is None:
                    code = known[s] = len(known)
                    if code > MAX_CLASSES:            # too many for class labels: stop keeping them
                        self.classes[c] = self._codes[c] = None
                        continue
                self._codes[c].append(code)
        return out


def _too_many(fname: str, max_cells: int) -> str:
    return (f"{fname}: the file holds more than {max_cells:,} values (rows × columns); at most that many "
            "can be imported")


def read_table(path, max_bytes: int = 50_000_000, max_rows: int | None = None
               ) -> tuple[list[str], list[list[str]]]:
    """Header and the first ``max_rows`` rows (all when None, within the budgets) as stripped
    strings, every row checked to have exactly ``len(header)`` fields."""
    table = CsvTable.read(path, max_bytes, max_rows=max_rows, preview_rows=10**9 if max_rows is None else max_rows)
    return table.header, table.preview


def _resolve(spec, header: list[str], what: str) -> list[int]:
    """Column names or int indices (negative allowed) -> list of indices."""
    items = [spec] if isinstance(spec, (str, int, np.integer)) else spec
    if not isinstance(items, (list, tuple)):
        raise ValueError(f"{what} columns must be a list of names or indices, not {spec!r}")
    out: list[int] = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, (str, int, np.integer)):
            raise ValueError(f"{what} columns must be names or integer indices, not {item!r}")
        if isinstance(item, str):
            if item.strip() not in header:
                raise ValueError(f"no column named {item!r} (columns are: {', '.join(header)})")
            index = header.index(item.strip())
        else:
            if not -len(header) <= item < len(header):
                raise ValueError(f"{what} column index {item} is out of range "
                                 f"(the file has {len(header)} columns)")
            index = int(item) % len(header)
        if index in out:
            raise ValueError(f"column {header[index]!r} is listed twice as {what} column")
        out.append(index)
    if not out:
        raise ValueError(f"choose at least one {what} column")
    return out


def _number(cell: str, where: str) -> float:
    s = cell.strip()
    if not s:
        raise ValueError(f"{where}: empty cell (every cell needs a value)")
    try:
        value = float(s)
    except ValueError:
        raise ValueError(f"{where}: expected a number but found text {s[:40]!r}") from None
    if not math.isfinite(value):
        raise ValueError(f"{where}: {s[:40]!r} is not a finite number (NaN/infinity not allowed)")
    return value


def _numeric_matrix(table: CsvTable, cols: list[int]) -> np.ndarray:
    """(n_rows, len(cols)) float64 matrix of the chosen columns; the first bad cell (in file order)
    is named otherwise."""
    bad = [(table.problems[j], j) for j in cols if table.problems[j] is not None]
    if bad:
        first = min(bad, key=lambda p: int(re.search(r"line (\d+)", p[0]).group(1)))
        raise ValueError(first[0])
    return table.values[:, cols]


def _class_labels(table: CsvTable, col: int) -> tuple[np.ndarray, list[str]]:
    """Class column -> ((n,) int labels, sorted class names). Integer classes sort numerically."""
    fname, name = table.fname, table.header[col]
    if table.classes[col] is None:
        raise ValueError(f"{fname}, column {name!r}: found more than {MAX_CLASSES + 1} different classes; "
                         f"classification needs 2 to {MAX_CLASSES} (is it a numeric target? "
                         "then import it as regression)")
    texts = list(table.classes[col])
    codes = table.codes[col]
    for k, s in enumerate(texts):
        if not s or _is_non_finite(s):
            line = int(table.lines[np.argmax(codes == k)])
            where = _where(fname, line, name)
            if not s:
                raise ValueError(f"{where}: empty cell (every row needs a class)")
            raise ValueError(f"{where}: {s[:40]!r} is not a valid class (NaN/infinity)")
    keys = [_as_int(v) for v in texts]
    if all(k is not None for k in keys):
        merged = [str(k) for k in keys]                   # "1" and "1.0" are the same class
    else:
        merged = texts
    names = [str(k) for k in sorted(set(keys))] if all(k is not None for k in keys) else sorted(set(merged))
    if not 2 <= len(names) <= MAX_CLASSES:
        raise ValueError(f"{fname}, column {name!r}: found {len(names)} different classes; "
                         f"classification needs 2 to {MAX_CLASSES} (is it a numeric target? "
                         "then import it as regression)")
    index = {n: i for i, n in enumerate(names)}
    remap = np.array([index[m] for m in merged], dtype=np.int64)
    return remap[codes], names


def _is_non_finite(s: str) -> bool:
    try:
        return not math.isfinite(float(s))
    except ValueError:
        return False


def _as_int(s: str) -> int | None:
    try:
        value = float(s)
    except ValueError:
        return None
    return int(value) if value.is_integer() else None


def import_csv(path, input_columns=None, target_columns=None, kind: str = "classification",
               max_bytes: int = 50_000_000, min_rows: int = 2) -> dict:
    """Parse a CSV file into the keyword arguments of ``Dataset``.

    Returns ``dict(X=(n, d) float64, Y=(n, k) float64, labels=(n,) int or None,
    feature_names, target_names, kind, name)``.
    """
    if kind not in ("classification", "regression"):
        raise ValueError(f"kind must be 'classification' or 'regression', not {kind!r}")
    return dataset_from_table(CsvTable.read(path, max_bytes, preview_rows=0), input_columns, target_columns,
                              kind, min_rows)


def dataset_from_table(table: CsvTable, input_columns=None, target_columns=None, kind: str = "classification",
                       min_rows: int = 2) -> dict:
    """The keyword arguments of ``Dataset`` for a choice of columns of a parsed table (no reading)."""
    if kind not in ("classification", "regression"):
        raise ValueError(f"kind must be 'classification' or 'regression', not {kind!r}")
    if isinstance(min_rows, bool) or not isinstance(min_rows, int) or min_rows < 1:
        raise ValueError(f"min_rows must be a positive integer, not {min_rows!r}")
    fname, header = table.fname, table.header
    if table.n_rows < min_rows:
        what = "no data rows" if not table.n_rows else f"only {table.n_rows} data row(s)"
        raise ValueError(f"{fname}: the header (line 1) is followed by {what}; "
                         f"at least {min_rows} needed")
    if len(header) < 2:
        hint = " (is it separated by ';' or tabs? use commas)" if any(
            sep in header[0] for sep in ";\t") else ""
        raise ValueError(f"{fname}: needs at least 2 columns (inputs and target), found "
                         f"only {header[0]!r}{hint}")
    targets = _resolve([len(header) - 1] if target_columns is None else target_columns,
                       header, "target")
    inputs = ([i for i in range(len(header)) if i not in targets] if input_columns is None
              else _resolve(input_columns, header, "input"))
    both = [header[i] for i in inputs if i in targets]
    if both:
        raise ValueError(f"column {both[0]!r} cannot be both an input and a target")
    X = _numeric_matrix(table, inputs)
    if kind == "regression":
        Y, labels = _numeric_matrix(table, targets), None
        target_names = [header[j] for j in targets]
    else:
        if len(targets) != 1:
            raise ValueError(f"classification needs exactly one target column, got {len(targets)}: "
                             + ", ".join(header[j] for j in targets))
        labels, target_names = _class_labels(table, targets[0])
        check_values(table.n_rows, len(inputs) + len(target_names))     # before one-hot Y is built
        Y = np.eye(len(target_names))[labels]
    stem = fname[:-3] if fname.lower().endswith(".gz") else fname
    return dict(X=X, Y=Y, labels=labels, kind=kind, name=os.path.splitext(stem)[0],
                feature_names=[header[i] for i in inputs], target_names=target_names)


def read_csv_preview(path, n_rows: int = 20, max_bytes: int = 50_000_000
                     ) -> tuple[list[str], list[list[str]]]:
    """Header and the first ``n_rows`` rows as stripped strings (for an import dialog).

    Raises the same ValueErrors as ``load_csv`` for unreadable files, bad
    headers and ragged rows (within the rows previewed); cell contents are not
    checked because the column roles are not chosen yet.
    """
    if isinstance(n_rows, bool) or not isinstance(n_rows, int) or n_rows < 0:
        raise ValueError(f"n_rows must be a non-negative integer, not {n_rows!r}")
    return read_table(path, max_bytes, max_rows=n_rows)
