"""`/visit VOC-42`: the complaint's field-service visits, each with its state, people, site and the two
deadlines, and a button for each next step (the step's form picks the visit). Pure: reports in, blocks out."""
from __future__ import annotations

from datetime import datetime

from bot import action_ids as ids
from bot.views.common import Markup, button, context, md, mention, section
from domain.cards import ItemCard
from domain.i18n import fmt_when, ref, t
from domain.lifecycle.visit_report import VisitReport
from domain.lifecycle.visits import VISIT_STEPS
from domain.policy import Policy


def visit_blocks(card: ItemCard, reports: list[VisitReport], policy: Policy, lang: str, now: datetime) -> list[dict]:
    item = card.item
    blocks = [section(md("visit.title", lang, ref=ref(item.number)) if reports else md("visit.none", lang, ref=ref(item.number)))]
    for r in reports:
        line = md("visit.line", lang, n=r.number_on_item, state=t(f"visit.state.{r.state}", lang),
                  engineers=Markup(", ".join(mention(u) for u in r.engineers)), site=r.site)
        dues = []
        for kind, due, done in (("visit_arrival", r.arrival_due, r.arrived_at), ("visit_report", r.report_due, r.report_at)):
            if due is not None:
                mark = " :white_check_mark:" if done else (" :warning:" if due < now else "")
                dues.append(md("visit.due", lang, milestone=t(f"milestone.{kind}", lang), when=fmt_when(due, policy.tz, lang)) + mark)
        blocks.append(section(line + ("\n" + "\n".join(dues) if dues else "")))
        if r.findings:
            blocks.append(context(md("step.field.findings", lang) + ": " + md("visit.text", lang, text=r.findings)))
    states = {r.state for r in reports}
    value = f"{item.id}:{item.version}"
    steps = ["request_visit"] + [a for a, (needed, _) in VISIT_STEPS.items() if needed in states]
    blocks.append({"type": "actions", "block_id": f"visits_{item.id}",
                   "elements": [button(t(f"action.{a}", lang), ids.step(a), value, style="primary" if n == 0 else None)
                                for n, a in enumerate(steps)]})
    return blocks
