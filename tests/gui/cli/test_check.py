"""``backprop-lens worksheet`` and ``backprop-lens check``: the file, the output lines, the exit codes."""
import csv
import json

import pytest

from gui.cli.parse import run_cli


def _blank(tmp_path, *extra):
    path = tmp_path / "sheet.csv"
    assert run_cli(["worksheet", "--preset", "mazur", "--out", str(path), *extra]) == 0
    return path


def _fill(path, values: dict):
    rows = list(csv.reader(path.read_text().splitlines()))
    for row in rows[1:]:
        key = " ".join(v for v in row[:4] if v)
        if key in values:
            row[4] = values[key]
    with path.open("w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def test_worksheet_writes_a_blank_sheet(tmp_path):
    path = _blank(tmp_path)
    rows = list(csv.reader(path.read_text().splitlines()))
    assert rows[0] == ["quantity", "layer", "j", "k", "value"]
    assert ["dC_dW", "2", "1", "2", ""] in rows and ["loss", "", "", "", ""] in rows
    assert all(row[4] == "" for row in rows[1:])


def test_batch_worksheet_holds_the_batch_means(tmp_path):
    path = tmp_path / "batch.csv"
    assert run_cli(["worksheet", "--preset", "xor", "--example", "1", "--batch", "4", "--out", str(path)]) == 0
    assert {row[0] for row in list(csv.reader(path.read_text().splitlines()))[1:]} == {"loss", "dC_dW", "dC_db", "W_new", "b_new"}


def test_check_names_each_mistake_and_carries_forward(tmp_path, capsys):
    path = _blank(tmp_path)
    _fill(path, {"loss": "0.5967", "delta 2 1": "0.1385", "delta 2 2": "-0.03810",
                 "delta 1 1": "0.007294", "delta 1 2": "0.008473",   # W² after the update used
                 "dC_db 1 1": "0.007294"})                           # = that δ¹₁
    assert run_cli(["check", "--preset", "mazur", "--worksheet", str(path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "WRONG loss: got 0.5967, expected 0.2984 (cause: missing-half)",
        "WRONG delta 1 1: got 0.007294, expected 0.008771 (cause: updated-weights)",
        "WRONG delta 1 2: got 0.008473, expected 0.009954 (cause: updated-weights)",
        "WRONG dC_db 1 1: got 0.007294, expected 0.008771 (cause: carried-forward from delta 1 1)",
        "2 right, 4 wrong"]


def test_issue_example_line(tmp_path, capsys):
    path = _blank(tmp_path)
    _fill(path, {"dC_dW 2 1 1": "0.4398", "dC_dW 2 1 2": "0.08267"})
    assert run_cli(["check", "--preset", "mazur", "--worksheet", str(path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "WRONG dC_dW 2 1 1: got 0.4398, expected 0.08217 (cause: missing-sigma-prime)", "1 right, 1 wrong"]


def test_all_right_exits_zero_and_json_lists_every_filled_row(tmp_path, capsys):
    path = _blank(tmp_path)
    _fill(path, {"z 1 1": "0.3775", "a 1 1": "0.5933", "loss": "0.2984"})
    assert run_cli(["check", "--preset", "mazur", "--worksheet", str(path)]) == 0
    assert capsys.readouterr().out.splitlines() == ["3 right, 0 wrong"]
    assert run_cli(["check", "--preset", "mazur", "--worksheet", str(path), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["quantity"] for r in rows] == ["z", "a", "loss"]
    assert set(rows[0]) >= {"quantity", "layer", "j", "k", "got", "expected", "ok", "cause"}
    assert rows[2]["layer"] is None and rows[0]["k"] is None and rows[0]["ok"] is True and rows[0]["cause"] is None


def test_tolerance_option(tmp_path, capsys):
    path = _blank(tmp_path)
    _fill(path, {"loss": "0.30"})
    assert run_cli(["check", "--preset", "mazur", "--worksheet", str(path)]) == 1
    assert run_cli(["check", "--preset", "mazur", "--worksheet", str(path), "--tol", "0.01"]) == 0
    capsys.readouterr()
    assert run_cli(["check", "--worksheet", str(path), "--tol", "abc"]) == 2
    assert "tolerance" in capsys.readouterr().err


@pytest.mark.parametrize("row,where", [("deltaa,2,1,,0.5", "line 2, column 1"), ("z,1,1,,zero", "line 2, column 5"),
                                       ("dC_dW,3,1,1,0.5", "line 2, column 2")])
def test_malformed_worksheet_exits_two_naming_line_and_column(tmp_path, capsys, row, where):
    path = tmp_path / "bad.csv"
    path.write_text(f"quantity,layer,j,k,value\n{row}\n")
    assert run_cli(["check", "--preset", "mazur", "--worksheet", str(path)]) == 2
    err = capsys.readouterr().err
    assert where in err and err.startswith("backprop-lens: error: bad.csv")


def test_bad_example_and_missing_file(tmp_path, capsys):
    assert run_cli(["worksheet", "--preset", "mazur", "--example", "2", "--out", str(tmp_path / "x.csv")]) == 2
    assert "example must be 1..1" in capsys.readouterr().err
    assert run_cli(["check", "--preset", "mazur", "--worksheet", str(tmp_path / "none.csv")]) == 2
    assert "cannot read none.csv" in capsys.readouterr().err
