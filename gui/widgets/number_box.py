"""A spin box for real numbers that reads what people type: "1.5", the locale's "1,5", and
scientific notation ("1e-3", "2.5E2").  Text that is not a number is refused as it is typed;
a number outside the range is refused when editing ends, with ``refused`` saying why (the box
keeps its last good value)."""
from __future__ import annotations

import math
import re

from PySide6 import QtCore, QtGui, QtWidgets

_PARTIAL = re.compile(r"^[+-]?(\d*([.,]\d*)?([eE][+-]?\d*)?)?$")   # what a number looks like while typed


class NumberBox(QtWidgets.QDoubleSpinBox):
    refused = QtCore.Signal(str)

    def _number_text(self, text: str) -> str:
        """``text`` without prefix, suffix and spaces, with either decimal separator as '.'."""
        t = text.strip()
        if self.prefix() and t.startswith(self.prefix()):
            t = t[len(self.prefix()):]
        if self.suffix() and t.endswith(self.suffix()):
            t = t[:-len(self.suffix())]
        return t.strip().replace(self.locale().decimalPoint(), ".").replace(",", ".")

    def _parse(self, text: str) -> float | None:
        t = self._number_text(text)
        if not _PARTIAL.match(t) or not any(c.isdigit() for c in t.split("e")[0].split("E")[0]):
            return None
        try:
            v = float(t)
        except ValueError:
            return None
        return v if math.isfinite(v) else None

    def validate(self, text: str, pos: int):
        S = QtGui.QValidator.State
        t = self._number_text(text)
        if not _PARTIAL.match(t):
            return S.Invalid, text, pos
        v = self._parse(text)
        if v is None or not self.minimum() <= v <= self.maximum():
            return S.Intermediate, text, pos
        return S.Acceptable, text, pos

    def valueFromText(self, text: str) -> float:
        v = self._parse(text)
        return self.value() if v is None else v

    def fixup(self, text: str) -> str:
        v = self._parse(text)
        if v is not None:
            self.refused.emit(f"{v:g} is outside {self.minimum():g} … {self.maximum():g}; "
                              f"kept {self.value():g}")
        return super().fixup(text)
