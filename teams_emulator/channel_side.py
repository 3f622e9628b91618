"""The Teams channel's side: activities as the Bot Framework sends them to a bot's messaging
endpoint (POST, JSON, `Authorization: Bearer <JWT signed by the channel>`), and what the bot answered.

Activity shapes follow the Bot Framework activity schema and Teams' additions (channelData.tenant,
from.aadObjectId, `<at>` mentions in channel messages with their mention entities).
"""
from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from teams_emulator.keys import SigningKeys
from teams_emulator.tenant import Tenant


@dataclass
class Delivery:
    """One activity as sent, so a test can send the very same again (the channel's retry)."""

    activity: dict
    status: int = 0
    response: str = ""

    @property
    def answer(self) -> dict:
        """The JSON the bot answered (an invoke's response: statusCode, type, value)."""
        return json.loads(self.response) if self.response else {}


class TeamsSide:
    def __init__(self, tenant: Tenant, keys: SigningKeys, bot_url: str, service_url: str):
        self.tenant, self.keys, self.bot_url, self.service_url = tenant, keys, bot_url, service_url

    # ---- activities ----------------------------------------------------------------------------
    def _base(self, type_: str, user: dict, conversation_id: str) -> dict:
        conv = self.tenant.conversations[conversation_id.split(";")[0]]  # a channel thread: `<channel>;messageid=…`
        conversation = {"id": conversation_id, "conversationType": conv["type"], "tenantId": self.tenant.tenant_id}
        channel_data = {"tenant": {"id": self.tenant.tenant_id}}
        if conv["type"] == "channel":
            conversation["isGroup"] = True
            channel_data.update({"channel": {"id": conversation_id.split(";")[0]}, "team": {"id": conv["team"]}})
        return {"type": type_, "id": f"f:{uuid.uuid4()}", "channelId": "msteams", "serviceUrl": self.service_url,
                "timestamp": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z"),
                "from": {"id": user["id"], "name": user["name"], "aadObjectId": user["aadObjectId"]},
                "recipient": {"id": self.tenant.bot_id, "name": "VOC Desk"},
                "conversation": conversation, "channelData": channel_data, "locale": user.get("locale", "en-US")}

    def message(self, user: dict, text: str, conversation_id: str | None = None, **post) -> Delivery:
        """A person writes to the bot: in their personal chat, or (conversation_id) @mentioning it in a channel."""
        cid = conversation_id or self.tenant.personal_chat(user)
        activity = self._base("message", user, cid)
        if self.tenant.conversations[cid]["type"] == "channel":
            text = "<at>VOC Desk</at> " + text
            activity["entities"] = [{"type": "mention", "text": "<at>VOC Desk</at>",
                                     "mentioned": {"id": self.tenant.bot_id, "name": "VOC Desk"}}]
        activity.update({"text": text, "textFormat": "plain"})
        return self.post(activity, **post)

    def conversation_update(self, user: dict) -> Delivery:
        """The bot installed in a person's personal scope."""
        activity = self._base("conversationUpdate", user, self.tenant.personal_chat(user))
        activity["membersAdded"] = [{"id": self.tenant.bot_id}]
        return self.post(activity)

    def invoke(self, user: dict, conversation_id: str, data: dict, reply_to: str | None = None) -> Delivery:
        """An Adaptive Card Action.Execute (`adaptiveCard/action`)."""
        activity = self._base("invoke", user, conversation_id)
        activity.update({"name": "adaptiveCard/action",
                         "value": {"action": {"type": "Action.Execute", "verb": data.get("verb"), "data": data}}})
        if reply_to is not None:  # the card's message, when it is known
            activity["replyToId"] = reply_to
        return self.post(activity)

    def card_action(self, user: dict, conversation_id: str, card: dict, verb: str, inputs: dict | None = None,
                    message_id: str | None = None) -> Delivery:
        """A person presses a card's Action.Execute (`verb`), as Teams sends it: an `adaptiveCard/action`
        invoke whose data is the action's data with the card's input values merged in, by input id, as
        strings (a multi-choice comma-separated, a toggle its valueOn/valueOff). Only what the card
        offers can be sent: an action or input it does not have, or a choice it does not list, is a
        test's mistake (AssertionError). The answer is recorded (`invoke_answers`); a card answer takes
        the message card's place for this person only (`Tenant.card_seen_by`), until the bot edits it."""
        action = _find(card, lambda a: a.get("type") == "Action.Execute" and a.get("verb") == verb)
        assert action is not None, f"the card offers no {verb!r}"
        offered = {i["id"]: i for i in _inputs(card)}
        data = dict(action.get("data") or {})
        for name, value in (inputs or {}).items():
            assert name in offered, f"the card has no input {name!r}"
            field = offered[name]
            if isinstance(value, (list, tuple)):
                value = ",".join(value)
            if field["type"] == "Input.Toggle":
                value = field.get("valueOn", "true") if value in (True, "yes", "true") else field.get("valueOff", "false")
            if field["type"] == "Input.ChoiceSet" and field.get("choices"):
                listed = {c["value"] for c in field["choices"]}
                assert all(v in listed for v in str(value).split(",") if v), f"{value!r} is not among {name!r}'s choices"
            data[name] = str(value)
        activity = self._base("invoke", user, conversation_id)
        activity.update({"name": "adaptiveCard/action", "value": {
            "action": {"type": "Action.Execute", "id": action.get("id"), "verb": verb, "data": data}, "trigger": "manual"}})
        if message_id is not None:
            activity["replyToId"] = message_id
        delivery = self.post(activity)
        with self.tenant.changed:
            self.tenant.invoke_answers.append(delivery)
            self.tenant.changed.notify_all()
        answer = delivery.answer if delivery.status == 200 and delivery.response.startswith("{") else {}
        if message_id is not None and answer.get("type") == "application/vnd.microsoft.card.adaptive":
            self.tenant.show(message_id, user, answer["value"])  # for this person only (Universal Actions)
        return delivery

    # ---- transport -----------------------------------------------------------------------------
    def post(self, activity: dict | Delivery, *, token: str | None = None, authorization: str | None = None,
             **claims) -> Delivery:
        """POST the activity, signed; `token` replaces the channel's token (a forged one), `claims`
        change the channel's (aud=…, exp=…, serviceUrl=None to leave one out)."""
        delivery = activity if isinstance(activity, Delivery) else Delivery(activity)
        if authorization is None:
            token = token or self.keys.channel_token(self.tenant.app_id, delivery.activity["serviceUrl"], **claims)
            authorization = f"Bearer {token}"
        request = urllib.request.Request(self.bot_url, data=json.dumps(delivery.activity).encode("utf-8"), method="POST",
                                         headers={"Content-Type": "application/json; charset=utf-8",
                                                  **({"Authorization": authorization} if authorization else {})})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                delivery.status, delivery.response = answer.status, answer.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            delivery.status, delivery.response = exc.code, exc.read().decode("utf-8")
        return delivery


def _find(card: dict, wanted) -> dict | None:
    """An action of the card (its own, or one inside an Action.ShowCard's card) that `wanted` accepts."""
    for action in card.get("actions") or []:
        if wanted(action):
            return action
        if action.get("type") == "Action.ShowCard" and (inner := _find(action.get("card") or {}, wanted)):
            return inner
    return None


def _inputs(card: dict) -> list[dict]:
    """The card's inputs: in its body, and in its Action.ShowCard cards (Teams sends them all)."""
    found = [e for e in card.get("body") or [] if str(e.get("type", "")).startswith("Input.")]
    for action in card.get("actions") or []:
        if action.get("type") == "Action.ShowCard":
            found += _inputs(action.get("card") or {})
    return found
