"""What the reporter sees: the ephemeral confirmation and the proposal when the bot is unsure."""
from __future__ import annotations

from domain.lifecycle.table import FINAL, Status
from bot import action_ids as ids
from domain.cards import ItemCard
from bot.views.facts import level_line, wants_8d_line
from bot.views.thread import deadline_lines
from bot.views.common import Markup, button, context, escape, md, mention, section, severity_kind, why_severity
from domain.i18n import fmt_when, ref, t
from domain.policy import Policy


def confirmation_text(card: ItemCard, policy: Policy, lang: str, link: str | None, error: str | None = None) -> str:
    item = card.item
    if item.status == Status.withdrawn:
        return md("confirm.withdrawn", lang, ref=ref(item.number))
    if error:
        return md("confirm.not_posted", lang, ref=ref(item.number), error=error)
    if not link:
        return md("confirm.pending", lang, ref=ref(item.number))
    sev, kind = severity_kind(item, lang)
    return md("confirm.filed", lang, ref=ref(item.number), severity=sev, kind=kind, customer=card.customer_in(lang) or "?",
              department=policy.departments[item.department].name.get(lang),
              link=Markup(f"<{link}|{escape(t('confirm.thread', lang))}>"))


def confirmation_blocks(card: ItemCard, policy: Policy, lang: str, link: str | None, error: str | None = None,
                        can_undo: bool = True) -> list[dict]:
    item = card.item
    blocks = [section((":white_check_mark: " if not error else ":warning: ") + confirmation_text(card, policy, lang, link, error))]
    why = why_severity(item, lang)
    if why and item.status != Status.withdrawn:
        blocks.append(context(md("parent.because", lang, severity=item.severity, why=why)))
    if item.kind == "complaint" and item.status != Status.withdrawn:
        blocks.append(context(escape(level_line(item, lang)) + " · " + escape(wants_8d_line(item, lang))))
    if card.deadlines and item.status not in FINAL:  # what the department owes, and by when (the README's promise)
        blocks.append(section(md("confirm.deadlines", lang, zone=policy.company.timezone) + "\n"
                              + "\n".join(deadline_lines(card, policy, lang))))
    if item.status not in FINAL:  # closed and withdrawn items take no corrections (reopen first)
        actions = [button(t("button.change", lang), ids.CHANGE, str(item.id)),
                   button(t("button.correct", lang), ids.CORRECT, str(item.id))]
        if can_undo:
            actions.append(button(t("button.undo", lang), ids.UNDO, str(item.id), style="danger"))
        blocks.append({"type": "actions", "block_id": f"item_{item.id}", "elements": actions})
    return blocks


def proposal_blocks(card: ItemCard, policy: Policy, lang: str, reminder: bool = False) -> list[dict]:
    item = card.item
    values = md("proposal.values", lang, kind=t(f"kind.{item.kind}", lang), category=t(f"category.{item.category}", lang),
               severity=item.severity, department=policy.departments[item.department].name.get(lang))
    customer = escape(card.customer_in(lang)) if card.customer_name else t("proposal.customer_missing", lang)
    blocks = [
        section(f":thinking_face: {t('proposal.intro', lang)}\n*{customer}* — {values}"),
        context(">" + escape(item.summary)),
    ]
    if reminder:
        blocks.insert(0, section(":alarm_clock: " + t("proposal.reminder", lang)))
    offered = (item.offers or {}).get("customers") or []
    actions = []
    if offered:  # "did you mean …?": one button per close known customer, or keep the name as a new one
        typed = item.customer_text or ""
        blocks.append(section(md("offer.customer", lang, typed=typed)))
        actions += [button(c["name"], ids.pick_customer(n), f"{item.id}:{c['id']}") for n, c in enumerate(offered)]
        actions.append(button(t("offer.customer_new", lang, typed=typed[:40]), ids.pick_customer(len(offered)), f"{item.id}:new"))
    elif (item.offers or {}).get("aa_question"):  # AA plausible: the answer sets the severity, then it is filed
        blocks.append(section(":rotating_light: " + t("aa.question", lang)))
        actions += [button(t(f"aa.{answer}", lang), ids.answer_aa(n), f"{item.id}:{answer}", style="danger" if n < 2 else None)
                    for n, answer in enumerate(("line", "safety", "neither"))]
    elif card.duplicate is not None:  # the same report again: add it to the first item, or file it anyway
        d = card.duplicate
        blocks.append(section(":link: " + md("offer.duplicate", lang, ref=ref(d.number), reporter=mention(d.reporter_id),
                                             when=fmt_when(d.received_at, policy.tz, lang), summary=d.summary)))
        actions += [button(t("offer.add_to", lang, ref=ref(d.number)), ids.ADD_TO_EXISTING, str(item.id), style="primary"),
                    button(t("offer.file_new", lang), ids.FILE_DRAFT, str(item.id))]
    elif card.customer_name:
        actions.append(button(t("button.file", lang), ids.FILE_DRAFT, str(item.id), style="primary"))
    else:
        blocks.append(section(t("proposal.no_customer", lang)))
    actions += [button(t("button.edit", lang), ids.EDIT_DRAFT, str(item.id)),
                button(t("button.cancel", lang), ids.CANCEL_DRAFT, str(item.id))]
    blocks.append({"type": "actions", "block_id": f"draft_{item.id}", "elements": actions})
    return blocks


def proposal_text(card: ItemCard, policy: Policy, lang: str, reminder: bool = False) -> str:
    return t("proposal.reminder" if reminder else "proposal.intro", lang)
