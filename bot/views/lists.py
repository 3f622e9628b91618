"""`/complaints`: a page of items, each a line with its reference, severity, status, customer, next
deadline and a link to its thread; a *Next page* button while there are more."""
from __future__ import annotations

import json
from datetime import datetime

from bot import action_ids as ids
from bot.views.common import SEVERITY_EMOJI, button, context, escape, md, section
from domain.i18n import fmt_when, ref, t
from domain.reports.labels import milestone_label
from domain.lists import Page
from domain.policy import Policy
from domain.text import excerpt


def list_blocks(page: Page, title: str, policy: Policy, lang: str, links: dict[int, str], now: datetime,
                next_value: dict | None) -> list[dict]:
    blocks = [section(f"*{escape(title)}*")]
    if not page.rows:
        blocks.append(section(t("list.empty", lang)))
        return blocks
    lines = []
    for r in page.rows:
        reference = f"<{links[r.id]}|{ref(r.number)}>" if r.id in links else ref(r.number)
        line = (f"{SEVERITY_EMOJI.get(r.severity, '')} *{reference}* · {t('status.' + r.status, lang)} · "
                f"{escape(r.customer_in(lang) or '?')} — {escape(excerpt(r.summary, 80))}")
        if r.next_due:
            milestone, due = r.next_due
            label = milestone_label(milestone, policy, lang)
            late = " :warning:" if due < now else ""
            line += f"\n      {escape(label)}: {fmt_when(due, policy.tz, lang)}{late}"
        lines.append(line)
    for start in range(0, len(lines), 10):
        blocks.append(section("\n".join(lines[start:start + 10])))
    blocks.append(context(md("list.page", lang, first=page.offset + 1, last=page.offset + len(page.rows), total=page.total)))
    if next_value is not None and page.more:
        blocks.append({"type": "actions", "block_id": "list_pages",
                       "elements": [button(t("list.next", lang), ids.LIST_NEXT, json.dumps(next_value))]})
    return blocks
