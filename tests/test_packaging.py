"""The install lists every package, so `pip install .` from a fresh clone ships the whole app."""
import tomllib

from helpers import ROOT


def test_every_package_folder_is_listed_in_pyproject():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts)
             for top in ("engine", "gui") for p in (ROOT / top).rglob("__init__.py")}
    assert found <= listed, f"add to [tool.setuptools] packages in pyproject.toml: {sorted(found - listed)}"
    assert "backprop_lens_assets" in listed


def test_entry_point_and_python_dash_m_name_the_same_main():
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    module, _, func = scripts["backprop-lens"].partition(":")
    assert f"from {module} import {func}" in (ROOT / "gui" / "__main__.py").read_text()
