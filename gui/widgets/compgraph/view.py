"""The Computational graph view: the current example as micrograd draws it — every w·a, Σ, bias
add, activation and the loss as a node with its value forward and its gradient backward.

It follows the session's stepper: a forward micro-step fills that layer's values, a backward
micro-step their gradients.  "Node by node" steps one node at a time with the node's local rule
beside it (moving the stepper along when a node belongs to the next micro-step).  Selecting a
neuron or an edge in the layer graph highlights its nodes and every path from it to the loss,
and the text below says how the sum over those paths is the matrix product; clicking a node here
selects its neuron or weight everywhere.  In Predict mode the nodes whose value or gradient the
next micro-step reveals show "?" (z on the bias adds, a on σ, C, δ on the bias adds' gradients,
∂C/∂w and ∂C/∂b on the leaves'), and a node's rule shows no number still to be predicted.  Up to 40 weights (the engine's ``MAX_WEIGHTS``) the
whole graph is drawn, beyond that one neuron's subgraph (the selected neuron's).
"""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from engine.notation import sub, sup
from gui.session_types import Selection
from gui.theme import BASE_POINT_SIZE, THEMES
from gui.widgets.visibility import unseen_in_window, when_shown

from .canvas import Canvas
from .text import backward_rule, forward_rule, name, num


