"""One complaint's journey, as data, worked to closure from its thread on Slack AND on Teams: the same
steps, forms and people (by their part), the same rule table deciding. On Slack through the thread
parent's buttons, menu and modals (signed requests, the Slack emulator); on Teams through the parent
card's Action.Execute, the form cards the invokes answer with, and their submit (signed invokes, the
Teams emulator). Then what only Teams has to prove: refusals in the invoke's answer, the stale card,
a forged token, an invoke redelivered."""
from __future__ import annotations

import copy
import json

import pytest
from sqlmodel import select

from bot import action_ids as ids
from bot.teams import actions, people
from bot.teams.edge import request_key
from bot.teams.cards import CARD_TYPE, adaptive_card
from bot.views.approval import approval_blocks, request_of
from domain.lifecycle.approval_brief import approval_brief
from bot.teams.form_cards import CLOSE, SUBMIT
from domain.i18n import t
from domain.policy import load_policy, Policy
from models import Event, InboundRequest
from teams_emulator import SigningKeys
from tests import teams_world
from tests.test_thread_lifecycle import do as slack_do, notes as slack_notes
from tests.test_flows import FLOOR, QUALITY, eph
from tests.teams_world import channel_of

teams = teams_world.teams

# The parts people play, on each platform: Slack user ids, Teams people (Entra object ids, in the policy).
SLACK = {"sales": "U0SALESEMMA", "qe": "U0QZHOU", "engineer": "U0ENGCHEN", "manager": "U0QMWANG"}
TEAMS = {"sales": ("Emma Sales", "en-US", "5a1e5000-0000-4000-8000-000000000001"),
         "qe": ("Zhou Qiang", "zh-CN", "9e000000-0000-4000-8000-000000000002"),
         "engineer": ("Chen Gong", "zh-CN", "e7000000-0000-4000-8000-000000000003"),
         "stranger": ("Sam Nobody", "en-US", "50000000-0000-4000-8000-000000000004"),
         "manager": ("Wang Min", "en-US", "3a000000-0000-4000-8000-000000000005"),
         "rd": ("Chen Yan", "en-US", "4d000000-0000-4000-8000-000000000006"),
         "gm": ("Huang Wei", "en-US", "6a000000-0000-4000-8000-000000000007"),
         "qm": ("Wang Qing", "en-US", "7b000000-0000-4000-8000-000000000008")}

COMPLAINT = "Geely Ningbo: the labels on lot 23-1107 are misprinted, wrong part number on 30 boxes, their incoming inspection caught it"

JOURNEY = [  # (who, step, what the form is filled in with — people by their part)
    ("qe", "take_ownership", None),
    ("qe", "record_containment", {"customer_checked": "400", "customer_bad": "30", "sorting_method": "100% visual check",
                                  "countermeasure": "Sorted stock shipped with a green dot", "customer_informed": ["yes"]}),
    ("qe", "record_root_cause", {"category": "machine", "occurrence": "Gripper pads worn", "escape": "No cosmetic check"}),
    ("qe", "add_corrective_action", {"what": "Replace the gripper pads", "owner": "qe", "due": "2026-11-27"}),
    ("qe", "mark_action_done", {"action_id": "1"}),
    ("qe", "add_preventive_action", {"what": "Pads in the PM plan", "owner": "qe", "due": "2026-12-04",
                                     "documents": ["pfmea", "control_plan"]}),
    ("qe", "mark_action_done", {"action_id": "2"}),
    ("qe", "record_verification", {"evidence": "0 scratches in 2 lots", "clean_lots": "23-1201, 23-1202"}),
    ("sales", "record_customer_acceptance", {"accepted_by": "Mr. Wu, Geely SQE", "accepted_on": "2026-11-20", "how": "mail"}),
    ("qe", "request_closure", None),
]
MENU_JOURNEY = [  # the manager's steps and the waiting, from the card's More… menu
    ("qe", "take_ownership", None),
    ("manager", "change_severity", {"severity": "B", "reason": "Only the labels: the parts are right"}),
    ("qe", "wait_on_customer", {"reason": "Photos of the boxes requested"}),
    ("qe", "resume", None),
    ("manager", "reassign", {"department": "production"}),
]


