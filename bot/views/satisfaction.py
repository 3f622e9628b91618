"""Customer satisfaction, drawn: the score with its figures and the events that made B, the survey
form, and the quality manager's DM for an improvement action. Pure functions of domain objects."""
from __future__ import annotations

import json
from datetime import date
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal

from bot import action_ids as ids
from bot.views.common import Markup, button, context, escape, md, mention, plain, section, sections
from domain.i18n import BABEL_LOCALE, t
from domain.policy import Policy
from domain.satisfaction.score import COMPOSITE, Score
from domain.satisfaction.survey import FIRST_YEAR, LEVELS

SURVEY_MODAL = "voc_satisfaction_survey_modal"
B_CUSTOMER = "satisfaction_customer"
B_YEAR = "satisfaction_year"
B_ANSWER = "satisfaction_answer__"  # + item + "__" + level, one number input each


def answer_block_id(item: str, level: str) -> str:
    return f"{B_ANSWER}{item}__{level}"


def _number(value: float | None, lang: str) -> str:
    if value is None:
        return t("satisfaction.not_known", lang)
    return format_decimal(value, format="#,##0.#", locale=BABEL_LOCALE.get(lang, "en_GB"))


def _percent(share: float, lang: str) -> str:
    return _number(share * 100, lang) + "%"


def _points(points: float) -> str:
    return f"{points:+g}".replace("-", "−")


def _day(day: date, lang: str) -> str:
    return format_date(day, "yyyy年M月d日" if lang == "zh" else "d MMM yyyy", locale=BABEL_LOCALE.get(lang, "en_GB"))


def _below_mark(policy: Policy, lang: str) -> str:
    return " :warning: _" + md("satisfaction.below_mark", lang, threshold=_percent(policy.satisfaction.threshold, lang)) + "_"


def _item_label(policy: Policy, item: str, lang: str) -> str:
    return policy.satisfaction.items[item].get(lang) if item in policy.satisfaction.items else item


def _rule_label(policy: Policy, rule: str, lang: str) -> str:
    return next((r.label.get(lang) for r in policy.satisfaction.rules if r.id == rule), rule)


def _event_what(event, lang: str) -> Markup:
    if event.ref:
        key = "satisfaction.event.repeat" if event.repeat else "satisfaction.event.complaint"
        also = md("satisfaction.event.also", lang, refs=", ".join(event.also)) if event.also else ""
        return Markup(md(key, lang, ref=event.ref, day=_day(event.on, lang)) + also)
    if event.since and event.note:  # a month's return rate: its figure is the note
        key = "satisfaction.event.return_rate_repeat" if event.repeat else "satisfaction.event.return_rate"
        return md(key, lang, since=_day(event.since, lang), until=_day(event.on, lang), ppm=event.note)
    if event.since:
        return md("satisfaction.event.quiet", lang, since=_day(event.since, lang), until=_day(event.on, lang))
    return md("satisfaction.event.manual", lang, day=_day(event.on, lang), note=event.note or "—")


def item_lines(score: Score, policy: Policy, lang: str) -> list[str]:
    lines = []
    for r in score.items:
        label = _item_label(policy, r.item, lang)
        if r.rate is None:
            lines.append("• " + md("satisfaction.item_unanswered", lang, label=label))
            continue
        line = "• " + md("satisfaction.item", lang, label=label, rate=_percent(r.rate, lang), satisfied=r.satisfied,
                         answers=r.answers)
        lines.append(line + (_below_mark(policy, lang) if r.item in score.below else ""))
    return lines


def event_lines(score: Score, policy: Policy, lang: str) -> list[str]:
    return ["• " + md("satisfaction.event", lang, points=_points(e.points), rule=_rule_label(policy, e.rule, lang),
                      what=_event_what(e, lang)) for e in score.events]


def not_counted_lines(score: Score, lang: str) -> list[str]:
    """Complaints on record that cost nothing, each with why (withdrawn; the same event as another)."""
    return ["• " + md(f"satisfaction.not_counted.{n.why}", lang, ref=n.ref, of=n.of or "") for n in score.not_counted]


def _department(policy: Policy, dept: str, lang: str) -> str:
    return policy.departments[dept].name.get(lang) if dept in policy.departments else dept


