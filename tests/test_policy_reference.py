"""docs/policy-reference.md and domain/default_policy.yaml stay true to the policy's models."""
from pathlib import Path

import yaml
from pydantic import BaseModel

from cli.main import main
from domain.policy import DEFAULT_POLICY_PATH, Policy
from domain.policy_reference import every_key, meaning

REFERENCE = Path(__file__).resolve().parent.parent / "docs" / "policy-reference.md"


def test_the_committed_policy_reference_is_what_voc_policy_reference_writes(capsys):
    assert main(["policy", "reference"]) == 0
    written = capsys.readouterr().out
    assert written == REFERENCE.read_text(encoding="utf-8"), (
        "docs/policy-reference.md has drifted from domain/policy.py: "
        "run `voc policy reference > docs/policy-reference.md`")


def test_the_reference_gives_each_key_its_type_default_and_meaning():
    text = REFERENCE.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| `reports.export_roles` |"))
    assert row.split(" | ")[1:] == [
        "list of one of: quality_manager, general_manager, admins, department_manager, sales",
        "`[quality_manager, general_manager, admins, department_manager]`",
        "who may export the ledger and the audit trail (`/export`): they hold every customer's complaints |"]
    assert "| `company.timezone` | text | required |" in text
    assert "| `intake.undo_minutes` | integer (≥ 0, ≤ 1440) | `10` |" in text


def test_every_policy_key_says_what_it_means():
    unexplained = [key for key, info in every_key() if not meaning(info)]
    assert unexplained == [], "add Field(description=...) (or a docstring to the section's model) in domain/policy.py"


def test_the_default_policy_shows_every_section_and_its_keys():
    shown = yaml.safe_load(DEFAULT_POLICY_PATH.read_text(encoding="utf-8"))
    missing = []
    for name, info in Policy.model_fields.items():
        if name not in shown:
            missing.append(name)
        elif isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel):
            missing += [f"{name}.{key}" for key in info.annotation.model_fields if key not in (shown[name] or {})]
    assert missing == []
    assert any(m.get("clock") == "working" for ms in shown["deadlines"]["complaint"].values() for m in ms)
    assert shown["working_time"]["years"], "a year of holidays listed shows the shape of working_time.years"