@pytest.fixture(scope="module")
def policy():
    """The shipped policy, every department placed in Teams, and the Teams people in their roles."""
    data = load_policy().model_dump(mode="json")
    for key, dept in data["departments"].items():
        dept["teams"] = {"channel": channel_of(key), "tag": teams_world.tag_of(key), "tag_name": dept["name"]["en"]}
    data["roles"]["sales"]["users"].append(TEAMS["sales"][2])
    data["roles"]["departments"]["quality"]["users"].append(TEAMS["qe"][2])
    data["roles"]["departments"]["engineering"]["users"].append(TEAMS["engineer"][2])
    data["roles"]["departments"]["quality"]["managers"] = [TEAMS["manager"][2]]
    for role, part in (("rd_director", "rd"), ("general_manager", "gm"), ("quality_manager", "qm")):
        data["roles"][role]["users"].append(TEAMS[part][2])
    return Policy.model_validate(data)


# ---- Slack --------------------------------------------------------------------------------------
class OnSlack:
    def __init__(self, h):
        self.h = h

    def file(self):
        self.h.slack.command(SLACK["sales"], FLOOR, COMPLAINT)
        eph(self.h, SLACK["sales"], "VOC-1")
        [self.parent] = self.h.ws.wait_for(lambda: self.h.ws.channel_messages(QUALITY))
        self.h.join()

    def person(self, part):
        return SLACK[part]

    def do(self, part, step, values):
        filled = {k: (SLACK[v] if k == "owner" else v) for k, v in values.items()} if values is not None else None
        slack_do(self.h, SLACK[part], self.parent, step, filled)

    def notes(self):
        return slack_notes(self.h, self.parent)

    def mention(self, part):
        return f"<@{SLACK[part]}>"


