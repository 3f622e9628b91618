"""App Home: a person's own open items, their department's queue with its overdue count, a small
chart of new items per week (bars drawn with text, which Slack shows at once), and quick actions."""
from __future__ import annotations

from datetime import datetime

from bot import action_ids as ids
from bot.views.common import button, md, section
from bot.views.lists import list_blocks
from domain.i18n import t
from domain.policy import Policy
from domain.reports.home import Home

BAR_WIDTH = 20


def week_bars(weeks: tuple[tuple[str, int], ...]) -> str:
    """One line per week: `2026-W47 ▇▇▇▇▇ 5`, the longest bar BAR_WIDTH wide."""
    top = max((n for _, n in weeks), default=0) or 1
    return "\n".join(f"`{week}` {'▇' * round(n / top * BAR_WIDTH) if n else '·'} {n}" for week, n in weeks)


def home_view(home: Home, policy: Policy, lang: str, now: datetime) -> dict:
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": t("home.title", lang)}},
        {"type": "actions", "block_id": "home_actions", "elements": [
            button(t("home.log", lang), ids.HOME_LOG, "log", style="primary"),
            button(t("home.mine_button", lang), ids.HOME_MINE, "mine"),
            button(t("home.digest_button", lang), ids.HOME_DIGEST, "week")]},
        {"type": "divider"},
    ]
    blocks += _page(home.mine, md("home.mine", lang, total=home.mine.total), "mine", policy, lang, now)
    if home.departments:
        names = " / ".join(policy.departments[d].name.get(lang) for d in home.departments if d in policy.departments)
        title = md("home.queue", lang, departments=names, total=home.queue.total, overdue=home.overdue)
        blocks += [{"type": "divider"}] + _page(home.queue, title, "dept", policy, lang, now)
    else:
        blocks += [{"type": "divider"}, section(t("home.no_department", lang))]
    blocks += [{"type": "divider"}, section(md("home.weeks", lang) + "\n" + week_bars(home.weeks))]
    return {"type": "home", "blocks": blocks}


def _page(page, title: str, scope: str, policy: Policy, lang: str, now: datetime) -> list[dict]:
    """The list's lines under our own title, with where to see the rest."""
    blocks = list_blocks(page, title, policy, lang, {}, now, None)
    blocks[0] = section(title)
    kept = [b for b in blocks if b.get("type") != "context"]
    if page.more:
        kept.append(section(md("home.more", lang, more=page.total - len(page.rows), scope=scope)))
    return kept
