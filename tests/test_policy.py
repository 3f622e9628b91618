from pathlib import Path

import yaml

from domain.policy import DEFAULT_POLICY_PATH, check_policy


def _write(tmp_path: Path, mutate) -> Path:
    data = yaml.safe_load(DEFAULT_POLICY_PATH.read_text("utf-8"))
    mutate(data)
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return path


def test_the_shipped_policy_is_valid():
    policy, problems = check_policy(DEFAULT_POLICY_PATH)
    assert problems == [] and policy.company.timezone == "Asia/Shanghai"
    assert [(m.milestone, m.hours, m.days) for m in policy.deadlines.complaint["AA"]][:3] == [
        ("first_contact", 2, None), ("containment", None, 1), ("customer_reply", 24, None)]


def test_every_problem_is_listed_with_its_location(tmp_path):
    def break_it(d):
        d["company"]["timezone"] = "Mars/Olympus"
        d["routing"]["delivery"] = "logistics"
        d["departments"]["quality"]["channel"] = "quality-channel"
        del d["deadlines"]["complaint"]["B"]
        d["classification"]["severity_rules"][0]["severity"] = "C"

    _, problems = check_policy(_write(tmp_path, break_it))
    text = "\n".join(problems)
    assert "company.timezone: unknown time zone 'Mars/Olympus'" in text
    assert "departments.quality.channel:" in text
    assert "deadlines.complaint: milestones missing for severity B" in text
    assert "classification.severity_rules[0].severity:" in text
    assert len(problems) >= 4


def test_cross_references_are_checked(tmp_path):
    _, problems = check_policy(_write(tmp_path, lambda d: d["routing"].update(delivery="logistics")))
    assert problems == ["routing.delivery: unknown department 'logistics'"]


def test_syntax_errors_and_missing_files_are_problems_not_crashes(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("company: [unclosed\n", "utf-8")
    _, problems = check_policy(bad)
    assert "YAML syntax error at line" in problems[0]
    assert check_policy(tmp_path / "nope.yaml")[1][0].endswith("file not found")


def test_a_bad_field_does_not_hide_a_bad_reference_and_one_alias_names_one_customer(tmp_path):
    def break_it(d):
        d["classification"]["severity_rules"][0]["severity"] = "ZZ"  # a field error ...
        d["routing"]["quality"] = "nowhere"                          # ... and a reference error, together
        d["customers"].append({"name": "Other Co", "aliases": ["Geely"]})  # Geely is Geely Auto's alias

    policy, problems = check_policy(_write(tmp_path, break_it))
    assert policy is None
    assert "classification.severity_rules[0].severity: Input should be 'AA' or 'A'" in problems
    assert "routing.quality: unknown department 'nowhere'" in problems
    assert [p for p in problems if p.startswith("customers[") and "'geely' also names customer 'Geely Auto'" in p]


def test_the_same_alias_under_two_customers_is_refused_even_when_all_else_is_valid(tmp_path):
    policy, problems = check_policy(_write(tmp_path, lambda d: d["customers"].append({"name": "吉利", "aliases": []})))
    assert policy is None and len(problems) == 1 and "Geely Auto" in problems[0]
