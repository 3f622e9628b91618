"""The `/feedback` form on Teams, over real HTTP with signed tokens: the message extension's action
command opens a dialog (composeExtension/fetchTask) with the same fields as Slack's feedback modal;
its submit (composeExtension/submitAction) is checked in the request and filed by the worker; a
proposal's "Edit…" opens the same dialog for the draft (task/fetch, task/submit)."""
from __future__ import annotations

import json

from bot import action_ids as ids
from bot.teams import people
from bot.teams.cards import attachment
from bot.views.forms import feedback_modal
from teams_emulator.channel_side import dialog_card
from tests import teams_world
from tests.teams_world import channel_of
from tests.test_teams_conversation import PLAUSIBLE, bot_says, button

policy, teams = teams_world.policy, teams_world.teams  # the fixtures: Teams beside the Slack harness

FILLED = {ids.B_CUSTOMER: "Geely Auto", ids.B_TEXT: "housings cracked at incoming inspection",
          ids.B_PARTS: "7321-044, 7321-045", ids.B_LOTS: "23-1107", ids.B_QTY: "40", ids.B_LINE: "about_to_stop",
          ids.B_KIND: "complaint", ids.B_CATEGORY: "quality", ids.B_SEVERITY: "A", ids.B_URGENCY: "very_urgent"}


def inputs(card):
    return {e["id"]: e for e in card["body"] if e["type"].startswith("Input.")}


def test_the_message_extension_opens_the_slack_forms_fields_and_its_submit_files_the_item(harness, teams):
    opened = teams.side.fetch_task(teams.alice)
    assert opened.status == 200
    card = dialog_card(opened.response)
    slack = feedback_modal(harness.rt.policy, "en", {}, {})
    assert list(inputs(card)) == [b["block_id"] for b in slack["blocks"] if b["type"] == "input"]  # the same fields
    assert json.loads(opened.response)["task"]["value"]["title"] == "Customer feedback"
    line = inputs(card)[ids.B_LINE]
    assert [c["value"] for c in line["choices"]] == ["stopped", "about_to_stop", "running"]
    assert inputs(card)[ids.B_CUSTOMER]["isRequired"] and not inputs(card)[ids.B_PARTS]["isRequired"]
    sent = teams.side.submit_action(teams.alice, opened.response, FILLED)
    assert (sent.status, sent.response) == (200, "")  # no answer: the dialog closes
    told = bot_says(teams, teams.alice, "VOC-1")
    harness.join()
    [item] = harness.items()
    assert (item.platform, item.status, item.reporter_id) == ("teams", "received", people.person_id(teams.alice["aadObjectId"]))
    assert (item.customer_text, item.part_numbers, item.lot_numbers, item.quantity) == (
        "Geely Auto", ["7321-044", "7321-045"], ["23-1107"], 40)
    assert (item.line_state, item.problem_severity, item.urgency, item.severity) == ("about_to_stop", "A", "very_urgent", "AA")
    [parent] = teams.channel_posts(item.department)
    assert (item.channel_id, item.thread_ts) == (channel_of(item.department), parent.id)
    assert "teams.microsoft.com/l/message" in told.text


def test_mistakes_come_back_beside_their_fields_and_nothing_is_stored(harness, teams):
    opened = teams.side.fetch_task(teams.lina)
    wrong = teams.side.submit_action(teams.lina, opened.response, {**FILLED, ids.B_CUSTOMER: "  ", ids.B_QTY: "forty"})
    assert wrong.status == 200
    again = dialog_card(wrong.response)  # the dialog again, in Chinese (the person's locale)
    said = json.dumps(again["body"], ensure_ascii=False)
    assert "请填写此项。" in said and "请输入0或正整数。" in said
    assert inputs(again)[ids.B_QTY]["value"] == "forty" and inputs(again)[ids.B_LOTS]["value"] == "23-1107"  # kept
    harness.join()
    assert harness.items() == [] and teams.tenant.calls == []
    right = teams.side.submit_action(teams.lina, wrong.response, {ids.B_CUSTOMER: "吉利", ids.B_QTY: "40"})
    assert (right.status, right.response) == (200, "")
    bot_says(teams, teams.lina, "已登记")
    harness.join()
    [item] = harness.items()
    assert item.customer_text == "吉利" and item.quantity == 40 and item.locale == "zh"


def test_a_form_opened_in_a_channel_is_answered_in_the_persons_chat_not_the_channel(harness, teams):
    sales = channel_of("sales")
    opened = teams.side.fetch_task(teams.alice, conversation_id=sales)
    teams.side.submit_action(teams.alice, opened.response, FILLED, conversation_id=sales)
    bot_says(teams, teams.alice, "VOC-1")
    harness.join()
    assert teams.tenant.in_conversation(sales) == []
    assert harness.items()[0].source_channel == teams.tenant.personal_chat(teams.alice)