# ---- Teams --------------------------------------------------------------------------------------
class OnTeams:
    def __init__(self, h, world):
        self.h, self.world = h, world
        self.users = {part: world.tenant.add_user(name, locale, aad) for part, (name, locale, aad) in TEAMS.items()}
        self.channel = channel_of("quality")

    file_text = COMPLAINT

    def file(self):
        self.world.side.message(self.users["sales"], "feedback " + self.file_text)
        tenant = self.world.tenant
        tenant.wait_for(lambda: tenant.in_conversation(tenant.personal_chat(self.users["sales"])))
        self.h.join()
        [self.parent] = self.world.channel_posts("quality")

    def person(self, part):
        return people.person_id(TEAMS[part][2])

    def press(self, part, step, card=None):
        """The step's button on the parent card where it shows one, else its choice in the card's menu."""
        card, user = card or self.parent.card, self.users[part]
        if any(a.get("verb") == ids.step(step) for a in card.get("actions", [])):
            return self.world.side.card_action(user, self.channel, card, ids.step(step), message_id=self.parent.id)
        [menu] = [a for a in card["actions"] if a["type"] == "Action.ShowCard"]
        [choice] = [c["value"] for c in menu["card"]["body"][0]["choices"] if c["value"].startswith(step + ":")]
        return self.world.side.card_action(user, self.channel, card, ids.MORE, {ids.MORE: choice}, message_id=self.parent.id)

    def do(self, part, step, values):
        answer = self.press(part, step).answer
        if values is not None:
            assert answer["type"] == CARD_TYPE, answer  # the step's form, in the card's place for this person
            form = self.world.tenant.card_seen_by(self.users[part], self.parent)
            filled = {k: (TEAMS[v][2] if k == "owner" else v) for k, v in values.items()}
            answer = self.world.side.card_action(self.users[part], self.channel, form, SUBMIT, filled,
                                                 message_id=self.parent.id).answer
        lang = TEAMS[part][1][:2]
        taken = t("teams.action_taken", lang, action=t(f"action.{step}", lang), ref="VOC-1")
        assert answer == {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": taken}, answer
        self.h.join()

    def notes(self):
        return [p.text for p in self.world.tenant.replies_to(self.channel, self.parent.id)[1:]]  # after the ping

    def mention(self, part):
        """How a note mentions them: `<at>name</at>`, with its mention entity naming their Entra object id."""
        last = self.world.tenant.replies_to(self.channel, self.parent.id)[-1]
        return f"<at>{TEAMS[part][0]}</at>" if TEAMS[part][2] in last.mentioned() else "(no mention entity)"


def lifecycle_trail(h) -> list[str]:
    with h.rt.db.session() as s:
        return [e.action for e in s.exec(select(Event).order_by(Event.id)) if e.action.startswith("lifecycle.")]


@pytest.fixture(params=["slack", "teams"])
def desk(request, harness):
    return OnSlack(harness) if request.param == "slack" else OnTeams(harness, request.getfixturevalue("teams"))


def test_a_complaint_is_worked_to_closure_from_its_thread(harness, desk):
    h = harness
    desk.file()
    [item] = h.items()
    assert item.severity != "AA" and item.department == "quality"
    for part, step, values in JOURNEY:
        before = len(desk.notes())
        desk.do(part, step, values)
        assert len(desk.notes()) == before + 1, f"{step}: no note in the thread"  # the thread is told each step
        if step in ("record_containment", "record_root_cause", "request_closure"):  # something to tell the customer
            assert desk.mention("sales") in desk.notes()[-1], desk.notes()[-1]
    [item] = h.items()
    assert item.status == "closed"
    assert lifecycle_trail(h) == [f"lifecycle.{step}" for _, step, _ in JOURNEY]
    with h.rt.db.session() as s:
        closed = s.exec(select(Event).where(Event.action == "lifecycle.request_closure")).one()
    assert closed.actor == desk.person("qe")


def test_the_managers_steps_and_the_waiting_from_the_menu(harness, desk):
    h = harness
    desk.file()
    for part, step, values in MENU_JOURNEY:
        desk.do(part, step, values)
    [item] = h.items()
    assert (item.severity, item.department, item.status) == ("B", "production", "acknowledged")
    assert lifecycle_trail(h) == [f"lifecycle.{step}" for _, step, _ in MENU_JOURNEY]
    assert "Photos of the boxes requested" in desk.notes()[2]


# ---- what only Teams has ------------------------------------------------------------------------
def on_teams(harness, teams) -> OnTeams:
    desk = OnTeams(harness, teams)
    desk.file()
    return desk


def test_a_step_the_persons_role_does_not_allow_is_refused_in_their_language_and_no_form_opens(harness, teams):
    desk = on_teams(harness, teams)
    desk.do("qe", "take_ownership", None)
    desk.do("qe", "record_containment", JOURNEY[1][2])
    refused = desk.press("engineer", "record_root_cause").answer  # engineering is not on this item; Chen reads Chinese
    assert refused["type"] == "application/vnd.microsoft.activity.message" and "只有" in refused["value"], refused
    stranger = desk.press("stranger", "record_root_cause").answer  # in no role of the policy at all
    assert stranger["type"] == "application/vnd.microsoft.activity.message" and "no role" in stranger["value"], stranger
    harness.join()
    assert harness.items()[0].status == "contained" and lifecycle_trail(harness)[-1] == "lifecycle.record_containment"
    with harness.rt.db.session() as s:  # nothing stored for the worker to refuse later
        assert len(s.exec(select(InboundRequest).where(InboundRequest.kind == "teams.step")).all()) == 2


def test_a_stale_card_gets_the_card_as_it_is_now_and_nothing_is_done_twice(harness, teams):
    desk = on_teams(harness, teams)
    drawn_before = copy.deepcopy(desk.parent.card)
    desk.do("qe", "take_ownership", None)
    assert desk.parent.versions > 1  # the parent card was redrawn after the step
    again = desk.press("qe", "take_ownership", card=drawn_before).answer
    assert again["type"] == CARD_TYPE and "过期" in again["value"]["body"][0]["text"]  # said in the QE's Chinese
    assert not any(a.get("verb") == ids.step("take_ownership") for a in again["value"]["actions"])  # drawn as it is now
    harness.join()
    assert lifecycle_trail(harness) == ["lifecycle.take_ownership"]


def test_a_form_left_incomplete_comes_back_with_what_is_missing(harness, teams):
    desk = on_teams(harness, teams)
    desk.do("qe", "take_ownership", None)
    form = desk.press("qe", "record_containment").answer["value"]
    again = teams.side.card_action(desk.users["qe"], desk.channel, form, SUBMIT, {"stock_checked": "lots"},
                                   message_id=desk.parent.id).answer
    assert again["type"] == CARD_TYPE
    missing = {f["id"] for f in again["value"]["body"] if f.get("errorMessage")}
    assert missing == {"stock_checked", "sorting_method", "countermeasure"}
    harness.join()
    assert harness.items()[0].status == "acknowledged"


def test_a_form_stands_in_the_cards_place_for_its_person_only_and_close_gives_the_card_back(harness, teams):
    desk = on_teams(harness, teams)
    desk.do("qe", "take_ownership", None)
    qe, sales, tenant = desk.users["qe"], desk.users["sales"], teams.tenant
    desk.press("qe", "record_containment")
    form = tenant.card_seen_by(qe, desk.parent)
    assert any(b.get("id") == "sorting_method" for b in form["body"])  # the QE sees the form…
    assert tenant.card_seen_by(sales, desk.parent) == desk.parent.card  # …everyone else the thread parent
    closed = teams.side.card_action(qe, desk.channel, form, CLOSE, message_id=desk.parent.id).answer
    seen = tenant.card_seen_by(qe, desk.parent)  # the thread parent again (drawn in the QE's language)
    assert closed["type"] == CARD_TYPE and not any(b.get("id") == "sorting_method" for b in seen["body"])
    assert [a.get("verb") for a in seen["actions"]] == [a.get("verb") for a in desk.parent.card["actions"]]
    harness.join()
    assert harness.items()[0].status == "acknowledged" and lifecycle_trail(harness) == ["lifecycle.take_ownership"]


def test_history_stands_in_the_cards_place_for_its_person(harness, teams):
    desk = on_teams(harness, teams)
    desk.do("qe", "take_ownership", None)
    shown = desk.press("sales", "history").answer  # Emma reads English
    assert shown["type"] == CARD_TYPE and "History of VOC-1" in json.dumps(shown["value"])
    assert "<at>Zhou Qiang</at>" in json.dumps(shown["value"], ensure_ascii=False)  # who took ownership
    assert teams.tenant.card_seen_by(desk.users["sales"], desk.parent) == shown["value"]
    assert [a["verb"] for a in shown["value"]["actions"]] == [CLOSE]
    harness.join()
    assert lifecycle_trail(harness) == ["lifecycle.take_ownership"]


def test_a_forged_invoke_gets_401_and_is_not_stored(harness, teams):
    desk = on_teams(harness, teams)
    activity = teams.side._base("invoke", desk.users["qe"], desk.channel)
    activity.update({"name": "adaptiveCard/action", "value": {"action": {
        "type": "Action.Execute", "verb": ids.step("take_ownership"), "data": {"value": f"{harness.items()[0].id}:1"}}}})
    impostor = SigningKeys()
    impostor.kid = teams.keys.kid
    refused = teams.side.post(activity, token=impostor.channel_token(teams.tenant.app_id, activity["serviceUrl"]))
    assert refused.status == 401
    harness.join()
    with harness.rt.db.session() as s:
        assert s.exec(select(InboundRequest).where(InboundRequest.kind == "teams.step")).all() == []
    assert harness.items()[0].status == "received"


def test_an_invoke_redelivered_by_the_channel_is_applied_once(harness, teams):
    desk = on_teams(harness, teams)
    first = desk.press("qe", "take_ownership")
    again = teams.side.post(first)  # the same activity (same id), freshly signed
    assert (first.status, again.status) == (200, 200)
    harness.join()
    assert lifecycle_trail(harness) == ["lifecycle.take_ownership"]
    with harness.rt.db.session() as s:
        assert len(s.exec(select(InboundRequest).where(InboundRequest.kind == "teams.step")).all()) == 1


def test_a_step_refused_by_the_worker_after_all_is_said_in_the_cards_thread_not_the_channel(harness, teams):
    """The answer said yes, then the state moved before the worker did it: the worker's refusal (the same
    domain error) is told in the item's thread, in the person's language."""
    desk = on_teams(harness, teams)
    item = harness.items()[0]
    activity = teams.side._base("invoke", desk.users["engineer"], desk.channel)
    activity.update({"name": "adaptiveCard/action", "replyToId": desk.parent.id, "value": {"action": {
        "type": "Action.Execute", "verb": ids.step("take_ownership"), "data": {"value": f"{item.id}:{item.version}"}}}})
    harness.service.accept(actions.STEP_KIND, request_key(activity), activity)  # as if the answer had said yes
    harness.join()
    told = teams.tenant.wait_for(lambda: [p for p in teams.tenant.replies_to(desk.channel, desk.parent.id) if "⚠️" in p.text])
    assert "只有" in told[0].text, told[0].text
    assert teams.channel_posts("quality") == [desk.parent] and harness.items()[0].status == "received"


# ---- approval requests in a person's chat with the bot -----------------------------------------
def approval_card(h, row) -> dict:
    """The approval request a Teams approver gets, drawn from the same view as Slack's DM (its sender on
    Teams is teams-proactive's: here the row parked for it is drawn as that sender would)."""
    with h.rt.db.session() as s:
        brief = approval_brief(s, row.item_id, h.rt.policy)
    blocks = approval_blocks(h.rt.desk.card(row.item_id), h.rt.policy, "en", request_of(row.data), brief, None)
    return adaptive_card(blocks, actions=True, offered=actions.offered)


def approve_in_chat(h, world, desk, part, count=1, meanwhile=lambda: None):
    """`part` approves the `count`-th request the outbox holds for them, from their chat with the bot
    (`meanwhile`: what happens on the item between the request and the press)."""
    person = desk.person(part)
    [*_, row] = world.tenant.wait_for(lambda: len(r := [r for r in h.outbox() if r.intent == "approval"
                                                        and r.user == person]) >= count and r)
    card = approval_card(h, row)
    meanwhile()
    [approve] = [a["verb"] for a in card["actions"] if a["verb"].startswith(ids.STEP_PREFIX + "approve")]
    answer = world.side.card_action(desk.users[part], world.tenant.personal_chat(desk.users[part]), card, approve).answer
    assert answer["type"] == "application/vnd.microsoft.activity.message" and "received" in answer["value"], answer
    h.join()


def test_an_aa_complaint_closes_on_teams_with_the_approvals_pressed_in_the_approvers_chats(harness, teams):
    h, desk = harness, OnTeams(harness, teams)
    desk.file_text = "Geely Ningbo: connectors in lot 23-1107 don't fit, their assembly line stopped 2 h"
    desk.file()
    assert h.items()[0].severity == "AA"
    for part, step, values in JOURNEY[:4]:
        desk.do(part, step, values)
    def wait_and_resume():  # the item moves on meanwhile: the request still approves what it showed
        desk.do("qe", "wait_on_customer", {"reason": "Samples requested"})
        desk.do("qe", "resume", None)

    approve_in_chat(h, teams, desk, "rd", meanwhile=wait_and_resume)  # an AA's action: reviewed by R&D, approved by the GM
    approve_in_chat(h, teams, desk, "gm")
    for part, step, values in JOURNEY[4:6]:
        desk.do(part, step, values)
    approve_in_chat(h, teams, desk, "rd", count=2)
    approve_in_chat(h, teams, desk, "gm", count=2)
    for part, step, values in JOURNEY[6:]:
        desk.do(part, step, values)
    assert h.items()[0].status == "verified"  # an AA closes on the quality manager's approval
    [row] = [r for r in h.outbox() if r.intent == "approval" and r.user == desk.person("qm")]
    qm, chat = desk.users["qm"], teams.tenant.personal_chat(desk.users["qm"])
    form = teams.side.card_action(qm, chat, approval_card(h, row), ids.step("send_back")).answer  # with a reason
    sent = teams.side.card_action(qm, chat, form["value"], SUBMIT, {"reason": "Attach the crimp height study"}).answer
    assert sent["type"] == "application/vnd.microsoft.activity.message", sent
    h.join()
    assert h.items()[0].status == "verified" and "Attach the crimp height study" in desk.notes()[-1]
    desk.do("qe", "request_closure", None)  # asked again
    approve_in_chat(h, teams, desk, "qm", count=2)
    assert h.items()[0].status == "closed"
    with h.rt.db.session() as s:
        closed = s.exec(select(Event).where(Event.action == "lifecycle.approve_closure")).one()
    assert closed.actor == desk.person("qm")
    assert lifecycle_trail(h).count("lifecycle.approve_action") == 4 and "lifecycle.resume" in lifecycle_trail(h)
    # The Slack QM was asked too, in Slack, with a link to the item's thread in Teams.
    asked = h.ws.channel_messages(h.ws.dm_channel(SLACK["manager"]))
    assert asked and "teams.microsoft.com/l/message" in json.dumps([m.blocks for m in asked])
