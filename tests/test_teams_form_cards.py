"""A step's form as an Adaptive Card and its submission read back (bot/teams/form_cards.py), the
parent's menu as a card's "More…", and Teams people named in the policy: pure, no Teams needed."""
from __future__ import annotations

import uuid

import pytest
from pydantic import ValidationError

from bot import action_ids as ids
from bot.teams import people
from bot.teams.cards import adaptive_card
from bot.teams.form_cards import SUBMIT, form_card, values_of
from bot.views.steps import read_step, step_errors
from domain.policy import Policy, load_policy


def containment_modal() -> dict:
    """Slack's containment form, as bot/views/steps.py draws it (the blocks a Teams card is made of)."""
    def text(block_id, multiline=False, optional=True):
        return {"type": "input", "block_id": block_id, "optional": optional, "label": {"type": "plain_text", "text": block_id},
                "element": {"type": "plain_text_input", "action_id": block_id, "multiline": multiline, "max_length": 500}}
    return {"title": {"type": "plain_text", "text": "Record containment"}, "submit": {"type": "plain_text", "text": "Save"},
            "blocks": [text("stock_checked"), text("sorting_method", optional=False),
                       {"type": "input", "block_id": "customer_informed", "optional": True,
                        "label": {"type": "plain_text", "text": "Customer informed"},
                        "element": {"type": "checkboxes", "action_id": "customer_informed",
                                    "options": [{"text": {"type": "plain_text", "text": "Yes"}, "value": "yes"}]}},
                       {"type": "input", "block_id": "owner", "optional": False, "label": {"type": "plain_text", "text": "Owner"},
                        "element": {"type": "users_select", "action_id": "owner"}}]}


def test_a_form_becomes_inputs_with_one_submit_carrying_the_item_and_its_version():
    card = form_card(containment_modal(), {"step": "record_containment", "item": 7, "version": 3},
                     errors={"sorting_method": "Required"})
    inputs = {b["id"]: b for b in card["body"] if b["type"].startswith("Input.")}
    assert inputs["stock_checked"]["type"] == "Input.Text" and inputs["sorting_method"]["isRequired"] is True
    assert inputs["sorting_method"]["errorMessage"] == "Required"
    assert inputs["customer_informed"]["isMultiSelect"] is True
    assert inputs["owner"]["choices.data"] == {"type": "Data.Query", "dataset": "graph.microsoft.com/users"}
    assert card["actions"] == [{"type": "Action.Execute", "title": "Save", "verb": SUBMIT,
                                "data": {"step": "record_containment", "item": 7, "version": 3}}]


def test_a_teams_submission_reads_as_slacks():
    aad = str(uuid.uuid4())
    values = values_of("add_preventive_action", {"what": "Pads in the PM plan", "owner": aad, "due": "2026-12-04",
                                                 "documents": "pfmea,control_plan"})
    assert values["owner"] == people.person_id(aad) and values["documents"] == ["pfmea", "control_plan"]
    assert read_step("add_preventive_action", values)["documents"] == ["pfmea", "control_plan"]
    ticked = values_of("record_containment", {"customer_informed": "yes", "sorting_method": "gauge", "countermeasure": "dot"})
    assert read_step("record_containment", ticked)["customer_informed"] is True
    assert set(step_errors("record_containment", values_of("record_containment", {"stock_checked": "lots"}), "en")) == \
        {"stock_checked", "sorting_method", "countermeasure"}


def test_the_menu_becomes_a_choice_with_its_own_execute_leaving_out_what_teams_does_not_offer():
    menu = {"type": "static_select", "action_id": ids.MORE, "placeholder": {"type": "plain_text", "text": "More…"},
            "options": [{"text": {"type": "plain_text", "text": "Not ours"}, "value": "not_ours:7:3"},
                        {"text": {"type": "plain_text", "text": "History"}, "value": "history:7:3"}]}
    card = adaptive_card([{"type": "actions", "elements": [menu]}], actions=True, offered=lambda a: a != "history")
    [more] = card["actions"]
    assert more["type"] == "Action.ShowCard" and more["card"]["body"][0]["choices"] == [{"title": "Not ours", "value": "not_ours:7:3"}]
    assert more["card"]["actions"][0]["verb"] == ids.MORE
    assert "actions" not in adaptive_card([{"type": "actions", "elements": [menu]}], actions=True, offered=lambda a: False)


def test_the_policy_names_teams_people_by_their_entra_object_id():
    aad = str(uuid.uuid4())
    data = load_policy().model_dump(mode="json")
    data["roles"]["quality_manager"]["users"].append(aad)
    data["roles"]["departments"]["quality"]["managers"] = [aad]
    policy = Policy.model_validate(data)
    assert people.person_id(aad) in policy.roles.quality_manager.users
    assert policy.roles.departments["quality"].managers == (people.person_id(aad),)
    assert Policy.model_validate(policy.model_dump(mode="json")) == policy  # read again as it was written
    data["roles"]["sales"]["users"].append("alice@contoso.example")
    with pytest.raises(ValidationError, match="Entra object ids"):
        Policy.model_validate(data)