class CompGraphView(QtWidgets.QWidget):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.graph = None
        self.events: list[tuple[int, int, str]] = []     # (micro-step index, node id, "value"/"grad")
        self.cursor: int | None = None                  # node-by-node position in events
        self._driving = False
        self._stale = False
        self._drawn_quiz: tuple = (set(), set(), False)     # the "?" drawn, and Predict mode on or off
        self.caption = QtWidgets.QLabel()
        self.caption.setWordWrap(True)
        self.node_mode = QtWidgets.QCheckBox("Node by node")
        self.node_mode.setToolTip("Step one scalar node at a time, with its local rule beside it")
        self.prev_node = QtWidgets.QPushButton("◀ Node")
        self.next_node = QtWidgets.QPushButton("Node ▶")
        self.canvas = Canvas()
        self.scroll = QtWidgets.QScrollArea()        # a narrow dock scrolls sideways rather than squeeze the boxes
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        self.scroll.setWidget(self.canvas)
        self.export_widget = self.canvas              # Export as PNG/SVG: the whole graph, however it scrolls
        self.paths = QtWidgets.QLabel()
        self.paths.setWordWrap(True)
        bar = QtWidgets.QHBoxLayout()
        for w in (self.node_mode, self.prev_node, self.next_node):
            bar.addWidget(w)
        bar.addStretch(1)
        column = QtWidgets.QVBoxLayout(self)
        column.setContentsMargins(4, 4, 4, 4)
        column.addLayout(bar)
        column.addWidget(self.caption)
        column.addWidget(self.scroll, 1)
        column.addWidget(self.paths)
        self.node_mode.toggled.connect(self._on_node_mode_toggled)
        self.prev_node.clicked.connect(self._on_prev_node_clicked)
        self.next_node.clicked.connect(self._on_next_node_clicked)
        self.canvas.node_clicked.connect(self._on_node_clicked)
        session.run_changed.connect(self._on_run_changed)
        session.step_changed.connect(self._on_step_changed)
        session.params_changed.connect(self._on_run_changed)
        session.selection_changed.connect(self._on_selection_changed)
        if getattr(session, "quiz", None) is not None:
            session.quiz.changed.connect(self._on_quiz_changed)
        for changed in (session.settings.theme_changed, session.settings.font_scale_changed,
                        session.settings.sig_figs_changed):
            changed.connect(self._on_view_setting_changed)
        self._apply_style()
        self._rebuild()

    # -- session → view (only while shown: the graph is rebuilt when the view is shown again) --
    def showEvent(self, e) -> None:   # noqa: N802
        super().showEvent(e)
        when_shown(self, self._on_shown)
        self._on_shown()

    def _on_shown(self) -> None:
        if self._stale:
            self._rebuild()

    def _hidden(self) -> bool:
        """True (and the view marked stale) while it cannot be seen, e.g. a dock tab behind another."""
        unseen = unseen_in_window(self)
        self._stale = self._stale or unseen
        return unseen

    def _on_run_changed(self, *_) -> None:
        if not self._hidden():
            self._rebuild()

    def _on_step_changed(self, _view) -> None:
        if self._hidden():
            return
        if self.graph is None or self.session.scalar_graph() is not self.graph:
            self._rebuild()
            return
        if not self._driving:
            self.cursor = self._cursor_for(self.session.stepper.index) if self.node_mode.isChecked() else None
        self._refresh()

    def _on_selection_changed(self, _selection) -> None:
        if self._hidden():
            return
        if self.graph is not None and not self.graph.drawn_whole:
            self._rebuild()
        else:
            self._refresh()

    def _on_quiz_changed(self) -> None:
        """A question asked or gone (Predict mode on/off, a selection, a reveal): redraw only when
        the "?" change (the step's own refresh follows step_changed)."""
        if self.graph is None or unseen_in_window(self):
            return
        if self.session.scalar_graph() is not self.graph:     # another run, asked before its run_changed came
            self._rebuild()                                     # here (a lesson opened over one in predict mode)
            return
        if (*self.asked(), self._predicting()) != self._drawn_quiz:
            self._refresh()

    def _on_view_setting_changed(self, *_) -> None:
        self._apply_style()
        self._refresh()

    # -- user → session ---------------------------------------------------------------------
    def _on_node_mode_toggled(self, on: bool) -> None:
        self.cursor = self._cursor_for(self.session.stepper.index) if on else None
        self._refresh()

    def _on_next_node_clicked(self) -> None:
        self._move_cursor(+1)

    def _on_prev_node_clicked(self) -> None:
        self._move_cursor(-1)

    def _on_node_clicked(self, n: int) -> None:
        self.session.select(self.selection_for(n))

    # -- the graph and what is known ----------------------------------------------------------
    def _rebuild(self) -> None:
        self._stale = False
        self.graph = self.session.scalar_graph()
        for w in (self.node_mode, self.prev_node, self.next_node):
            w.setEnabled(self.graph is not None)      # (the buttons' own rules follow in _refresh)
        self.paths.setVisible(self.graph is not None)
        if self.graph is None:
            self.caption.setText(self.session.scalar_graph_refusal() or "")
            self.canvas.set_state(graph=None, shown=set())
            return
        index = {(s.quantity, s.l): s.index for s in self.session.stepper.steps}
        self.shown = self._shown_nodes()
        order = [n for n in self.graph.order() if n in self.shown]
        events = [(index.get(self.graph.nodes[n].reveal_value, 0), n, "value") for n in order
                  if not self.graph.nodes[n].leaf]
        events += [(index.get(self.graph.nodes[n].reveal_grad, 0), n, "grad") for n in reversed(order)]
        self.events = sorted(events, key=lambda e: e[0])        # stable: topological within a step
        self.cursor = self._cursor_for(self.session.stepper.index) if self.node_mode.isChecked() else None
        self._refresh()

    def _shown_nodes(self) -> set[int]:
        g, sel = self.graph, self.session.selection
        if g.drawn_whole:
            return set(range(len(g.nodes)))
        layer, j = len(g.sizes) - 1, 0
        if sel.kind == "neuron":
            layer, j = sel.k, sel.j
        elif sel.kind == "edge":
            layer, j = sel.l + 1, sel.j
        self._subgraph_of = (layer, j)
        return g.neuron_subgraph(layer, j)

    def _cursor_for(self, step: int) -> int:
        """The last node event revealed by micro-step ``step`` (−1: none yet)."""
        return max((i for i, e in enumerate(self.events) if e[0] <= step), default=-1)

    def _move_cursor(self, by: int) -> None:
        if not self.node_mode.isChecked():
            self.node_mode.setChecked(True)
            return
        c = max(-1, min((self.cursor if self.cursor is not None else -1) + by, len(self.events) - 1))
        self.cursor = c
        target = self.events[c][0] if c >= 0 else 0
        stepper = self.session.stepper
        if (by > 0 and target > stepper.index) or (by < 0 and target < stepper.index):
            self._driving = True
            try:
                self.session.seek(target)
            finally:
                self._driving = False
        self._refresh()

    def known(self) -> tuple[set[int], set[int]]:
        """(nodes whose value is shown, nodes whose gradient is shown) at the current position."""
        g = self.graph
        leaves = {n for n in self.shown if g.nodes[n].leaf and g.nodes[n].op != "a0"}
        if self.cursor is not None:
            done = self.events[:self.cursor + 1]
        else:
            k = self.session.stepper.index
            done = [e for e in self.events if e[0] <= k]
        values = leaves | {n for _, n, kind in done if kind == "value"}
        if self.session.stepper.index >= 0:
            values |= {n for n in self.shown if g.nodes[n].op == "a0"}
        grads = {n for _, n, kind in done if kind == "grad"}
        return values, grads

    def asked(self) -> tuple[set[int], set[int]]:
        """Predict mode's (values, gradients) asked for at the next micro-step, as the shown nodes
        that hold them; two empty sets outside Predict mode or when nothing drawn here is asked."""
        quiz = getattr(self.session, "quiz", None)
        question = quiz.question() if quiz is not None and self.graph is not None else None
        values, grads = set(), set()
        if question is None:
            return values, grads
        key, L = self.graph.by_key, len(self.graph.sizes) - 1
        for e in question.entries:
            q = e.quantity
            if q == "loss":
                values.add(key[("C", L + 1, 0, 0)])
            elif q in ("z", "a"):
                values.add(key[("+" if q == "z" else "σ", e.layer, e.j - 1, 0)])
            elif q in ("delta", "dC_db"):
                grads.add(key[("+" if q == "delta" else "b", e.layer, e.j - 1, 0)])
            elif q == "dC_dW":
                grads.add(key[("w", e.layer, e.j - 1, e.k - 1)])
        return values & self.shown, grads & self.shown       # (W_new: the graph shows the weights before the update)

    def _predicting(self) -> bool:
        quiz = getattr(self.session, "quiz", None)
        return quiz is not None and quiz.active

    def _refresh(self) -> None:
        if self.graph is None:
            return
        values, grads = self.known()
        asked_values, asked_grads = self.asked()
        predicting = self._predicting()
        self._drawn_quiz = (asked_values, asked_grads, predicting)
        current, text = None, ""
        if self.cursor is not None and self.cursor >= 0:
            _, current, kind = self.events[self.cursor]
            node = self.graph.nodes[current]
            if kind == "value":
                text = forward_rule(node, self.graph)
            else:
                text = backward_rule(node, self.graph, known=grads if predicting else None)
        highlight = self.highlighted()
        self.canvas.set_state(graph=self.graph, shown=self.shown, values=values, grads=grads, highlight=highlight,
                              current=current, current_text=text, asked_values=asked_values,
                              asked_grads=asked_grads)
        self.caption.setText(self._caption())
        self.paths.setText(self.path_text(grads))
        self.prev_node.setEnabled(self.node_mode.isChecked() and (self.cursor or -1) >= 0)
        self.next_node.setEnabled(self.cursor is None or self.cursor < len(self.events) - 1)

    def _caption(self) -> str:
        g = self.graph
        n = g.n_weights
        if not g.drawn_whole:
            layer, j = self._subgraph_of
            return (f"{n} weights: the whole scalar graph ({len(g.nodes)} nodes) would not be readable, so one "
                    f"neuron's subgraph is drawn — neuron {j + 1} of layer {layer}. Select a neuron to see its own.")
        return (f"Every scalar operation of this example ({len(g.nodes)} nodes), with the weights before the "
                f"update: its value (forward) and, in red, its grad ∂C/∂node (backward).")

    # -- selection -------------------------------------------------------------------------
    def selection_for(self, n: int) -> Selection | None:
        """The layer-graph selection of a scalar node (None for the loss or empty space)."""
        if n < 0 or self.graph is None:
            return None
        node = self.graph.nodes[n]
        if node.op == "a0":
            return Selection("neuron", 0, node.j)
        if node.op in ("w", "×"):
            return Selection.edge(node.layer - 1, node.j, node.k)
        if node.op in ("Σ", "+", "σ", "drop", "b"):
            return Selection.neuron(node.layer, node.j)
        return None

    def _start(self) -> int | None:
        """The scalar node the session's selection stands for (its output), or None."""
        sel, g = self.session.selection, self.graph
        key = g.by_key
        if sel.kind == "neuron":
            if sel.k == 0:
                return key.get(("a0", 0, sel.j, 0))
            return key.get(("drop", sel.k, sel.j, 0), key.get(("σ", sel.k, sel.j, 0)))
        if sel.kind == "edge":
            return key.get(("w", sel.l + 1, sel.j, sel.i))
        return None

    def highlighted(self) -> set[int]:
        start = self._start()
        if start is None:
            return set()
        nodes = self.graph.descendants(start)
        sel = self.session.selection
        if sel.kind == "neuron" and sel.k > 0:
            key = self.graph.by_key
            nodes |= {key[(op, sel.k, sel.j, 0)] for op in ("Σ", "+", "σ")}
        return nodes & self.shown

    def path_text(self, grads: set[int]) -> str:
        start = self._start()
        if start is None:
            return ("Select a neuron or a weight (here or in the layer graph) to see its paths to the loss: "
                    "its gradient is the sum, over those paths, of the products of the local derivatives.")
        g, node = self.graph, self.graph.nodes[start]
        count = g.count_paths(start)
        label = name(node, g)
        if start not in grads:
            return (f"{label} reaches C along {count} path{'s' * (count != 1)}. Step into the backward pass to "
                    f"see the gradients flow back along them.")
        paths = g.paths(start, limit=6)
        terms = " + ".join(num(p) for _, p in paths) + (" + …" if count > len(paths) else "")
        text = (f"∂C/∂{label} = sum over its {count} path{'s' * (count != 1)} to C of the product of the local "
                f"derivatives along each = {terms} = {num(node.grad)}. ")
        sel = self.session.selection
        L = len(g.sizes) - 1
        if sel.kind == "neuron" and 0 < sel.k < L:
            k = sel.k
            text += (f"For every neuron of layer {k} at once, this sum over paths is the matrix product "
                     f"(W{sup(k + 1)})ᵀ δ{sup(k + 1)}: entry {sel.j + 1} adds w{sup(k + 1)}ₘ{sub(sel.j + 1)} δ{sup(k + 1)}ₘ "
                     f"over the neurons m of layer {k + 1}, one path through each.")
        elif sel.kind == "edge":
            text += (f"Every path runs through its × node, so the sum is a · δ = entry ({sel.j + 1}, {sel.i + 1}) of "
                     f"the outer product δ{sup(sel.l + 1)} ⊗ a{sup(sel.l)}.")
        return text

    # -- looks -------------------------------------------------------------------------------
    def _apply_style(self) -> None:
        s = self.session.settings
        font = self.font()
        font.setPointSizeF(BASE_POINT_SIZE * s.font_scale)
        self.setFont(font)
        self.canvas.set_state(theme=THEMES.get(s.theme, THEMES["light"]), point_size=BASE_POINT_SIZE * s.font_scale)