def task_lines(score: Score, policy: Policy, lang: str) -> list[str]:
    """Each improvement action of the year: state, owner, due day, each department's answer, who is awaited."""
    return ["• " + task_text(task, policy, lang) for task in score.tasks]


def task_text(task, policy: Policy, lang: str) -> str:
    """One improvement action: state, owner, due day, each department's answer, who is still awaited."""
    owner = mention(task.owner) if task.owner else t("satisfaction.nobody", lang)
    block = [md("satisfaction.task", lang, id=task.id, state=t(f"satisfaction.task_state.{task.state}", lang),
                owner=owner, due=_day(task.due_on, lang))]
    block += ["   " + md("satisfaction.task_answer", lang, department=_department(policy, a.department, lang), answer=a.answer)
              for a in task.answers]
    if task.state == "open" and task.missing:
        block.append("   _" + md("satisfaction.task_waiting", lang,
                                 departments=", ".join(_department(policy, d, lang) for d in task.missing)) + "_")
    return "\n".join(block)


def _below_what(below: list[str] | tuple[str, ...], label_of) -> str:
    return ", ".join(label_of(b) for b in below)


def score_text(score: Score, policy: Policy, lang: str) -> str:
    """The notification text (what a phone shows, and screen readers)."""
    return md("satisfaction.fallback", lang, customer=score.customer_in(lang), year=score.year,
              composite=_number(score.composite, lang))


def score_blocks(score: Score, policy: Policy, lang: str) -> list[dict[str, Any]]:
    cfg = policy.satisfaction
    threshold = _percent(cfg.threshold, lang)
    blocks: list[dict[str, Any]] = [{"type": "header", "text": plain(
        t("satisfaction.title", lang, customer=score.customer_in(lang), year=score.year), 150)}]
    if score.surveyed:
        headline = md("satisfaction.composite", lang, composite=_number(score.composite, lang), a=_number(score.a, lang),
                      b=_number(score.b, lang), wa=_percent(cfg.survey_weight, lang), wb=_percent(cfg.performance_weight, lang))
        blocks.append(section(headline + (_below_mark(policy, lang) if COMPOSITE in score.below else "")))
        blocks.append(section("\n".join([md("satisfaction.a", lang, a=_number(score.a, lang)),
                                         *item_lines(score, policy, lang)])))
    else:
        blocks.append(section(md("satisfaction.no_survey", lang, year=score.year, b=_number(score.b, lang))))
    blocks.append(section(md("satisfaction.b", lang, b=_number(score.b, lang))))
    lines = event_lines(score, policy, lang) or [t("satisfaction.no_events", lang)]
    lines[0] = t("satisfaction.events_title", lang) + "\n" + lines[0]
    blocks += sections(lines)
    for title, more in (("satisfaction.not_counted_title", not_counted_lines(score, lang)),
                        ("satisfaction.tasks_title", task_lines(score, policy, lang))):
        if more:
            more[0] = t(title, lang) + "\n" + more[0]
            blocks += sections(more)
    if len(cfg.survey_moments) > 1 or score.moment != "year_end":
        blocks.append(context(md("satisfaction.moment_note", lang, moment=t(f"satisfaction.moment.{score.moment}", lang))))
    if score.below:
        what = _below_what(score.below, lambda b: t("satisfaction.composite_label", lang) if b == COMPOSITE
                           else _item_label(policy, b, lang))
        blocks.append(context(md("satisfaction.below", lang, threshold=threshold, what=what)))
    elif score.surveyed:
        blocks.append(context(md("satisfaction.all_above", lang, threshold=threshold)))
    return blocks


MAX_COUNT = 100_000  # answers to one question of one customer's survey: more is a typo


