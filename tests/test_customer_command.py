"""`/customer` over signed HTTP (issue 19, customer records): the record and its open items, a
restricted one hidden from whoever may not see it (as if it did not exist), the edit form refusing
bad input under each field in the person's language, every change audited old → new, the
customer's deadline overriding the company's on the next complaint, and a new account owner taking
over the old one's open items and pending reminders."""
from __future__ import annotations

import json
from datetime import timedelta

from sqlmodel import select

from bot import action_ids as ids
from domain.customer_records import record_of, write_record
from domain.customers import find_customer
from domain.policy import Members
from models import Deadline, Event, ItemAssignment, OutboundMessage
from tests.conftest import START
from tests.test_flows import FLOOR, QUALITY, SALES, SALES_ZH, eph, open_view

QE, QM, ENGINEER = "U0QZHOU", "U0QMWANG", "U0ENGCHEN"


def restrict(h, name: str, team: tuple[str, ...]) -> None:
    """The record made restricted to `team`, as an earlier edit would have left it."""
    with h.rt.db.session() as s:
        customer = find_customer(s, name)
        record = record_of(s, customer)
        write_record(s, customer, record.model_copy(update={"restricted": True, "visible_to": Members(users=team)}),
                     h.clock.now())


def open_form(h, user: str, customer: str, count: int = 1):
    """`/customer <customer>`, then Edit: the form, open."""
    h.slack.command(user, FLOOR, customer, command=ids.CUSTOMER_COMMAND)
    page = eph(h, user, ids.CUSTOMER_EDIT, count)
    h.slack.click(user, page, ids.CUSTOMER_EDIT)
    return open_view(h, user)


def edit(h, user: str, customer: str, values: dict, count: int = 1):
    """The form submitted with `values` changed."""
    sent = h.slack.submit_view(user, open_form(h, user, customer, count).id, values)
    h.join()
    return sent


def test_a_restricted_customer_is_hidden_from_whoever_may_not_see_it(harness):
    h = harness
    restrict(h, "BYD", (SALES_ZH,))
    h.slack.command(SALES, FLOOR, "BYD", command=ids.CUSTOMER_COMMAND)  # not on the account team
    refused = eph(h, SALES, "There is no customer record for BYD")
    h.slack.command(SALES, FLOOR, "Nowhere Motors", command=ids.CUSTOMER_COMMAND)
    unknown = eph(h, SALES, "There is no customer record for Nowhere")
    shown = json.dumps([refused.text, refused.blocks], ensure_ascii=False)
    assert "比亚迪" not in shown and ids.CUSTOMER_EDIT not in shown
    assert refused.text.replace("BYD", "X") == unknown.text.replace("Nowhere Motors", "X")  # the same answer as for none

    h.slack.command(SALES_ZH, FLOOR, "比亚迪", command=ids.CUSTOMER_COMMAND)  # on the account team, reads Chinese
    page = eph(h, SALES_ZH, "客户档案：比亚迪")
    assert "受限档案" in json.dumps(page.blocks, ensure_ascii=False) and ids.CUSTOMER_EDIT not in json.dumps(page.blocks)
    h.slack.command(QM, FLOOR, "BYD", command=ids.CUSTOMER_COMMAND)  # the QM sees it, and may edit
    assert ids.CUSTOMER_EDIT in json.dumps(eph(h, QM, "客户档案：比亚迪").blocks)


def test_the_form_refuses_bad_input_under_each_field_in_the_persons_language(harness, policy):
    h = harness
    sent = edit(h, QM, "Geely", {"deadlines": "report_8d=soon", "contacts": "Li Wei | SQE | not-an-address",
                                 "restricted": "maybe", "name_en": ""})
    errors = sent.response_json["errors"]
    assert set(errors) == {"deadlines", "contacts", "restricted", "name_en"}
    assert "里程碑=期限" in errors["deadlines"] and "每行一位联系人" in errors["contacts"]  # the QM reads Chinese
    assert open_view(h, QM).open  # nothing saved: the form stays, with what was typed
    with h.rt.db.session() as s:
        assert not s.exec(select(Event).where(Event.action == "customer.edit")).all()
    # the same check in English, for an English reader
    from bot.views.customer import form_errors
    view = {"state": {"values": {"name_en": {"name_en": {"value": "Geely Auto"}},
                                 "deadlines": {"deadlines": {"value": "nothing=3d"}}}}}
    assert form_errors(view, policy, "en") == {"deadlines": form_errors(view, policy, "en")["deadlines"]}
    assert form_errors(view, policy, "en")["deadlines"].startswith("milestone=length")


