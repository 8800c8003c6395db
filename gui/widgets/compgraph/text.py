"""The words beside a scalar node: its name, what it computes forward, and its local rule
backward ("× node: ∂out/∂a = w, so grad a += w · grad out"), with the example's numbers."""
from __future__ import annotations

from gui.numbers import format_number as num
from engine.notation import mazur_names, mazur_neuron, mazur_weight, sub, sup, weight_name


def short(node, graph, scheme: str = "book") -> str:
    """The name drawn in a node's box: a product is just "w·a" (its full name is in the tooltip)."""
    return "w·a" if node.op == "×" else name(node, graph, scheme)


def name(node, graph, scheme: str = "book") -> str:
    """A node's short name: a¹₂, w²₁₂, b¹₁, z¹₂ … (1-based), or the Mazur post's names."""
    op, l, j, k = node.op, node.layer, node.j + 1, node.k + 1
    mazur = scheme == "mazur" and mazur_names(graph.sizes)
    if mazur:
        if op == "a0":
            return mazur_neuron(0, j)
        if op == "w":
            return mazur_weight(l, j, k)
        if op == "b":
            return f"b{l}"
        if op in ("Σ", "+", "σ", "drop"):
            return {"Σ": "net", "+": "net", "σ": "out", "drop": "out"}[op] + "_" + mazur_neuron(l, j)
        if op == "×":
            return f"{mazur_weight(l, j, k)}·{mazur_neuron(l - 1, k)}"
    if op == "a0":
        return f"x{sub(j)}"
    if op == "w":
        return weight_name(l, j, k)
    if op == "b":
        return f"b{sup(l)}{sub(j)}"
    if op == "×":
        return f"{weight_name(l, j, k)}·a{sup(l - 1)}{sub(k)}"
    if op == "Σ":
        return f"Σ{sup(l)}{sub(j)}"
    if op == "+":
        return f"z{sup(l)}{sub(j)}"
    if op == "σ":
        return f"a{sup(l)}{sub(j)}"
    if op == "drop":
        return f"ã{sup(l)}{sub(j)}"
    return {"C": "C", "Ω": "Ω", "total": "C + Ω"}[op]


def forward_rule(node, graph, scheme: str = "book") -> str:
    """What the node computes, with numbers: "× node: w·a = 0.15 · 0.05 = 0.0075"."""
    P = [graph.nodes[p] for p in node.parents]
    v = num(node.value)
    if node.op == "a0":
        return f"input {name(node, graph, scheme)} = {v}"
    if node.op in ("w", "b"):
        return f"{'weight' if node.op == 'w' else 'bias'} {name(node, graph, scheme)} = {v}"
    if node.op == "×":
        return f"× node: w·a = {num(P[0].value)} · {num(P[1].value)} = {v}"
    if node.op == "Σ":
        return f"Σ node: Σₖ w·a = {' + '.join(num(p.value) for p in P)} = {v}"
    if node.op == "+":
        return f"+ node: z = Σ + b = {num(P[0].value)} + {num(P[1].value)} = {v}"
    if node.op == "σ":
        z = P[0].value if len(P) == 1 else graph.nodes[P[node.j].id].value
        return f"σ node: a = σ(z) = σ({num(z)}) = {v}"
    if node.op == "drop":
        return f"dropout: a · m/(1−p) = {num(P[0].value)} · {num(node.local[0])} = {v}"
    if node.op == "C":
        return f"C node: C(aᴸ, y) = {v}"
    if node.op == "Ω":
        return f"Ω node: the weight penalty = {v}"
    return f"+ node: C + Ω = {num(P[0].value)} + {num(P[1].value)} = {v}"


def backward_rule(node, graph, scheme: str = "book", known=None) -> str:
    """How the node's gradient passes to its inputs (its local rule), with numbers.  ``known``
    (Predict mode: the nodes whose gradient has been revealed) puts "?" in place of what a
    contribution adds to a gradient still to be predicted (a · grad out is ∂C/∂w itself)."""
    g = node.grad
    P = [graph.nodes[p] for p in node.parents]

    def added(parent, value: float) -> str:
        return num(value) if known is None or parent.id in known else "?"

    if node.op == "a0":
        return f"input: ∂C/∂{name(node, graph, scheme)} = {num(g)} (no update uses it)"
    if node.op == "w":
        return f"leaf: ∂C/∂{name(node, graph, scheme)} = {num(g)}, what the update uses"
    if node.op == "b":
        return f"leaf: ∂C/∂{name(node, graph, scheme)} = {num(g)} = δ, what the update uses"
    if node.op == "×":
        w, a = P[0].value, P[1].value
        return (f"× node: ∂out/∂a = w = {num(w)}, so grad a += w · grad out = {added(P[1], w * g)};  "
                f"∂out/∂w = a = {num(a)}, so grad w += a · grad out = {added(P[0], a * g)}")
    if node.op in ("Σ", "+", "total"):
        return f"{node.op if node.op != 'total' else '+'} node: ∂out/∂in = 1, so each input's grad += grad out = {num(g)}"
    if node.op == "σ":
        if len(P) > 1:
            return (f"softmax node: ∂a_j/∂z_m = a_j(δ_jm − a_m), so grad z_m += a_j(δ_jm − a_m) · grad a_j "
                    f"(grad a_j = {num(g)})")
        s = node.local[0]
        return (f"σ node: ∂a/∂z = σ′(z) = {num(s)}, so grad z += σ′(z) · grad a = {num(s)} · {num(g)} = "
                f"{added(P[0], s * g)}")
    if node.op == "drop":
        f = node.local[0]
        return f"dropout: ∂out/∂a = m/(1−p) = {num(f)}, so grad a += {num(f)} · grad out = {added(P[0], f * g)}"
    if node.op == "Ω":
        return "Ω node: ∂Ω/∂w = λw (L2) or λ sign w (L1), so grad w += that · grad Ω"
    return ("C node: grad C = 1;  ∂C/∂aᴸⱼ = " + ", ".join(added(p, d) for p, d in zip(P, node.local)) +
            ", so grad aᴸⱼ += ∂C/∂aᴸⱼ")
