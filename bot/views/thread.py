"""What the department sees: the parent message of the item's thread, the ping, notes in the thread."""
from __future__ import annotations

from datetime import datetime

from babel.dates import format_timedelta

from domain.counts import read_count
from domain.i18n import BABEL_LOCALE, fmt_when, ref, t
from domain.lifecycle.visits import VISIT_STEPS
from domain.reports.labels import milestone_label
from domain.lifecycle.records import RECORD_ACTIONS, may_concern
from domain.money import read_amount, shown
from domain.lifecycle.table import FINAL, Status, menu_steps, next_steps
from domain.policy import Policy
from domain.cards import ItemCard
from bot.views.approval import approval_note, state_lines
from bot.views.records import record_lines
from bot import action_ids as ids
from bot.views.facts import level_line, quantity_line, wants_8d_line
from bot.views.common import (SEVERITY_EMOJI, Markup, button, clip, context, escape, md, mention, mrkdwn, plain, sections,
                              section, severity_kind, why_severity)


def parent_text(card: ItemCard, policy: Policy, lang: str) -> str:
    """The notification fallback (shown in push notifications and by screen readers)."""
    sev, kind = severity_kind(card.item, lang)
    return md("parent.title", lang, severity=sev, kind=kind, customer=card.customer_in(lang) or "?")


def parent_blocks(card: ItemCard, policy: Policy, lang: str, moved_to: str | None = None,
                  actions: bool = True, now: datetime | None = None) -> list[dict]:
    item, tz = card.item, policy.tz
    sev, kind = severity_kind(item, lang)
    title = md("parent.title", lang, severity=sev, kind=kind, customer=card.customer_in(lang) or "?")
    withdrawn = item.status == "withdrawn"
    header = ("~" + title + "~") if withdrawn else f"{SEVERITY_EMOJI.get(item.severity, '')} *{title}*"
    blocks = [section(header)]
    if moved_to:
        blocks.append(section(":arrow_right: " + md("parent.moved", lang, channel=Markup(f"<#{moved_to}>"))))
    blocks.append(section(">" + escape(clip(item.text, 2800)).replace("\n", "\n>")))
    customer = escape(card.customer_in(lang) or "?") + ("" if card.customer_verified else f" _({t('unverified', lang)})_")
    fields = [
        f"*{t('field.customer', lang)}*\n{customer}",
        f"*{t('field.kind', lang)}* / *{t('field.category', lang)}*\n{t('kind.' + item.kind, lang)} / {t('category.' + item.category, lang)}",
        f"*{t('field.severity', lang)}*\n{escape(level_line(item, lang))}",
        f"*{t('field.department', lang)}*\n{policy.departments[item.department].name.get(lang)}",
        f"*{t('field.reporter', lang)}*\n{mention(item.reporter_id)}",
    ]
    facts = []
    if item.part_numbers:
        facts.append(f"{t('field.part_numbers', lang)}: {escape(', '.join(item.part_numbers))}")
    if item.lot_numbers:
        facts.append(f"{t('field.lot_numbers', lang)}: {escape(', '.join(item.lot_numbers))}")
    if item.quantity is not None:
        facts.append(f"{t('field.quantity', lang)}: {escape(quantity_line(item, lang))}")
    if item.line_state:
        icon = {"stopped": ":rotating_light: ", "about_to_stop": ":warning: "}.get(item.line_state, "")
        facts.append(f"{icon}{t('field.line_state', lang)}: {t('line_state.' + item.line_state, lang)}")
    if item.kind == "complaint":
        facts.append(escape(wants_8d_line(item, lang)))
    if card.repeat_of:
        facts.append(":repeat: " + md("parent.repeat", lang, refs=", ".join(ref(n) for n in card.repeat_of)))
    if item.files:
        links = [f"<{f['permalink']}|{escape(f['name'])}>" if f.get("permalink") else escape(f["name"]) for f in item.files]
        facts.append(f":paperclip: {t('field.files', lang)}: {', '.join(links)}")
    blocks.append({"type": "section", "fields": [mrkdwn(f) for f in fields]})
    if item.status not in ("withdrawn", "draft"):
        state = [md("parent.status", lang, status=t(f"status.{item.status}", lang))]
        if card.owner:
            state.append(md("parent.owner", lang, owner=mention(card.owner)))
        blocks.append(context(*state))
    if facts:
        blocks.append(section(" · ".join(facts)))
    if item.unconfirmed:
        blocks.append(context(":grey_question: " + md("parent.unconfirmed", lang, minutes=policy.intake.unconfirmed_aa_minutes)))
    why = why_severity(item, lang)
    if why:
        blocks.append(context(md("parent.because", lang, severity=item.severity, why=why)))
    if card.deadlines and not withdrawn:
        blocks.append(section(f"*{t('field.deadlines', lang)}*\n" + "\n".join(deadline_lines(card, policy, lang))))
        upcoming = card.next_deadline
        if upcoming and now is not None and item.status not in FINAL:
            blocks.append(context(next_due(policy, lang, upcoming, now)))
    if card.closure_requested:
        blocks.append(context(":hourglass_flowing_sand: " + t("parent.awaiting_approval", lang)))
    approvals = state_lines(card.approval_lines(policy), policy, lang)
    if approvals and not withdrawn:
        blocks += sections([f"*{t('approvals.title', lang)}*", *approvals])
    records = record_lines(card, lang)
    if records:
        blocks += sections([f"*{t('records.title', lang)}*", *records])
    if withdrawn and item.withdrawn_at:
        blocks.append(section(":no_entry_sign: " + md("parent.withdrawn", lang, actor=mention(item.reporter_id),
                                                     when=fmt_when(item.withdrawn_at, tz, lang))))
    blocks.append(context(md("parent.ref", lang, ref=ref(item.number), received=fmt_when(item.received_at, tz, lang))))
    if actions and not withdrawn:  # the department works the item (and corrects what the reporter got wrong) here
        blocks.append(work_buttons(card, lang))
    return blocks