def test_an_edit_is_audited_and_the_customers_deadline_overrides_the_companys(harness):
    h = harness
    edit(h, QM, "Geely", {"deadlines": "customer_reply=1d calendar", "eight_d_form": "Geely SQE portal",
                          "contacts": "Li Wei | SQE | li.wei@geely.example | +86 574 8888 1234"})
    eph(h, QM, "已保存")
    with h.rt.db.session() as s:
        [event] = s.exec(select(Event).where(Event.action == "customer.edit")).all()
    assert event.actor == QM and event.detail["changes"]["deadlines"] == {
        "before": {}, "after": {"customer_reply": {"hours": None, "days": 1, "months": None, "clock": "calendar"}}}
    assert event.detail["changes"]["eight_d_form"] == {"before": None, "after": "Geely SQE portal"}

    h.slack.command(SALES, FLOOR, "Geely: connectors cracked at incoming, 40 pcs")
    h.ws.wait_for(lambda: h.ws.channel_messages(QUALITY))
    h.slack.command(SALES, FLOOR, "BYD: connectors cracked at incoming, 40 pcs")
    h.ws.wait_for(lambda: len(h.ws.channel_messages(QUALITY)) == 2)
    h.join()
    geely, byd = h.items()
    with h.rt.db.session() as s:
        due = {i.id: s.exec(select(Deadline).where(Deadline.item_id == i.id, Deadline.milestone == "customer_reply")).one()
               for i in (geely, byd)}
    assert (due[geely.id].due_at - geely.received_at) == timedelta(days=1) and due[geely.id].clock == "calendar"
    company = {m.milestone: m for m in h.rt.policy.deadlines.complaint[byd.severity]}["customer_reply"]
    assert (due[byd.id].clock, due[byd.id].days) == (company.clock, company.days)  # a customer with none of its own

    h.slack.command(SALES, FLOOR, "Geely", command=ids.CUSTOMER_COMMAND)  # anyone reads an open record
    page = json.dumps(eph(h, SALES, "Customer record: Geely Auto").blocks, ensure_ascii=False)
    assert "Geely SQE portal" in page and "VOC-1" in page and "VOC-2" not in page and ids.CUSTOMER_EDIT not in page


def test_a_new_account_owner_takes_over_the_open_items_and_pending_reminders(harness):
    h = harness
    edit(h, QM, "Geely", {"account_owner": QE})  # the account's owner, with nothing to hand over yet
    h.slack.command(SALES, FLOOR, "Geely: connectors cracked, their line stopped")  # AA
    [parent] = h.ws.wait_for(lambda: h.ws.channel_messages(QUALITY))
    h.join()
    h.slack.click(QE, parent, ids.TAKE_OWNERSHIP)
    h.join()
    form = open_form(h, QM, "Geely", count=2)
    h.join()  # the Edit click's own work ends with a flush of what is pending: let it end before the reminder is queued
    h.clock.set(START + timedelta(hours=1, minutes=30))  # 75 % of the first contact's 2 h
    h.rt.desk.tick(h.clock.now())  # the reminder decided and queued for QE, not sent yet

    h.slack.submit_view(QM, form.id, {"account_owner": ENGINEER})  # QE leaves: the engineer takes over
    h.join()
    eph(h, QM, "1 个未结案件和 1 条待发提醒")
    [item] = h.items()
    with h.rt.db.session() as s:
        owner = s.exec(select(ItemAssignment).where(ItemAssignment.item_id == item.id, ItemAssignment.role == "owner",
                                                    ItemAssignment.until.is_(None))).one()
        assert owner.user_id == ENGINEER
        actions = [e.action for e in s.exec(select(Event).order_by(Event.id)).all()]
        assert "lifecycle.hand_over" in actions and actions[-1] == "customer.successor"
        successor = s.exec(select(Event).where(Event.action == "customer.successor")).one()
        assert (successor.detail["from"], successor.detail["to"], successor.detail["items"]) == (QE, ENGINEER, [item.id])
        reminder = s.exec(select(OutboundMessage).where(OutboundMessage.intent == "reminder")).one()
        assert reminder.data["mention"] == ENGINEER
    h.service.flush(None)
    [sent] = h.ws.wait_for(lambda: [m for m in h.ws.thread(QUALITY, parent.ts) if m.text.startswith(":alarm_clock:")])
    assert f"<@{ENGINEER}>" in sent.text and f"<@{QE}>" not in sent.text
    h.ws.wait_for(lambda: any(f"<@{ENGINEER}>" in json.dumps(m.blocks or []) for m in h.ws.channel_messages(QUALITY)))
    # the thread's note speaks the company's language (English in the shipped policy), not whichever
    assert [m for m in h.ws.thread(QUALITY, parent.ts) if "Hand over to the successor" in m.text]
    assert not [m for m in h.ws.thread(QUALITY, parent.ts) if "移交接替人" in m.text]
