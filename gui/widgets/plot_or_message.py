"""A plot, or in its place a message saying why there is nothing to plot.

The message replaces the plot rather than lying over it, so there are no empty axes for its words to
overlap; it is centred and word-wrapped, so that it reads on a narrow dock.  The loss curve, the
decision boundary and every heatmap use it.
"""
from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from gui.theme import set_style_sheet


class PlotOrMessage(QtWidgets.QStackedWidget):
    def __init__(self, plot: QtWidgets.QWidget, message: str = "", parent=None):
        super().__init__(parent)
        self.plot = plot
        self.label = QtWidgets.QLabel(message)
        self.label.setWordWrap(True)
        self.label.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self.addWidget(plot)
        self.addWidget(self.label)

    @property
    def showing_plot(self) -> bool:
        return self.currentWidget() is self.plot

    def show_plot(self) -> None:
        if not self.showing_plot:           # setting the same page again still relays out
            self.setCurrentWidget(self.plot)

    def show_message(self, text: str | None = None) -> None:
        """The message (``text``, or the one set before) instead of the plot."""
        if text is not None:
            self.label.setText(text)
        if self.currentWidget() is not self.label:
            self.setCurrentWidget(self.label)

    def style_message(self, font: QtGui.QFont, colour: str, background: str | None = None) -> None:
        """The message in ``font`` and ``colour`` (a muted one: it says why, it is not data)."""
        self.label.setFont(font)
        set_style_sheet(self.label, f"color: {colour};" + (f" background: {background};" if background else ""))
