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