def test_edit_under_a_proposal_opens_the_form_for_the_draft_and_files_it(harness, teams):
    teams.side.message(teams.alice, "feedback " + PLAUSIBLE)
    proposal = bot_says(teams, teams.alice, "could this be critical (AA)?")
    edit = button(proposal, "Edit…")
    assert edit["data"]["msteams"] == {"type": "task/fetch"}
    opened = teams.side.task_fetch(teams.alice, proposal, edit)
    card = dialog_card(opened.response)
    assert inputs(card)[ids.B_CUSTOMER]["value"] == "Geely Auto" and "short of parts" in inputs(card)[ids.B_TEXT]["value"]
    sent = teams.side.task_submit(teams.alice, proposal.conversation, opened.response, {ids.B_SEVERITY: "AA"})
    assert (sent.status, sent.response) == (200, "")
    teams.tenant.wait_for(lambda: teams.channel_posts("quality"))
    harness.join()
    [item] = harness.items()
    assert (item.status, item.problem_severity, item.customer_text) == ("received", "AA", "Geely Auto")


def test_another_command_or_a_draft_that_is_gone_opens_no_form(harness, teams):
    other = teams.side.fetch_task(teams.alice, command_id="search")
    assert (other.status, other.response) == (200, "")
    opened = teams.side.fetch_task(teams.alice)
    foreign = dialog_card(opened.response)
    foreign["actions"][0]["data"]["voc_form"] = "another_form"  # another dialog's submit reaches the bot
    not_ours = teams.side.task_submit(teams.alice, teams.tenant.personal_chat(teams.alice),
                                      {"task": {"type": "continue", "value": {"card": attachment(foreign)}}}, FILLED)
    assert (not_ours.status, not_ours.response) == (200, "")
    gone = {"type": "Action.Submit", "data": {"action_id": ids.EDIT_DRAFT, "value": "999", "msteams": {"type": "task/fetch"}}}
    teams.side.message(teams.alice, "Geely: connectors cracked at their incoming inspection")
    asked = bot_says(teams, teams.alice, "Which part or lot numbers?")
    answered = teams.side.task_fetch(teams.alice, asked, gone)
    assert answered.status == 200 and json.loads(answered.response)["task"] == {"type": "message",
                                                                                "value": "That item no longer exists."}
    harness.join()
    assert len(harness.items()) == 1  # only the DM's draft: nothing was filed by the foreign submit


def test_picked_on_a_message_the_form_is_filled_from_its_words(harness, teams):
    sales = channel_of("sales")
    said = "BYD: 200 brackets from lot 26-1122 have burrs, PN 7321-044"
    opened = teams.side.fetch_task(teams.alice, conversation_id=sales, on_message=(teams.lina, said))
    card = dialog_card(opened.response)
    fields = {k: v.get("value") for k, v in inputs(card).items()}
    assert (fields[ids.B_CUSTOMER], fields[ids.B_LOTS], fields[ids.B_PARTS]) == ("BYD", "26-1122", "7321-044")
    assert fields[ids.B_TEXT] == "200 brackets from lot 26-1122 have burrs, PN 7321-044" and fields[ids.B_KIND] == "complaint"
    teams.side.submit_action(teams.alice, opened.response, {}, conversation_id=sales)
    bot_says(teams, teams.alice, "VOC-1")
    harness.join()
    [item] = harness.items()
    assert (item.source, item.customer_text, item.lot_numbers) == ("shortcut", "BYD", ["26-1122"])


def test_the_forms_metadata_comes_back_through_the_client_and_cannot_file_someone_elses_draft(harness, teams):
    teams.side.message(teams.alice, "feedback " + PLAUSIBLE)
    bot_says(teams, teams.alice, "could this be critical (AA)?")
    harness.join()
    [draft] = harness.items()
    forged = dialog_card(teams.side.fetch_task(teams.lina).response)
    forged["actions"][0]["data"]["voc_meta"] = json.dumps({"draft": draft.id, "source": "x" * 500})
    sent = teams.side.submit_action(teams.lina, {"task": {"type": "continue", "value": {"card": attachment(forged)}}},
                                    FILLED)
    assert sent.status == 200
    bot_says(teams, teams.lina, "只有反馈人")  # told, in her Teams locale's language, that it is not hers to file
    harness.join()
    [still] = harness.items()
    assert still.status == "draft" and still.number is None
