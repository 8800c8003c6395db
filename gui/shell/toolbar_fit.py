"""The stepping toolbar drops its text before anything goes into Qt's » overflow menu: text under
the icons on a roomy screen; on a small one beside them where that fits (a lower bar), else under
them (narrower), else icons alone (each button keeps its text as its accessible name, and its
tooltip says what it does and its key).

``ToolbarFit(bar)`` measures the width each button style needs once per font (the styles are tried
on the bar, not guessed; ``refit()`` when the fonts change), and on every change of the bar's width
picks the richest style that fits it; ``set_roomy(False)`` prefers text beside the icons to text
under them (which costs height a small screen does not have)."""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets

_Style = QtCore.Qt.ToolButtonStyle
STYLES = (_Style.ToolButtonTextUnderIcon, _Style.ToolButtonTextBesideIcon, _Style.ToolButtonIconOnly)
SLACK = 8            # pixels kept free: Play becomes Pause while training, a little wider


class ToolbarFit(QtCore.QObject):
    def __init__(self, bar: QtWidgets.QToolBar):
        super().__init__(bar)
        self.bar = bar
        self.roomy = True
        self._widths: dict | None = None         # style → the width the bar needs in it, at the current font
        self._room = -1                           # the bar's width at the last fit
        self._measuring = False
        bar.installEventFilter(self)

    def set_roomy(self, roomy: bool) -> None:
        if roomy != self.roomy:
            self.roomy = roomy
            self.fit(force=True)

    def needed(self, style: QtCore.Qt.ToolButtonStyle) -> int:
        """The width the bar needs to show every action in ``style``."""
        if self._widths is None:
            self._measure()
        return self._widths[style]

    def fit(self, force: bool = False) -> None:
        """The richest style whose width fits the bar (icons alone when none does)."""
        room = self.bar.width()
        if self._measuring or (room == self._room and not force):
            return
        self._room = room
        styles = STYLES if self.roomy else (STYLES[1], STYLES[0], STYLES[2])   # under the icons: taller, narrower
        style = next((s for s in styles if self.needed(s) + SLACK <= room), STYLES[-1])
        if self.bar.toolButtonStyle() != style:
            self.bar.setToolButtonStyle(style)

    def _measure(self) -> None:
        """Each style tried on the bar: its items' widths, spacing and margins."""
        bar, layout = self.bar, self.bar.layout()
        before = bar.toolButtonStyle()
        self._measuring = True
        try:
            margins = layout.contentsMargins()
            widths = {}
            for style in STYLES:
                bar.setToolButtonStyle(style)
                items = [bar.widgetForAction(a) for a in bar.actions() if a.isVisible()]
                hints = [w.sizeHint().width() for w in items if w is not None]
                widths[style] = sum(hints) + layout.spacing() * max(len(hints) - 1, 0) + margins.left() + margins.right()
            self._widths = widths
        finally:
            bar.setToolButtonStyle(before)
            self._measuring = False

    def refit(self) -> None:
        """Measured again and fitted: the buttons' fonts have changed (a zoom, once its style sheet
        has reached them; before, a later event-loop turn, after the window had painted)."""
        self._widths = None
        self.fit(force=True)

    def eventFilter(self, watched, event) -> bool:   # noqa: N802 (Qt's name)
        if watched is self.bar and event.type() == QtCore.QEvent.Type.Resize and not self._measuring:
            self.fit()
        return False
