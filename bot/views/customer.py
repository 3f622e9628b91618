"""The customer record (`/customer`): what it holds and its open items, and the edit form (admins and
the QM). Pure: a CustomerPage (domain/customer_work.py) in, Block Kit out. Every field of the form is
a field of domain/customer_form.py, under its own block id, so a refusal is said under its field."""
from __future__ import annotations

import json
from typing import Any

from bot import action_ids as ids
from bot.views.common import Markup, button, context, escape, md, mention, plain, sections
from domain.customer_form import FIELDS, RecordProblems, fields_of, read_record
from domain.customer_work import CustomerPage
from domain.i18n import t
from domain.policy import CustomerSeed, Policy
from domain.requirements import requirements

MULTILINE = ("contacts", "deadlines", "aliases", "visible_users")
USERS = ("account_owner", "account_backup")


def customer_name(record: CustomerSeed, lang: str) -> str:
    return record.names.get(lang) or record.key_name


def _yes(value: bool, lang: str) -> str:
    return t("customer.yes" if value else "customer.no", lang)


def _length(d) -> str:
    unit = f"{d.hours:g} h" if d.hours is not None else f"{d.days} d" if d.days is not None else f"{d.months} m"
    return unit + (f" ({d.clock})" if d.clock else "")


def customer_text(page: CustomerPage, lang: str) -> Markup:
    """The page's title in mrkdwn (the notification's text too): the name, which an admin or an import
    wrote, escaped once here."""
    return md("customer.title", lang, customer=customer_name(page.record, lang))


def customer_blocks(page: CustomerPage, policy: Policy, lang: str) -> list[dict]:
    r = page.record
    needs = requirements(policy, r)
    company = t("customer.company_rule", lang)
    nobody = t("customer.nobody", lang)
    lines = [f"*{customer_text(page, lang)}*"]
    if r.restricted:
        lines.append(":lock: " + escape(t("customer.restricted_note", lang)))
    other = [n for n in r.all_names if n != customer_name(r, lang)]
    lines.append(f"*{escape(t('customer.label.aliases', lang))}:* {escape(', '.join(other)) or nobody}")
    for key in USERS:
        who = getattr(r, key)
        lines.append(f"*{escape(t(f'customer.label.{key}', lang))}:* {mention(who) if who else nobody}")
    if r.restricted and r.visible_to:
        team = [mention(u) for u in r.visible_to.users] + ([Markup(f"<!subteam^{r.visible_to.usergroup}>")]
                                                            if r.visible_to.usergroup else [])
        lines.append(f"*{escape(t('customer.label.visible_users', lang))}:* {', '.join(team)}")
    contacts = [" · ".join(escape(x) for x in (c.name, c.role, c.email, c.phone) if x) for c in r.contacts]
    lines.append(f"*{escape(t('customer.label.contacts', lang))}:* " + ("\n• " + "\n• ".join(contacts) if contacts else nobody))
    labels = {m: policy.milestones[m].get(lang) if m in policy.milestones else m for m in r.deadlines}
    lines += [
        f"*{escape(t('customer.label.report_language', lang))}:* {needs.report_language}"
        + ("" if r.report_language else f" ({company})"),
        f"*{escape(t('customer.label.deadlines', lang))}:* "
        + (", ".join(f"{escape(labels[m])} {_length(d)}" for m, d in r.deadlines.items()) or company),
        f"*{escape(t('customer.label.requires_8d', lang))}:* {_yes(needs.requires_8d, lang)}",
        f"*{escape(t('customer.label.eight_d_form', lang))}:* {escape(needs.eight_d_form or '') or company}",
        f"*{escape(t('customer.label.acceptance_required', lang))}:* {_yes(needs.acceptance_required, lang)}"
        + ("" if r.acceptance_required is not None else f" ({company})"),
        f"*{escape(t('customer.label.survey_moments', lang))}:* {', '.join(needs.survey_moments)}"
        + ("" if r.survey_moments else f" ({company})"),
    ]
    blocks = sections(lines)
    if page.open_items:
        items = [f"• VOC-{i.number} {escape(i.severity)} · {escape(i.summary)} · {escape(t(f'status.{i.status}', lang))}"
                 + (f" · {mention(i.owner)}" if i.owner else "") for i in page.open_items]
        more = page.open_count - len(page.open_items)
        blocks += sections([f"*{md('customer.open_items', lang, count=page.open_count)}*", *items]
                           + ([f"… +{more}"] if more > 0 else []))
    else:
        blocks.append(context(md("customer.no_open_items", lang)))
    if page.may_edit:
        blocks.append({"type": "actions", "elements": [button(t("customer.edit", lang), ids.CUSTOMER_EDIT, str(page.customer_id))]})
    return blocks


