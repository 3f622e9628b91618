import string

from domain.i18n import MESSAGES, fmt_when, t
from domain.policy import CATEGORIES, KINDS, SEVERITIES


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_message_exists_in_both_languages_with_the_same_placeholders():
    for key, entry in MESSAGES.items():
        assert entry.get("en") and entry.get("zh"), key
        assert _fields(entry["en"]) == _fields(entry["zh"]), key


def test_every_value_has_a_label():
    for k in KINDS:
        assert t(f"kind.{k}", "zh") != f"kind.{k}"
    for c in CATEGORIES:
        assert t(f"category.{c}", "en") != f"category.{c}"
    for s in SEVERITIES:
        assert t(f"severity.{s}", "zh").startswith(s)


def test_times_are_shown_in_the_company_zone(policy):
    from datetime import datetime, timezone

    moment = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)
    assert fmt_when(moment, policy.tz, "en") == "20 Nov 2026, 10:00"
    assert fmt_when(moment, policy.tz, "zh") == "2026年11月20日 10:00"