def survey_modal(policy: Policy, lang: str, customer: str, year: int, metadata: dict | None = None,
                 last_year: int | None = None) -> dict:
    """The survey form for a customer already checked (shown, carried in the metadata: nothing to
    get wrong after the counts are typed), the year (up to `last_year`), and per item five counts."""
    moment = (metadata or {}).get("moment") or "year_end"
    blocks: list[dict[str, Any]] = [
        section(md("satisfaction.modal.intro", lang)),
        *([context(md("satisfaction.moment_note", lang, moment=t(f"satisfaction.moment.{moment}", lang)))]
          if len(policy.satisfaction.survey_moments) > 1 else []),
        section(f"*{escape(t('field.customer', lang))}:* {escape(customer)}"),
        {"type": "input", "block_id": B_YEAR, "label": plain(t("satisfaction.modal.year", lang)),
         "element": {"type": "number_input", "action_id": B_YEAR, "is_decimal_allowed": False, "min_value": str(FIRST_YEAR),
                     **({"max_value": str(last_year)} if last_year else {}), "initial_value": str(year)}},
    ]
    for item, label in policy.satisfaction.items.items():
        blocks.append({"type": "header", "text": plain(label.get(lang), 150)})
        for level in LEVELS:
            block_id = answer_block_id(item, level)
            blocks.append({"type": "input", "block_id": block_id, "optional": True,
                           "label": plain(t("satisfaction.modal.answer", lang, item=label.get(lang),
                                            level=t(f"satisfaction.level.{level}", lang)), 2000),
                           "element": {"type": "number_input", "action_id": block_id, "is_decimal_allowed": False,
                                       "min_value": "0", "max_value": str(MAX_COUNT)}})
    return {"type": "modal", "callback_id": SURVEY_MODAL, "title": plain(t("satisfaction.modal.title", lang), 24),
            "submit": plain(t("satisfaction.modal.submit", lang), 24),
            "close": plain(t("satisfaction.modal.close", lang), 24),
            "private_metadata": json.dumps({**(metadata or {}), "customer": customer}), "blocks": blocks}


def _typed(view: dict, block_id: str) -> str:
    """A field's text as submitted ("" when absent, or not text: the ack never fails on a shape)."""
    values = (view.get("state") or {}).get("values") or {}
    field = values.get(block_id) if isinstance(values, dict) else None
    entry = field.get(block_id) if isinstance(field, dict) else None
    value = entry.get("value") if isinstance(entry, dict) else None
    return value.strip() if isinstance(value, str) else ""


def read_survey(policy: Policy, view: dict) -> tuple[str, int | None, dict[str, dict[str, int]]]:
    """A submitted survey form (checked by `survey_errors` in the ack): customer, year and answers
    ({item: {level: n}}; an empty field is 0, an item left empty altogether is left out). A form
    opened before the customer was fixed still has its customer field."""
    def number(text: str) -> int:
        return int(text) if text.isdecimal() else 0

    year = _typed(view, B_YEAR)
    answers = {}
    for item in policy.satisfaction.items:
        counts = {level: number(_typed(view, answer_block_id(item, level))) for level in LEVELS}
        if any(counts.values()):
            answers[item] = counts
    customer = _typed(view, B_CUSTOMER) or str(_metadata(view).get("customer") or "")
    return customer, int(year) if year.isdecimal() else None, answers


def survey_errors(policy: Policy, view: dict, last_year: int, lang: str) -> dict[str, str]:
    """What is wrong with a submitted survey, per field, in the person's language (empty: nothing).
    Pure, for the ack: Slack keeps what was typed and shows each message under its field."""
    errors: dict[str, str] = {}
    year = _typed(view, B_YEAR)
    if not year:
        errors[B_YEAR] = t("satisfaction.error.no_year", lang, last=last_year)
    elif not (year.isdecimal() and FIRST_YEAR <= int(year) <= last_year):
        errors[B_YEAR] = t("satisfaction.error.bad_year", lang, year=year, last=last_year)
    fields = [(item, level, answer_block_id(item, level)) for item in policy.satisfaction.items for level in LEVELS]
    for item, level, block_id in fields:
        count = _typed(view, block_id)
        if count and not (count.isdecimal() and int(count) <= MAX_COUNT):
            errors[block_id] = t("satisfaction.error.bad_count", lang, item=policy.satisfaction.items[item].get(lang),
                                 level=t(f"satisfaction.level.{level}", lang))
    if not errors and not any(_typed(view, block_id) not in ("", "0") for *_, block_id in fields):
        errors[fields[0][2]] = t("satisfaction.error.no_answers", lang)
    return errors


