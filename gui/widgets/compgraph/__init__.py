"""The computational graph view: the current example at scalar level (engine.scalar_graph)."""
