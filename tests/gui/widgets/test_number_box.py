"""The η box reads "1.5", the locale's "1,5" and "1e-3"; other text is refused, out-of-range
numbers are refused with a message and the last good value kept."""
import pytest
from PySide6 import QtCore, QtGui

from gui.widgets.controls import ControlsBar
from gui.widgets.number_box import NumberBox

S = QtGui.QValidator.State


@pytest.fixture(params=["en_US", "de_DE"])
def box(qtbot, request):
    b = NumberBox()
    qtbot.addWidget(b)
    b.setLocale(QtCore.QLocale(request.param))
    b.setDecimals(4)
    b.setRange(1e-4, 1e3)
    b.setValue(0.5)
    return b


@pytest.mark.parametrize("text, value", [("1.5", 1.5), ("1,5", 1.5), ("1e2", 100.0), ("2.5E-2", 0.025),
                                         (" 3 ", 3.0), ("1,25e1", 12.5)])
def test_numbers_as_people_type_them(box, text, value):
    assert box.validate(text, 0)[0] == S.Acceptable
    assert box.valueFromText(text) == pytest.approx(value)


@pytest.mark.parametrize("text, state", [("abc", S.Invalid), ("1.2.3", S.Invalid), ("1e", S.Intermediate),
                                         ("", S.Intermediate), ("1e6", S.Intermediate), ("-1", S.Intermediate)])
def test_other_text_is_refused(box, text, state):
    assert box.validate(text, 0)[0] == state


def test_typing_into_the_controls_eta(qtbot, session):
    bar = ControlsBar(session)
    qtbot.addWidget(bar)
    messages = []
    session.message.connect(messages.append)
    for text, eta in (("1,5", 1.5), ("2e-1", 0.2)):
        bar.eta.lineEdit().selectAll()
        qtbot.keyClicks(bar.eta.lineEdit(), text)
        qtbot.keyClick(bar.eta.lineEdit(), QtCore.Qt.Key.Key_Return)
        assert session.run.config.eta == pytest.approx(eta)
    bar.eta.lineEdit().selectAll()
    qtbot.keyClicks(bar.eta.lineEdit(), "1e6")
    bar.eta.interpretText()
    bar.eta.fixup(bar.eta.lineEdit().text())
    assert session.run.config.eta == pytest.approx(0.2)
    assert any("1e+06 is outside" in m and "kept 0.2" in m for m in messages)
