"""The layering rules in pyproject.toml's [tool.importlinter] contracts hold (engine without Qt;
command line and shell above widgets, widgets above the session, the session above the engine;
widgets ask the session; a composite widget's parts are its own; no import cycles)."""
from importlinter.cli import lint_imports

from helpers import ROOT


def test_import_contracts_are_kept(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    code = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True)
    report = capsys.readouterr().out
    assert code == 0, f"an import contract is broken (run `.venv/bin/lint-imports` for this report):\n{report}"
