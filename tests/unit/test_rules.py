"""One rule catalogue (expectations/rules.yaml): every code the pipeline can emit is in it.

The emitted codes are read from the code itself, never listed by hand: the suites' meta.rule,
the codes the readers raise or note (``UnreadableFile(...)``, ``note(...)``), and every literal
code passed to ``issue(...)`` in transforms/.
That every catalogue code is actually triggered is proved by tests/e2e/test_bad_submissions.py.
"""

from __future__ import annotations

import ast
import csv
import functools
import io
import json
import string

import pytest

from danvan.cli import main
from transforms.config import EXPECTATIONS_DIR
from transforms.rules import issue, rules
from transforms.suites import SUITES

TRANSFORMS = EXPECTATIONS_DIR.parent / "transforms"
SEVERITIES = {"error", "warning", "info"}
STANDARD_FIELDS = {"value", "column", "unit_code", "detail"}


@functools.cache
def _calls() -> tuple[tuple[str, ast.Call], ...]:
    """(file stem, call) of every call in transforms/, parsed once for the whole module."""
    return tuple(
        (path.stem, node)
        for path in sorted(TRANSFORMS.glob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
    )


def _literal_codes(function_name: str) -> dict[str, set[str]]:
    """file stem -> the string literals passed first to ``function_name(...)`` in transforms/."""
    found: dict[str, set[str]] = {}
    for stem, node in _calls():
        if (
            getattr(node.func, "id", getattr(node.func, "attr", None)) == function_name
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.setdefault(stem, set()).add(node.args[0].value)
    return found


def suite_codes() -> dict[str, set[str]]:
    specs = {s: json.loads((EXPECTATIONS_DIR / f"{s}.json").read_text(encoding="utf-8")) for s in SUITES}
    return {s: {e["meta"]["rule"] for e in spec["expectations"]} for s, spec in specs.items()}


def emitted_codes() -> set[str]:
    codes = set().union(*suite_codes().values())
    for by_file in (_literal_codes("UnreadableFile"), _literal_codes("note"), _literal_codes("issue")):
        codes |= set().union(*by_file.values())
    return codes


def test_the_scan_finds_every_kind_of_emitter():
    raised = _literal_codes("UnreadableFile")
    assert {
        "file_empty",
        "file_corrupt",
        "file_encoding",
        "file_no_header",
        "file_format_unsupported",
    } <= raised["readers"]
    assert {"row_ragged", "column_duplicate", "value_formula_uncached"} <= _literal_codes("note")["readers"]
    issued = _literal_codes("issue")
    assert "total_mismatch" in issued["reconcile"]
    assert "file_unprocessable" in issued["isolation"] and "units_dropped" in issued["resubmission"]
    assert {
        "district_commune_mismatch",
        "year_differs_from_halves",
        "value_outlier",
        "history_too_short",
    } <= issued["crosschecks"]


def test_every_code_the_pipeline_can_emit_is_in_the_catalogue():
    assert emitted_codes() - set(rules()) == set()


def test_every_catalogue_code_has_an_emitter_in_its_stage():
    by_stage = {stage: codes for stage, codes in suite_codes().items()}
    issued = _literal_codes("issue")
    # a file that cannot be processed at all (transforms/isolation.py) is a read-stage verdict
    by_stage["read"] = set().union(
        *_literal_codes("UnreadableFile").values(),
        *_literal_codes("note").values(),
        issued.get("isolation", set()),
    )
    # breakdowns.py: the checks validate runs on a file's breakdowns (parts against totals)
    by_stage["validate"] = issued.get("validate", set()) | issued.get("breakdowns", set())
    by_stage["reconcile"] = issued.get("reconcile", set())
    # checks across submissions: crosschecks.py, and resubmission.py (units_dropped) in the same transaction
    by_stage["crosscheck"] = issued.get("crosschecks", set()) | issued.get("resubmission", set())
    for rule in rules().values():
        assert rule.code in by_stage.get(rule.stage, set()), (
            f"{rule.code}: nothing in stage {rule.stage} emits it"
        )


@pytest.mark.parametrize("rule", list(rules().values()), ids=lambda r: r.code)
def test_every_rule_is_complete_and_its_templates_render(rule):
    assert rule.severity in SEVERITIES
    for text in (rule.checks, rule.message_vi, rule.message_en, rule.fix_vi, rule.fix_en):
        assert isinstance(text, str) and text.strip()
    rendered = issue(rule.code, "s", value="7", column="conferences_held", unit_code="02020", detail="d")
    assert "{" not in rendered["message_vi"] + rendered["message_en"]
    # the rule's own placeholders are explained in its checks text
    own = {f for t in (rule.message_vi, rule.message_en) for _, f, _, _ in string.Formatter().parse(t) if f}
    for field in own - STANDARD_FIELDS:
        assert f"{{{field}}}" in rule.checks, f"{rule.code}: {{{field}}} is not explained in checks"


def test_danvan_rules_prints_the_catalogue(capsys):
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    for rule in rules().values():
        assert f"{rule.code}  [{rule.severity}, {rule.stage}]" in out
    assert "Thông báo:" in out and rules()["file_empty"].message_vi in out

    assert main(["rules", "--lang", "en", "--csv"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["code"] for r in table] == list(rules())
    assert table[0]["message"] == rules()[table[0]["code"]].message_en
    assert set(table[0]) == {"code", "severity", "stage", "checks", "message", "fix"}

    assert main(["rules", "total_mismatch"]) == 0
    assert capsys.readouterr().out.startswith("total_mismatch  [error, reconcile]")
    assert main(["rules", "no_such_rule"]) == 1