def _metadata(view: dict) -> dict:
    try:
        found = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def improvement_text(data: dict, lang: str) -> str:
    """The quality manager's DM, from the outbox row's data alone (domain/satisfaction/improvement.py)."""
    customer = (data.get("customer_names") or {}).get(lang) or data["customer"]
    items = data.get("items", {})
    threshold = _percent(data["threshold"], lang)

    def label(below: str) -> str:  # "Delivery 60%", "The composite 78.4"
        if below == COMPOSITE:
            return f"{t('satisfaction.composite_label', lang)} {_number(data['composite'], lang)}"
        entry = items.get(below, {})
        name = (entry.get("label") or {}).get(lang) or below
        return f"{name} {_percent(entry['rate'], lang)}" if entry.get("rate") is not None else name

    what = _below_what(data["below"], label)
    return (md("satisfaction.improvement", lang, customer=customer, year=data["year"], threshold=threshold, what=what)
            + " " + md("satisfaction.improvement_figures", lang, composite=_number(data["composite"], lang),
                       a=_number(data["a"], lang), b=_number(data["b"], lang)))


def entry_request_blocks(data: dict, lang: str) -> tuple[str, list[dict[str, Any]]]:
    """The quality manager's DM for a manual entry: what, for whom, when, by whom, with Confirm / Decline."""
    text = md("satisfaction.entry_request", lang, recorder=mention(data["recorded_by"]), rule=data["rule_label"].get(lang),
              points=_points(data["points"]), customer=(data.get("customer_names") or {}).get(lang) or data["customer"],
              day=_day(date.fromisoformat(data["on"]), lang), note=data.get("note") or "—")
    value = str(data["entry_id"])
    return text, [section(text), {"type": "actions", "block_id": f"satisfaction_entry_{value}", "elements": [
        button(t("satisfaction.entry_confirm", lang), ids.SATISFACTION_ENTRY_CONFIRM, value, style="primary"),
        button(t("satisfaction.entry_decline", lang), ids.SATISFACTION_ENTRY_DECLINE, value)]}]


def entry_done_text(data: dict, state: str, by: str, lang: str) -> str:
    """What replaces the request once decided, and what the person who recorded it is told."""
    return md("satisfaction.entry_done", lang, rule=data["rule_label"].get(lang),
              customer=(data.get("customer_names") or {}).get(lang) or data["customer"],
              day=_day(date.fromisoformat(data["on"]), lang), state=t(f"satisfaction.entry_state.{state}", lang), by=mention(by))


def entry_pending_text(score: Score, policy: Policy, rule: str, day: date, lang: str) -> str:
    return md("satisfaction.entry_pending", lang, rule=_rule_label(policy, rule, lang), customer=score.customer_in(lang),
              day=_day(day, lang))


def task_opened_text(data: dict, lang: str) -> str:
    customer = (data.get("customer_names") or {}).get(lang) or data["customer"]
    items = data.get("items", {})

    def label(below: str) -> str:
        if below == COMPOSITE:
            return f"{t('satisfaction.composite_label', lang)} {_number(data['composite'], lang)}"
        entry = items.get(below, {})
        name = (entry.get("label") or {}).get(lang) or below
        return f"{name} {_percent(entry['rate'], lang)}" if entry.get("rate") is not None else name

    return (md("satisfaction.task_opened", lang, id=data["task_id"], customer=customer, year=data["year"],
               threshold=_percent(data["threshold"], lang), what=_below_what(data["below"], label),
               due=_day(date.fromisoformat(data["due_on"]), lang))
            + "\n" + md("satisfaction.task_how", lang, id=data["task_id"]))


def task_reminder_text(data: dict, lang: str) -> str:
    customer = (data.get("customer_names") or {}).get(lang) or data["customer"]
    missing = ", ".join(label.get(lang) or d for d, label in (data.get("missing") or {}).items()) or "—"
    return (md("satisfaction.task_reminder", lang, id=data["task_id"], customer=customer, year=data["year"],
               due=_day(date.fromisoformat(data["due_on"]), lang), missing=missing)
            + "\n" + md("satisfaction.task_how", lang, id=data["task_id"]))


def survey_moment_text(data: dict, lang: str) -> str:
    """The owner's reminder to run the survey, naming their customers."""
    customers = ", ".join((c.get("names") or {}).get(lang) or c["name"] for c in data["customers"])
    tail = " mid" if data["moment"] == "mid_year" else ""
    return md("satisfaction.survey_moment", lang, moment=t(f"satisfaction.moment.{data['moment']}", lang),
              customers=customers, year=data["year"], tail=tail)
