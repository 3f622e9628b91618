"""The deadline and report journeys on both platforms, over real HTTP: the same steps (tests/test_sla_slack.py,
tests/test_report_slack.py) with Slack's emulator or Teams' (signed activities in, connector calls out).

A journey is data: what to do and what to look at on each platform (`SlackSide`, `TeamsSide` below), the
same assertions for both — a reminder before the deadline in the item's thread naming the department, an
escalation after it naming the manager and a message to the manager in their chat, nothing twice at the
next tick; Monday's digest in the managers' channel with its charts (real PNGs), the month's report in the
general manager's chat with its ledger. On Teams the managers are Teams people (the policy names them)."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests
from sqlmodel import select

from bot.messaging.boundary import SLACK, TEAMS
from bot.teams import people
from domain.policy import Policy, load_policy
from models import OutboundMessage
from tests.conftest import START
from tests import teams_world
from tests.teams_world import channel_of, tag_of
from tests.test_flows import FLOOR, QUALITY, SALES
from tests.test_sla_slack import scheduler_at

QM_AAD, GM_AAD = "5f0c6a1e-7b2d-4c55-9a41-0d2b3c4e5f60", "8a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
QM_TEAMS, GM_TEAMS = people.person_id(QM_AAD), people.person_id(GM_AAD)
QM_SLACK, GM_SLACK, MANAGERS_SLACK = "U0QMWANG", "U0GMHUANG", "C0MANAGERS"
MANAGERS_TEAMS = "19:vocmanagers@thread.tacv2"
SH = ZoneInfo("Asia/Shanghai")
teams = teams_world.teams  # the fixture: Teams beside the Slack harness
MONDAY_NINE = datetime(2026, 11, 23, 9, 0, tzinfo=SH)
AA = "Geely: connectors cracked, their line stopped"
LATE = "BYD: the shipment arrived two days late, no impact on their production"


@pytest.fixture(scope="module", params=[SLACK, TEAMS])
def policy(request):
    """The shipped policy; on Teams its departments placed in Teams channels, and the quality manager (also
    the quality department's manager), the general manager and the managers' channel Teams ones."""
    data = load_policy().model_dump(mode="json")
    if request.param == TEAMS:
        for key, dept in data["departments"].items():
            dept["teams"] = {"channel": channel_of(key), "tag": tag_of(key), "tag_name": dept["name"]["en"]}
        data["roles"]["quality_manager"]["users"] = [QM_TEAMS]
        data["departments"]["quality"]["manager"] = QM_TEAMS
        data["reports"]["weekly"]["to"] = [{"channel": MANAGERS_TEAMS}]
        data["reports"]["monthly"]["to"] = [{"channel": MANAGERS_TEAMS}, {"user": GM_TEAMS}]
    return Policy.model_validate(data)


class SlackSide:
    reminder, overdue = ":alarm_clock:", ":rotating_light:"

    def __init__(self, h):
        self.h = h

    def file(self, text: str, dept_channel: str = QUALITY):
        self.h.slack.command(SALES, FLOOR, text)
        [parent] = self.h.ws.wait_for(lambda: self.h.ws.channel_messages(dept_channel))
        self.h.join()
        self.parent = parent

    def thread(self) -> list[str]:
        return [m.text for m in self.h.ws.thread(QUALITY, self.parent.ts)]

    def names_department(self, text: str) -> bool:
        return f"<!subteam^{self.h.rt.policy.departments['quality'].usergroup}>" in text

    def names_manager(self, text: str) -> bool:
        return f"<@{QM_SLACK}>" in text

    def manager_chat(self) -> list[str]:
        return [m.text for m in self.h.ws.channel_messages(self.h.ws.dm_channel(QM_SLACK))]

    def reports(self, person: bool = False) -> list[dict]:
        """Each report in the managers' channel (or the GM's chat): its title and its files' contents."""
        where = self.h.ws.dm_channel(GM_SLACK) if person else MANAGERS_SLACK
        found = self.h.ws.channel_messages(where)
        titled = [m for m in found if (m.metadata or {}).get("event_type") == "voc_report"]
        files = [m for m in found if m.files]
        uploaded = {f.filename: f.data for f in self.h.ws.files.values()}
        return [{"title": m.blocks[0]["text"]["text"],
                 "files": {f["name"]: uploaded[f["name"]] for f in (files[i].files if i < len(files) else [])}}
                for i, m in enumerate(titled)]