def customer_modal(page: CustomerPage, policy: Policy, lang: str, metadata: dict | None = None) -> dict:
    """The edit form, filled with the record as it is."""
    values = fields_of(page.record)
    blocks: list[dict[str, Any]] = []
    for name in FIELDS:
        label = plain(t(f"customer.label.{name}", lang), 2000)
        hint = {"type": "plain_text", "text": t(f"customer.field.{name}", lang, milestones=", ".join(policy.milestones))[:150]}
        if name in USERS:
            element = {"type": "users_select", "action_id": name, **({"initial_user": values[name]} if values[name] else {})}
        else:
            element = {"type": "plain_text_input", "action_id": name, "multiline": name in MULTILINE,
                       "max_length": 3000, **({"initial_value": values[name]} if values[name] else {})}
        blocks.append({"type": "input", "block_id": name, "optional": name != "name_en", "label": label,
                       "hint": hint, "element": element})
    return {"type": "modal", "callback_id": ids.CUSTOMER_MODAL, "title": plain(t("customer.form_title", lang), 24),
            "submit": plain(t("customer.save", lang), 24), "close": plain(t("customer.cancel", lang), 24),
            "private_metadata": json.dumps({**(metadata or {}), "customer_id": page.customer_id, "version": page.version}),
            "blocks": blocks}


def submitted_fields(view: dict) -> dict[str, str]:
    """The form's fields as submitted ("" for an empty or odd-shaped one: the ack never fails on a shape)."""
    values = (view.get("state") or {}).get("values") or {}
    found = {}
    for name in FIELDS:
        entry = (values.get(name) or {}).get(name) if isinstance(values.get(name), dict) else None
        entry = entry if isinstance(entry, dict) else {}
        value = entry.get("selected_user") if name in USERS else entry.get("value")
        found[name] = value if isinstance(value, str) else ""
    return found


def form_errors(view: dict, policy: Policy, lang: str) -> dict[str, str]:
    """What is wrong with the submitted form, under each field, in the person's language (empty: nothing)."""
    try:
        read_record(submitted_fields(view), policy)
    except RecordProblems as problems:
        return {name: t(code, lang, milestones=", ".join(policy.milestones))
                for name, code in problems.problems.items()}
    return {}


# The form field that names each of the record's fields (domain/customer_records.py RECORD_FIELDS).
_LABEL_OF = {"name": "name_en", "visible_to": "visible_users"}


def saved_text(saved, name: str, lang: str) -> str:
    """What an edit changed (each field by its label) and, for a new account owner, what moved to them."""
    if not saved.changes:
        return t("customer.unchanged", lang, customer=escape(name))
    fields = ", ".join(t(f"customer.label.{_LABEL_OF.get(f, f)}", lang) for f in saved.changes)
    text = t("customer.saved", lang, customer=escape(name), fields=fields)
    if saved.handed_over or saved.reminders:
        owner = saved.changes["account_owner"]
        text += "\n" + t("customer.handed_over", lang, count=saved.handed_over, reminders=saved.reminders,
                         old=mention(owner["before"]), new=mention(owner["after"]))
    return text
