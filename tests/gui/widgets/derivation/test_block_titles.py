"""A derivation block's title is shown as written: "The loss's slope", not "The loss&#x27;s slope"."""
from gui.derivation import EquationBlock
from gui.widgets.derivation.blocks import BlockList


def test_a_block_title_shows_its_characters_as_written(qtbot):
    blocks = BlockList()
    qtbot.addWidget(blocks)
    blocks.resize(420, 300)
    blocks.show()
    qtbot.waitExposed(blocks)
    title = "The loss's slope <a> & b"
    blocks.set_blocks([EquationBlock(title, "", {})])
    label = blocks._rows[0][0]
    assert label.text() == title
    assert label.textFormat() == label.textFormat().PlainText   # no entity or tag is interpreted


def test_a_blocks_text_wraps_at_spaces_never_inside_a_symbol(qtbot):
    """Vanishing's slide 9 at 1024×768 zoom +3 (a 302-px list): "Binary cross-entropy's ∂C/" over
    "∂a = …", broken at the slash.  A block's title and text now wrap between words only, at every
    width from the narrow companion's to a wide dock's."""
    from engine.losses import BCE
    from gui.shell.presentation import ZOOM_STEP
    from helpers import wrapped_lines
    blocks = BlockList()
    qtbot.addWidget(blocks)
    blocks.show()
    qtbot.waitExposed(blocks)
    blocks.set_blocks([EquationBlock("Output ∂C/∂a times σ′(z)", "", {}, BCE.fused_why)], round(ZOOM_STEP ** 3, 4))
    title, text, _ = blocks._rows[0]
    breaks = 0
    for width in range(160, 600, 7):
        for label in (title, text):
            lines = wrapped_lines(label.text(), label.font(), width)
            breaks += len(lines) - 1
            assert not any(line.endswith(("/", "′", "/\u2060", "′\u2060")) for line in lines[:-1]), (width, lines)
            assert "".join(lines).replace("\u2060", "").replace(" ", "") == label.text().replace("\u2060", "").replace(" ", "")
    assert breaks > 50                               # (the widths do wrap the text)
