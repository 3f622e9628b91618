"""A customer record as people write it — the `/customer` edit form and a row of `voc import
customers` share these fields and this reading — to the record (`CustomerSeed`), or what is wrong
with each field (a message code per field, said in the person's language: domain/messages_customers.py).

Fields, as text (docs/customers.md):
  name_en, name_zh          the name in each language (name_zh may be empty)
  aliases                   other names, separated by commas (, ， 、 ;)
  account_owner, account_backup   Slack user ids (U…), or <@U…>
  restricted                yes / no;  visible_users: user ids;  visible_group: a user group id (S…)
  report_language           en / zh / empty (the company's)
  contacts                  one per line: name | role | e-mail | phone
  deadlines                 milestone=length[ clock], separated by ; or lines: report_8d=10d working; first_contact=4h
  requires_8d               yes / no
  eight_d_form              the customer's 8D template or portal; empty: the company's form
  acceptance_required       yes / no / empty (the company's rule)
  survey_moments            mid_year, year_end / empty (the company's)
"""
from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from domain.policy import CustomerSeed, Policy

FIELDS = ("name_en", "name_zh", "aliases", "account_owner", "account_backup", "restricted", "visible_users",
          "visible_group", "report_language", "contacts", "deadlines", "requires_8d", "eight_d_form",
          "acceptance_required", "survey_moments")
# The record's field each form field fills (for a refusal said under the right field).
_FORM_FIELD = {"name": "name_en", "aliases": "aliases", "account_owner": "account_owner",
               "account_backup": "account_backup", "restricted": "restricted", "visible_to": "visible_users",
               "report_language": "report_language", "contacts": "contacts", "deadlines": "deadlines",
               "requires_8d": "requires_8d", "eight_d_form": "eight_d_form",
               "acceptance_required": "acceptance_required", "survey_moments": "survey_moments"}
_LIST = re.compile(r"[,，、;；\n]+")
_MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
_LENGTH = re.compile(r"^\s*([a-z][a-z0-9_]*)\s*[=:]\s*(\d+(?:\.\d+)?)\s*(h|d|m)\s*(working|calendar)?\s*$", re.I)
_YES = {"yes": True, "y": True, "true": True, "1": True, "是": True, "no": False, "n": False, "false": False, "0": False, "否": False}
MOMENTS = ("mid_year", "year_end")


class RecordProblems(Exception):
    """What is wrong, per form field: {field: message code}. Nothing of it was stored."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__(", ".join(f"{k}: {v}" for k, v in problems.items()))


def _words(text: str) -> list[str]:
    return [w.strip() for w in _LIST.split(text or "") if w.strip()]


def _user(text: str) -> str | None:
    text = (text or "").strip()
    found = _MENTION.match(text)
    return (found.group(1) if found else text) or None


def _yes_no(text: str, field: str, problems: dict, empty=None):
    text = (text or "").strip().casefold()
    if not text:
        return empty
    if text not in _YES:
        problems[field] = f"customer.field.{field}"
        return empty
    return _YES[text]


def _contacts(text: str, problems: dict) -> list[dict]:
    contacts = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) > 4 or not parts[0]:
            problems["contacts"] = "customer.field.contacts"
            continue
        parts += [""] * (4 - len(parts))
        contacts.append({"name": parts[0], "role": parts[1] or None, "email": parts[2] or None, "phone": parts[3] or None})
    return contacts


def _deadlines(text: str, policy: Policy, problems: dict) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for part in re.split(r"[;；\n]+", text or ""):
        if not part.strip():
            continue
        m = _LENGTH.match(part)
        if m is None or m.group(1) not in policy.milestones:
            problems["deadlines"] = "customer.field.deadlines"
            continue
        number, unit = float(m.group(2)), m.group(3).lower()
        if unit != "h" and not number.is_integer():
            problems["deadlines"] = "customer.field.deadlines"
            continue
        length = {"h": {"hours": number}, "d": {"days": int(number)}, "m": {"months": int(number)}}[unit]
        found[m.group(1)] = {**length, "clock": m.group(4).lower() if m.group(4) else None}
    return found


def read_record(fields: dict[str, Any], policy: Policy) -> CustomerSeed:
    """The record the fields describe; RecordProblems (every field that is wrong) otherwise."""
    f = {k: ("" if fields.get(k) is None else str(fields.get(k))).strip() for k in FIELDS}
    problems: dict[str, str] = {}
    if not f["name_en"]:
        problems["name_en"] = "customer.field.name_en"
    name: Any = {"en": f["name_en"], "zh": f["name_zh"]} if f["name_zh"] else f["name_en"]
    restricted = _yes_no(f["restricted"], "restricted", problems, empty=False)
    users = [_user(u) for u in _words(f["visible_users"])]
    visible = {"users": users, "usergroup": f["visible_group"] or None} if users or f["visible_group"] else None
    language = f["report_language"].casefold() or None
    if language not in (None, "en", "zh"):
        problems["report_language"] = "customer.field.report_language"
        language = None
    moments = _words(f["survey_moments"])
    if any(m not in MOMENTS for m in moments):
        problems["survey_moments"] = "customer.field.survey_moments"
        moments = []
    data = {"name": name, "aliases": tuple(_words(f["aliases"])), "account_owner": _user(f["account_owner"]),
            "account_backup": _user(f["account_backup"]), "restricted": restricted, "visible_to": visible,
            "report_language": language, "contacts": _contacts(f["contacts"], problems),
            "deadlines": _deadlines(f["deadlines"], policy, problems),
            "requires_8d": _yes_no(f["requires_8d"], "requires_8d", problems, empty=False),
            "eight_d_form": f["eight_d_form"] or None,
            "acceptance_required": _yes_no(f["acceptance_required"], "acceptance_required", problems),
            "survey_moments": tuple(dict.fromkeys(moments))}
    try:
        record = CustomerSeed.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            field = _FORM_FIELD.get(str(error["loc"][0]) if error["loc"] else "", "name_en")
            if field == "visible_users" and len(error["loc"]) > 1 and error["loc"][1] == "usergroup":
                field = "visible_group"
            problems.setdefault(field, f"customer.field.{field}")
        raise RecordProblems(problems) from None
    if problems:
        raise RecordProblems(problems)
    return record


def fields_of(record: CustomerSeed) -> dict[str, str]:
    """The record as the form's fields (what the edit form shows, what `voc export customers` writes)."""
    def yes_no(value: bool | None) -> str:
        return "" if value is None else ("yes" if value else "no")

    def length(d) -> str:
        unit = f"{d.hours:g}h" if d.hours is not None else f"{d.days}d" if d.days is not None else f"{d.months}m"
        return unit + (f" {d.clock}" if d.clock else "")

    visible = record.visible_to
    return {
        "name_en": record.key_name, "name_zh": record.names.get("zh", ""), "aliases": ", ".join(record.aliases),
        "account_owner": record.account_owner or "", "account_backup": record.account_backup or "",
        "restricted": yes_no(record.restricted), "visible_users": ", ".join(visible.users) if visible else "",
        "visible_group": (visible.usergroup or "") if visible else "", "report_language": record.report_language or "",
        "contacts": "\n".join(" | ".join([c.name, c.role or "", c.email or "", c.phone or ""]).rstrip(" |")
                              for c in record.contacts),
        "deadlines": "; ".join(f"{m}={length(d)}" for m, d in record.deadlines.items()),
        "requires_8d": yes_no(record.requires_8d), "eight_d_form": record.eight_d_form or "",
        "acceptance_required": yes_no(record.acceptance_required), "survey_moments": ", ".join(record.survey_moments),
    }
