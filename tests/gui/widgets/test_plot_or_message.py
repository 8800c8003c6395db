"""PlotOrMessage: the plot, or in its place a centred word-wrapped message."""
from PySide6 import QtCore, QtGui, QtWidgets

from gui.widgets.plot_or_message import PlotOrMessage


def test_the_message_replaces_the_plot_and_gives_way_to_it(qtbot):
    plot = QtWidgets.QWidget()
    stack = PlotOrMessage(plot, "nothing yet")
    qtbot.addWidget(stack)
    assert stack.showing_plot and stack.currentWidget() is plot
    stack.show_message()
    assert not stack.showing_plot and stack.currentWidget().text() == "nothing yet"
    stack.show_message("no boundary: one input")
    assert stack.label.text() == "no boundary: one input"
    stack.show_plot()
    assert stack.showing_plot and stack.label.text() == "no boundary: one input"
    assert stack.label.wordWrap() and stack.label.alignment() == QtCore.Qt.AlignmentFlag.AlignCenter


def test_the_message_is_styled_as_asked(qtbot):
    stack = PlotOrMessage(QtWidgets.QWidget())
    qtbot.addWidget(stack)
    font = QtGui.QFont(stack.font())
    font.setPointSizeF(21.0)
    stack.style_message(font, "#777777", "#101010")
    assert stack.label.font().pointSizeF() == 21.0
    assert stack.label.styleSheet() == "color: #777777; background: #101010;"
    stack.style_message(font, "#777777")
    assert stack.label.styleSheet() == "color: #777777;"