def deadline_lines(card: ItemCard, policy: Policy, lang: str) -> list[str]:
    """Each milestone that applies with its due moment (date and time in the company's zone), ticked once met."""
    return [f"• {escape(milestone_label(m, policy, lang))}: {fmt_when(due, policy.tz, lang)}"
            + (" :white_check_mark:" if met else "") for m, due, met in card.deadline_states]


def next_due(policy: Policy, lang: str, upcoming: tuple[str, datetime], now: datetime) -> str:
    """"Next: 8D report — due 23 Nov, 09:30 (5 hours left)" or "(overdue by 2 hours)"."""
    milestone, due = upcoming
    label = policy.milestones[milestone].get(lang) if milestone in policy.milestones else milestone
    delta = format_timedelta(abs(due - now), threshold=1.5, locale=BABEL_LOCALE.get(lang, "en_GB"))
    left = md("parent.left", lang, delta=delta) if due >= now else md("parent.overdue", lang, delta=delta)
    return (":alarm_clock: " if due < now else "") + md("parent.next", lang, milestone=label, when=fmt_when(due, policy.tz, lang), left=left)


def work_buttons(card: ItemCard, lang: str) -> dict:
    """The step(s) that fit the state as buttons, the rest the table allows in a menu, then the
    corrections. Every button carries item:version; the domain decides again when it is pressed."""
    item = card.item
    status, value = Status(item.status), f"{item.id}:{item.version}"
    steps = [s for s in next_steps(item.kind, status)
             if not (s in ("request_closure", "customer_told") and card.closure_requested)]
    elements = [button(t(f"action.{a}", lang), ids.step(a), value, style="primary" if n == 0 else None)
                for n, a in enumerate(steps)]
    # a visit's step is offered while a visit waits for it, a return's or claim's while one stands where it applies
    menu = [(a, t(f"action.{a}", lang)) for a in menu_steps(item.kind, status)
            if (a not in VISIT_STEPS or VISIT_STEPS[a][0] is None or VISIT_STEPS[a][0] in card.visit_states)
            and may_concern(a, card.returns, card.claims)]
    menu.append((ids.HISTORY, t("menu.history", lang)))
    elements.append({"type": "static_select", "action_id": ids.MORE, "placeholder": plain(t("button.more", lang)),
                     "options": [{"text": plain(label), "value": f"{a}:{value}"} for a, label in menu]})
    if status not in FINAL:
        elements += [button(t("button.change", lang), ids.CHANGE, str(item.id)),
                     button(t("button.correct", lang), ids.CORRECT, str(item.id))]
    return {"type": "actions", "block_id": f"thread_{item.id}", "elements": elements}


