"""A micro-step key never waits for typesetting: equations not typeset yet show a greyed plain-text
stand-in, the typesetting process makes their pictures, and those replace the stand-in — the same
pictures the GUI thread would have typeset itself; pictures and exports never show a stand-in."""
import pytest
from PySide6 import QtCore, QtTest

from gui import mathview, plain_math, typeset_worker
from gui.derivation import build_step, differential_blocks, scalar_blocks
from helpers import window_on_the_derivation


# -- the stand-in's text ---------------------------------------------------------------------------------
@pytest.mark.parametrize("latex, text", [
    (r"\delta^{1}_{1} = \Big(\sum_{m=1}^{2} \delta^{2}_m\, w^{2}_{m1}\Big)\,\sigma'(z^{1}_{1})",
     "δ¹₁ = (∑ₘ₌₁² δ²ₘ w²ₘ₁) σ′(z¹₁)"),
    (r"W^{1} \leftarrow W^{1} - \eta\, g = \underset{2\times 2}{\begin{bmatrix}0.15 & 0.2 \\ 0.25 & 0.3\end{bmatrix}}",
     "W¹ ← W¹ − η g = [0.15 0.2; 0.25 0.3]"),
    (r"\frac{\partial C}{\partial w^{2}_{11}} = \delta^{2}_{1}\, a^{1}_{1} = 4.386\times 10^{-8}",
     "∂C/∂w²₁₁ = δ²₁ a¹₁ = 4.386×10⁻⁸"),
    (r"\nabla_{a^{1}}C = (W^{2})^{\mathsf{T}}\,\delta^{2},\qquad \eta = 0.5",
     "∇_a¹C = (W²)ᵀ δ²,    η = 0.5"),
    (r"b^{\ell} \leftarrow b^{\ell}\ \text{(biases fixed)}", "bˡ ← bˡ (biases fixed)"),
    (r"\frac{", "()/()"),                          # broken LaTeX: some text, never an exception
])
def test_plain_text_of_equations(latex, text):
    assert plain_math.text(latex) == text


def test_every_derivation_equation_has_a_plain_text(session):
    """No LaTeX is left in the stand-in of any equation the derivation writes (mazur, both conventions)."""
    for k in range(session.stepper.last + 1):
        view = session.stepper.view(k)
        for conv in ("column", "row"):
            for build in (build_step, scalar_blocks, differential_blocks):
                for block in build(session.net, view, session.selection, conv):
                    if block.latex:
                        text = plain_math.text(block.latex)
                        assert text and not any(c in text for c in "\\{}^"), (block.latex, text)


# -- a key never typesets on the GUI thread -------------------------------------------------------------
@pytest.fixture
def deferred(monkeypatch):
    """Typesetting deferred as in the interactive app, with empty caches and a count of every
    typesetting done on this (the GUI) thread."""
    monkeypatch.setattr(mathview, "_defer", True)
    mathview._pictures.clear()
    mathview._received.clear()
    mathview.typeset.cache_clear()
    calls = []
    real = typeset_worker.svg
    monkeypatch.setattr(typeset_worker, "svg", lambda *a: calls.append(a) or real(*a))
    mathview.ahead.start()
    yield calls
    mathview.ahead.cancel()


def _window_on_the_derivation(qtbot, session):
    session.settings.animate = False
    return window_on_the_derivation(qtbot, session)


def _views(window):
    return [v for v in window.derivation.step_list.math_views if v.isVisible()]


def test_a_key_shows_stand_ins_and_the_process_makes_the_same_pictures(qtbot, session, deferred):
    window = _window_on_the_derivation(qtbot, session)
    seen_waiting = False
    for _ in range(session.stepper.last):
        QtTest.QTest.keyClick(window, QtCore.Qt.Key.Key_Right)
        QtCore.QCoreApplication.sendPostedEvents()
        views = _views(window)
        assert views
        assert deferred == [], "a key typeset on the GUI thread"
        waiting = [v for v in views if v.waiting]
        seen_waiting |= bool(waiting)
        for v in waiting:                     # the stand-in: the equation as plain text, no picture yet
            assert v.missing() and not v._pieces and v.error is None
            assert v.heightForWidth(v.width()) > 0 and v.content_width(v.width()) <= v.width()
        window.repaint()                      # painting a stand-in typesets nothing either
        assert deferred == []
    assert seen_waiting                       # the caches were empty: the stand-in path was taken
    qtbot.waitUntil(lambda: not any(v.waiting for v in _views(window)), timeout=60_000)
    assert deferred == [], "the pictures were typeset on the GUI thread, not in the process"
    shown = [(v.latex, [p.svg for _, p in v._pieces], v.image()) for v in _views(window)]
    assert all(pieces for _, pieces, _ in shown)

    mathview._pictures.clear()                # the reference: typeset here, synchronously
    mathview._received.clear()
    mathview.typeset.cache_clear()
    mathview.defer_typesetting(False)
    for latex, svgs, image in shown:
        ref = mathview.MathView(latex)
        qtbot.addWidget(ref)
        assert [p.svg for _, p in ref._pieces] == svgs
        assert ref.image() == image
    assert deferred                           # the reference did typeset here


def test_pictures_and_exports_never_show_a_stand_in(qtbot, session, deferred, tmp_path):
    from gui.shell.export import render_image, save_svg
    window = _window_on_the_derivation(qtbot, session)
    session.seek(session.stepper.last)        # the update: the widest equations
    QtCore.QCoreApplication.sendPostedEvents()
    assert any(v.waiting for v in _views(window))
    image = render_image(window.derivation)
    assert not any(v.waiting for v in _views(window)) and not image.isNull()
    assert all(v._pieces and v.error is None for v in _views(window))
    session.seek(session.stepper.last - 2)    # another step not typeset yet, exported as SVG
    QtCore.QCoreApplication.sendPostedEvents()
    assert any(v.waiting for v in _views(window))
    save_svg(window.derivation, tmp_path / "derivation.svg")
    assert not any(v.waiting for v in _views(window)) and mathview.standing_in() == 0
    assert all(v._pieces and v.error is None for v in _views(window))
