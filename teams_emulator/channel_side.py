"""The Teams channel's side: activities as the Bot Framework sends them to a bot's messaging
endpoint (POST, JSON, `Authorization: Bearer <JWT signed by the channel>`), and what the bot answered.

Activity shapes follow the Bot Framework activity schema and Teams' additions (channelData.tenant,
from.aadObjectId, `<at>` mentions in channel messages with their mention entities).
"""
from __future__ import annotations

import html
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

    def message(self, user: dict, text: str, conversation_id: str | None = None, files: tuple[str, ...] = (),
                **post) -> Delivery:
        """A person writes to the bot: in their personal chat, or (conversation_id) @mentioning it in a channel."""
        cid = conversation_id or self.tenant.personal_chat(user)
        activity = self._base("message", user, cid)
        if self.tenant.conversations[cid]["type"] == "channel":
            text = "<at>VOC Desk</at> " + text
            activity["entities"] = [{"type": "mention", "text": "<at>VOC Desk</at>",
                                     "mentioned": {"id": self.tenant.bot_id, "name": "VOC Desk"}}]
        activity.update({"text": text, "textFormat": "plain"})
        if files:  # shared in the personal chat (the app's supportsFiles): one download-info attachment each
            activity["attachments"] = [{"contentType": "application/vnd.microsoft.teams.file.download.info",
                                        "contentUrl": f"https://contoso-my.sharepoint.com/personal/{user['aadObjectId']}/{name}",
                                        "name": name, "content": {"downloadUrl": f"https://download.example/{uuid.uuid4()}",
                                                                  "uniqueId": str(uuid.uuid4()).upper(),
                                                                  "fileType": name.rsplit(".", 1)[-1]}}
                                       for name in files]
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
    def submit(self, user: dict, card_message, action: dict) -> Delivery:
        """A person presses an Adaptive Card's `Action.Submit` on a message the bot sent: Teams sends a
        message activity whose `value` is the action's data (object data: the text stays empty), as a
        reply to that message, in its conversation."""
        assert action.get("type") == "Action.Submit", "only Action.Submit comes back as a message"
        assert (action.get("data") or {}).get("msteams", {}).get("type") != "task/fetch", "this one opens a dialog: task_fetch"
        activity = self._base("message", user, card_message.conversation)
        activity.update({"value": dict(action.get("data") or {}), "replyToId": card_message.id})
        return self.post(activity)

    # ---- dialogs (task modules) and the message extension -------------------------------------
    def fetch_task(self, user: dict, conversation_id: str | None = None, command_id: str = "feedback",
                   on_message: tuple[dict, str] | None = None) -> Delivery:
        """The person picks the message extension's action command: `composeExtension/fetchTask`;
        the bot answers with the dialog to show (`{"task": {"type": "continue", "value": {…card}}}`).
        `on_message` (author, text): picked from a message's "…" menu (`commandContext: message`), the
        message given as Teams gives it (`messagePayload`, its body as HTML)."""
        activity = self._base("invoke", user, conversation_id or self.tenant.personal_chat(user))
        value = {"commandId": command_id, "commandContext": "compose", "context": {"theme": "default"}}
        if on_message is not None:
            author, text = on_message
            value.update({"commandContext": "message", "messagePayload": {
                "id": str(uuid.uuid4().int)[:13], "messageType": "message", "importance": "normal", "locale": "en-us",
                "createdDateTime": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z"),
                "from": {"user": {"id": author["id"], "displayName": author["name"], "userIdentityType": "aadUser"}},
                "body": {"contentType": "html", "content": f"<p>{html.escape(text)}</p>"}, "attachments": [], "mentions": []}})
        activity.update({"name": "composeExtension/fetchTask", "value": value})
        return self.post(activity)

    def submit_action(self, user: dict, dialog: dict, entered: dict, conversation_id: str | None = None,
                      command_id: str = "feedback") -> Delivery:
        """The person submits the extension's dialog: `composeExtension/submitAction`, its inputs in `data`."""
        activity = self._base("invoke", user, conversation_id or self.tenant.personal_chat(user))
        activity.update({"name": "composeExtension/submitAction",
                         "value": {"commandId": command_id, "commandContext": "compose", "context": {"theme": "default"},
                                   "data": filled(dialog_card(dialog), entered)}})
        return self.post(activity)

    def task_fetch(self, user: dict, card_message, action: dict) -> Delivery:
        """An `Action.Submit` whose data says `msteams: {type: task/fetch}` opens a dialog: `task/fetch`."""
        activity = self._base("invoke", user, card_message.conversation)
        activity.update({"name": "task/fetch", "replyToId": card_message.id,
                         "value": {"type": "task/fetch", "context": {"theme": "default"}, "data": dict(action.get("data") or {})}})
        return self.post(activity)

    def task_submit(self, user: dict, conversation_id: str, dialog: dict, entered: dict) -> Delivery:
        activity = self._base("invoke", user, conversation_id)
        activity.update({"name": "task/submit",
                         "value": {"type": "task/submit", "context": {"theme": "default"},
                                   "data": filled(dialog_card(dialog), entered)}})
        return self.post(activity)

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
def dialog_card(answer: dict | str) -> dict:
    """The Adaptive Card of a `continue` answer to a fetch or a submit (its JSON or the parsed body)."""
    body = json.loads(answer) if isinstance(answer, str) else answer
    task = body["task"]
    assert task["type"] == "continue", f"not a dialog: {task['type']}"
    attachment = task["value"]["card"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    return attachment["content"]


def filled(card: dict, entered: dict) -> dict:
    """What Teams sends when the card's Action.Submit is pressed: every input's value by its id (what
    the person entered, else the value the card shows, else empty) merged with the action's data. A
    choice not offered, or an input the card does not have, is a test's mistake."""
    inputs = {e["id"]: e for e in card.get("body", []) if str(e.get("type", "")).startswith("Input.")}
    unknown = set(entered) - set(inputs)
    assert not unknown, f"the card has no input {unknown}"
    data = {}
    for input_id, element in inputs.items():
        value = entered.get(input_id, element.get("value", ""))
        if element.get("isRequired") and value in ("", None):  # the client refuses to send it (its own check)
            raise ValueError(f"Teams shows {input_id!r} as required and sends nothing")
        if element["type"] == "Input.ChoiceSet" and value:
            assert value in {c["value"] for c in element["choices"]}, f"{value!r} is no choice of {input_id}"
        data[input_id] = "" if value is None else str(value)
    [submit] = [a for a in card.get("actions", []) if a.get("type") == "Action.Submit"]
    return {**data, **(submit.get("data") or {})}