def department_mention(policy: Policy, department: str) -> Markup:
    dept = policy.departments[department]
    if dept.usergroup:
        return Markup(f"<!subteam^{dept.usergroup}>")
    return mention(dept.manager) if dept.manager else Markup(escape(dept.name.en))


def ping_text(card: ItemCard, policy: Policy, lang: str) -> str:
    item = card.item
    sev, kind = severity_kind(item, lang)
    first_due = ""
    if card.deadlines:
        milestone, due = card.deadlines[0]
        label = policy.milestones[milestone].get(lang) if milestone in policy.milestones else milestone
        first_due = md("ping.first_due", lang, milestone=label, when=fmt_when(due, policy.tz, lang))
    text = md("ping.new", lang, mention=department_mention(policy, item.department), severity=sev, kind=kind,
              department=policy.departments[item.department].name.get(lang), reporter=mention(item.reporter_id),
              first_due=first_due).strip()
    for other in item.also_departments:
        if other in policy.departments:
            text += "\n" + md("ping.also", lang, mention=department_mention(policy, other))
    manager = policy.departments[item.department].manager
    if card.repeat_of and manager:  # the department manager is told of a repeat
        text += "\n:repeat: " + md("ping.repeat", lang, refs=", ".join(ref(n) for n in card.repeat_of), manager=mention(manager))
    return text


def note_text(card: ItemCard, policy: Policy, lang: str, data: dict) -> str:
    actor = mention(data.get("actor", card.item.reporter_id))
    if data.get("note") == "withdrawn":
        return ":no_entry_sign: " + md("note.withdrawn", lang, actor=actor)
    if data.get("note") == "lifecycle" and data.get("action") in ("add_department", "reassign") \
            and data.get("department") in policy.departments:  # the department is told it has work here
        key = "note.department_added" if data["action"] == "add_department" else "note.reassigned"
        return ":busts_in_silhouette: " + md(key, lang, actor=actor, mention=department_mention(policy, data["department"]),
                                              department=policy.departments[data["department"]].name.get(lang))
    if data.get("note") == "lifecycle":
        return lifecycle_note(card, lang, data)
    if data.get("note") == "approval":
        return approval_note(card, policy, lang, data)
    if data.get("note") == "reported_again":  # a second salesperson's report of the same problem
        return ":heavy_plus_sign: " + md("note.reported_again", lang, actor=actor, text=clip(data.get("text", ""), 2500))
    if data.get("note") == "corrected":
        return ":pencil2: " + md("note.corrected", lang, actor=actor, changes=describe_changes(data.get("changes", {}), policy, lang))
    text = ":pencil2: " + md("note.reclassified", lang, actor=actor, changes=describe_changes(data.get("changes", {}), policy, lang))
    if data.get("reason"):  # a severity or department change says why (domain/corrections.py)
        text += "\n" + md("note.severity_reason", lang, reason=data["reason"])
    return text


# A step's note in the thread: its emoji and message; the others say "<actor>: <action> — <summary>".
LIFECYCLE_NOTES = {
    "take_ownership": (":eyes:", "note.took_ownership"),
    "record_containment": (":shield:", "note.contained"),
    "record_root_cause": (":mag:", "note.root_caused"),
    "send_8d": (":page_facing_up:", "note.eightd"),
    "not_ours": (":no_entry:", "note.not_ours"),
    "send_back": (":leftwards_arrow_with_hook:", "note.sent_back"),
    "wait_on_customer": (":hourglass:", "note.waiting"),
    "reopen": (":arrows_counterclockwise:", "note.reopened"),
}