class TeamsSide:
    reminder, overdue = "⏰", "🚨"

    def __init__(self, h, world):
        self.h, self.world, self.tenant = h, world, world.tenant
        self.qm = self.tenant.add_user("Wang Qiang", "zh-CN", aad_object_id=QM_AAD)
        self.gm = self.tenant.add_user("Huang Wei", "zh-CN", aad_object_id=GM_AAD)
        self.tenant.add_channel("Managers", [self.qm, self.gm], cid=MANAGERS_TEAMS)
        base = world.web.url.replace("/slack/events", "")
        h.rt.settings = h.rt.settings.model_copy(update={"teams_files_url": base})

    def file(self, text: str, dept_channel: str = channel_of("quality")):
        assert self.world.side.message(self.world.alice, "feedback " + text).status == 200
        [parent] = self.tenant.wait_for(lambda: self.tenant.in_conversation(dept_channel, top_level_only=True))
        self.h.join()
        self.parent = parent

    def replies(self):
        return self.tenant.replies_to(channel_of("quality"), self.parent.id)

    def thread(self) -> list[str]:
        return [p.text for p in self.replies()]

    def names_department(self, text: str) -> bool:
        return any(p.text == text and tag_of("quality") in p.mentioned() for p in self.replies())

    def names_manager(self, text: str) -> bool:
        return any(p.text == text and QM_AAD in p.mentioned() for p in self.replies())

    def manager_chat(self) -> list[str]:
        return [p.text for p in self.tenant.in_conversation(self.tenant.personal_chat(self.qm))]

    def reports(self, person: bool = False, where: str = MANAGERS_TEAMS) -> list[dict]:
        where = self.tenant.personal_chat(self.gm) if person else where
        found = []
        for post in self.tenant.in_conversation(where, top_level_only=True):
            card = post.card or {}
            if "digest" not in card["body"][0]["text"].lower() and "report" not in card["body"][0]["text"].lower():
                continue  # an item's thread parent, in a department's channel
            files = dict(post.images())  # the charts, inline
            linked = [(a["title"], a["url"]) for a in card.get("actions", []) if a.get("type") == "Action.OpenUrl"]
            files.update((name, requests.get(url, timeout=10).content) for name, url in linked)  # a button pressed
            found.append({"title": card["body"][0]["text"], "files": files})
        return found


@pytest.fixture
def side(request, harness, policy):
    if request.node.callspec.params["policy"] == SLACK:
        return SlackSide(harness)
    return TeamsSide(harness, request.getfixturevalue("teams"))


def test_a_reminder_before_the_deadline_then_an_escalation_after_it(harness, side):
    h = harness
    side.file(AA)
    scheduler_at(h, START + timedelta(hours=1, minutes=30))  # 75 % of the AA first contact's 2 h
    [reminder] = [text for text in side.thread() if text.startswith(side.reminder)]
    assert "VOC-1" in reminder and side.names_department(reminder)  # nobody owns it yet: the department
    scheduler_at(h, START + timedelta(hours=2))
    [overdue] = [text for text in side.thread() if text.startswith(side.overdue)]
    assert side.names_manager(overdue)
    [told] = side.manager_chat()
    assert "VOC-1" in told
    scheduler_at(h, START + timedelta(hours=2, minutes=1))  # the next minute's tick: nothing twice
    assert len([text for text in side.thread() if text.startswith(side.overdue)]) == 1 and len(side.manager_chat()) == 1
    scheduler_at(h, START + timedelta(hours=6))  # the quality manager's level: a second message to the same person
    assert len(side.manager_chat()) == 2


def test_mondays_digest_and_the_months_report_with_their_charts_once(harness, side):
    h = harness
    scheduler_at(h, START)  # the first sweep this database sees
    side.file(AA)
    side.file(LATE, dept_channel=channel_of("production") if isinstance(side, TeamsSide) else "C0PRODUCTION")
    h.clock.set(START + timedelta(minutes=5))
    scheduler_at(h, MONDAY_NINE)
    [digest] = side.reports()
    assert digest["title"] == "Weekly digest · 2026-W47 (16 Nov – 22 Nov)"
    assert [name.rsplit("-", 1)[-1] for name in digest["files"]] == ["categories.png", "on_time.png"]
    assert all(png.startswith(b"\x89PNG\r\n\x1a\n") for png in digest["files"].values())
    if isinstance(side, TeamsSide):  # a department placed in Teams reads its own digest there
        [own] = side.reports(where=channel_of("quality"))
        assert own["title"].endswith("· Quality") and len(own["files"]) == 2
    scheduler_at(h, MONDAY_NINE.replace(minute=1))  # the next sweep, and a second scheduler's
    scheduler_at(h, MONDAY_NINE.replace(minute=1))
    assert len(side.reports()) == 1
    scheduler_at(h, datetime(2026, 12, 1, 9, 0, tzinfo=SH))
    [month] = side.reports(person=True)
    assert "2026-11" in month["title"]
    files = month["files"]
    assert [name.rsplit("-", 1)[-1] for name in files] == ["trend.png", "categories.png", "customers.png", "on_time.png",
                                                          "ledger.xlsx"]
    assert files[next(n for n in files if n.endswith("ledger.xlsx"))].startswith(b"PK")  # a real XLSX (a ZIP)
    with h.rt.db.session() as s:
        rows = s.exec(select(OutboundMessage).where(OutboundMessage.intent == "report")).all()
        assert {r.status for r in rows} == {"sent"}
