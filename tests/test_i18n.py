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


def _event_kinds_written() -> set[str]:
    """Every `Event.action` the code can write, read from the source: `Event(action=…)` and the unit of
    work's `_event(s, item, actor, action, …)`. An f-string is expanded over the values it can take;
    a way of writing an event this test does not know fails it (teach it the kinds, then label them)."""
    import ast
    from pathlib import Path

    from domain.lifecycle.table import ACTIONS
    from domain.satisfaction.entries import DECLINED
    from domain.satisfaction.performance import CONFIRMED

    expand = {"lifecycle.": [f"lifecycle.{a}" for a in ACTIONS],  # domain/lifecycle/apply.py: every step
              "satisfaction.entry_": [f"satisfaction.entry_{s}" for s in (CONFIRMED, DECLINED)],
              "imported.": ["imported.closed", "imported.withdrawn"]}  # domain/reports/ledger_import.py: how it ended
    passed_on = {("unit_of_work.py", "action")}  # `_event` hands its argument to Event(action=action)
    root = Path(__file__).resolve().parent.parent
    kinds: set[str] = set()
    for path in [*root.glob("domain/**/*.py"), *root.glob("bot/**/*.py"), *root.glob("workers/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name == "Event" and getattr(getattr(node.func, "value", None), "id", None) == "threading":
                continue  # threading.Event(): no audit event
            if name == "Event":
                value = next((k.value for k in node.keywords if k.arg == "action"), None)
            elif name == "_event" and len(node.args) >= 4:
                value = node.args[3]
            else:
                continue
            if isinstance(value, ast.Constant):
                kinds.add(value.value)
            elif isinstance(value, ast.JoinedStr) and isinstance(value.values[0], ast.Constant):
                prefix = value.values[0].value
                assert prefix in expand, f"{path.name}:{node.lineno} writes events f'{prefix}…': list their kinds here"
                kinds.update(expand[prefix])
            else:
                assert isinstance(value, ast.Name) and (path.name, value.id) in passed_on, \
                    f"{path.name}:{node.lineno} writes an event kind this test cannot read"
    return kinds


def test_every_event_kind_the_code_writes_has_a_label_in_both_languages():
    """`/complaint VOC-1 history` names each event: never its raw key (`event.reported_again`)."""
    from domain.i18n import event_label_key

    kinds = _event_kinds_written()
    assert {"filed", "reported_again", "sla.snoozed", "lifecycle.take_ownership", "satisfaction.entry_confirmed"} <= kinds
    unlabelled = sorted(k for k in kinds if not all((MESSAGES.get(event_label_key(k)) or {}).get(lang) for lang in ("en", "zh")))
    assert unlabelled == []