def record_summary(record: dict, lang: str) -> str:
    """'RMA-1 · 37 pcs · 2026-11-23', '#1 · Line-stop cost · CNY 25,000.00': a record's step in a line."""
    parts = []
    if record.get("return_id"):
        parts.append(f"RMA-{record['return_id']}")
    if record.get("claim_id"):
        parts.append(f"#{record['claim_id']}")
    if record.get("quantity"):
        parts.append(t("records.pieces", lang, quantity=f"{read_count(record['quantity']) or 0:,}"))
    for name in ("inspection", "disposition", "shipped", "claim_type"):
        if record.get(name):
            parts.append(t(f"{name}.{record[name]}", lang))
    currency = (record.get("currency") or "").strip().upper()
    for name in ("amount", "accepted_amount"):
        if record.get(name) and read_amount(record[name]) is not None:
            parts.append(shown(read_amount(record[name]), currency) if currency else f"{read_amount(record[name]):,.2f}")
    parts += [record[name] for name in ("received_on", "paid_on") if record.get(name)]
    return " · ".join(parts)


def lifecycle_note(card: ItemCard, lang: str, data: dict) -> str:
    action = data.get("action", "")
    params = {"actor": mention(data.get("actor", card.item.reporter_id)), "reporter": mention(card.item.reporter_id),
              "summary": data.get("summary") or "", "reason": data.get("reason") or "",
              "category": t(f"rootcause.{data.get('category')}", lang), "action": t(f"action.{action}", lang)}
    if action in RECORD_ACTIONS:  # a return's or claim's step, whatever state the complaint is in
        params["summary"] = record_summary(data.get("record") or {}, lang)
        return (":package: " if "return" in action else ":moneybag: ") + md("note.step", lang, **params)
    if data.get("status") == Status.closed:
        return ":white_check_mark: " + md("note.closed", lang, **params)
    if action in ("request_closure", "customer_told") and data.get("awaiting_approval"):
        key = "note.approval_requested" if action == "request_closure" else "note.told_awaiting_approval"
        return ":hourglass_flowing_sand: " + md(key, lang, **params)
    if action in ("set_urgency", "change_severity", "set_wants_8d"):  # the new level (or 8D request) and why
        now = wants_8d_line(card.item, lang) if action == "set_wants_8d" else level_line(card.item, lang)
        params["summary"] = now + (f" — {params['reason']}" if params["reason"] else "")
    if action in LIFECYCLE_NOTES:
        emoji, key = LIFECYCLE_NOTES[action]
        return f"{emoji} " + md(key, lang, **params)
    if params["summary"]:
        return ":arrow_forward: " + md("note.step", lang, **params)
    return ":arrow_forward: " + md("note.lifecycle", lang, **params)


FACT_VALUES = {"problem_severity": "severity", "urgency": "urgency", "urgency_source": "fact_source",
               "wants_8d_source": "fact_source", "line_state": "line_state"}


def describe_changes(changes: dict, policy: Policy, lang: str) -> str:
    def show(name: str, value) -> str:
        if name == "department":
            return policy.departments[value].name.get(lang) if value in policy.departments else value
        if name in ("kind", "category", "severity", "status"):
            return t(f"{name}.{value}", lang)
        if value is not None and name in FACT_VALUES:  # the level's sources and the 8D request's
            return t(f"{FACT_VALUES[name]}.{value}", lang)
        if isinstance(value, bool):
            return t("yes" if value else "no", lang)
        if isinstance(value, list):
            return ", ".join(value) or "—"
        return "—" if value is None else clip(str(value), 80)

    return "; ".join(f"{t('field.' + name, lang)}: {show(name, a)} → {show(name, b)}" for name, (a, b) in changes.items())
