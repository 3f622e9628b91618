"""Sends outbox rows to Slack: claim, render from the item's current state, send, record.

A row is rendered when it is sent, not when it is queued, so a message delivered
late (after a Slack outage) shows the item as it is now. Used by the web process
right after a request and by the worker for anything left pending.

Nothing twice: every channel post (thread parent, ping, note) carries its outbox key in Slack's
message metadata. A row whose last sender may have reached Slack without recording the answer
(its claim expired: the process died mid-send; or the call got no answer: a timeout) is first
looked for in the channel's recent history, or the thread's replies; if Slack has it, its ts is
recorded and nothing is posted. Ephemerals and response_url answers cannot be looked up (Slack
keeps no history of them); at worst the reporter sees a confirmation twice.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Callable

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.webhook import WebhookClient
from sqlmodel import select

from bot import item_documents, report_senders, sla_senders
from bot.satisfaction_senders import SATISFACTION_SENDERS
from bot.leases import LeaseKeeper, LostClaim
from bot.messaging import Conversation, Message, Messaging, Refused, Thread
from bot.messaging.boundary import SLACK, TEAMS
from bot.messaging.slack import SlackMessaging
from bot.runtime import Runtime
from domain.cards import ItemCard, load_card
from bot.views.reporter import confirmation_blocks, confirmation_text, proposal_blocks, proposal_text
from bot.views.approval import approval_blocks, approval_text, request_of
from bot.views.conversation import question_blocks, question_text
from bot.views.thread import note_text, parent_blocks, parent_text, ping_text
from domain import outbox, pacing
from domain.roles import admins
from domain.i18n import ref, t
from domain.lifecycle.approval_brief import approval_brief
from models import FeedbackItem, OutboundMessage

if TYPE_CHECKING:
    from bot.locales import Locales

log = logging.getLogger("voc.delivery")

# The calls that may have reached Slack although no answer came back (timeout, dropped connection).
NO_ANSWER = "no answer: "
HISTORY_PAGES, HISTORY_PAGE_SIZE = 3, 200  # how far back to look for an earlier sender's post
# The lookup is a safeguard: where the bot may not read history, sending again beats never sending.
LOOKUP_IMPOSSIBLE = {"missing_scope", "not_in_channel", "channel_not_found", "thread_not_found"}
RETRYABLE_ERRORS = {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
EPHEMERAL_FALLBACK_ERRORS = {"channel_not_found", "not_in_channel", "user_not_in_channel", "is_archived"}


class _Wait(Exception):
    """The row depends on another that is not sent yet; due again at `until` (None: at once)."""

    def __init__(self, reason: str, until=None):
        super().__init__(reason)
        self.until = until


class _Paced(Exception):
    """The channel took its share of messages for now (domain/pacing.py): due again in `seconds`."""

    def __init__(self, seconds: float):
        super().__init__(f"paced: {seconds:.1f} s")
        self.seconds = seconds


class _Retry(Exception):
    """A failure worth trying again later (our own check, not a Slack API answer)."""


class _Permanent(Exception):
    """A failure that retrying will not fix."""


@dataclass
class Report:
    sent: list[int] = field(default_factory=list)
    waiting: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    retry_in: float | None = None  # seconds until the earliest row worth retrying

    def note_retry(self, seconds: float) -> None:
        self.retry_in = seconds if self.retry_in is None else min(self.retry_in, seconds)


class Deliverer:
    def __init__(self, rt: Runtime, locales: "Locales | None" = None):
        self.rt = rt
        self.locales = locales  # people's languages and names (the 8D names people; a DM speaks theirs)
        self.leases = LeaseKeeper(rt)
        # The messaging boundary per platform (bot/messaging/): Slack always; Teams when configured.
        self.platforms: dict[str, Messaging] = {SLACK: SlackMessaging(lambda: rt.client)}
        # Senders of the outbox rows of a platform other than Slack: platform → intent → sender.
        self.other_senders: dict[str, dict[str, Callable]] = {}
        if rt.settings.on_teams:
            from bot.teams.wiring import attach  # only a company on Teams needs its SDK loaded

            attach(self)

    def name_of(self, user: str) -> str | None:
        return self.locales.name_of(user) if self.locales else None

    def full_name_of(self, user: str) -> str | None:
        """For files read outside Slack (the 8D, the ledger): the profile's real name."""
        return self.locales.full_name_of(user) if self.locales else None

    def locale_of(self, user: str | None, default: str) -> str:
        return self.locales.resolve(user) if self.locales and user else default

    def deliver(self, item_id: int | None = None) -> Report:
        report = Report()
        for _ in range(5):  # another pass when a thread parent went out and released its followers
            with self.rt.db.session() as s:
                ids = outbox.due_ids(s, self.rt.clock.now(), self.rt.settings.claim_lease, item_id)
            sent_before = len(report.sent)
            for row_id in ids:
                self._deliver_one(row_id, report)
            if len(report.sent) == sent_before or not ids:
                break
        return report

    # ------------------------------------------------------------------------------------------
    def _deliver_one(self, row_id: int, report: Report) -> None:
        now = self.rt.clock.now()
        with self.rt.db.session() as s:
            claimed = outbox.claim(s, row_id, now, self.rt.settings.claim_lease)
        if not claimed:
            return
        with self.rt.db.session() as s:
            row = s.get(OutboundMessage, row_id)
            card = load_card(s, row.item_id) if row.item_id else None
            parent_state = self._parent_state(s, row)
        maybe_sent = claimed == "abandoned" or (row.last_error or "").startswith(NO_ANSWER)
        try:
            with self.leases.holding(row_id, row.attempts):  # a slow render outlasting the lease keeps its claim
                ts = self._find_posted(row, card) if maybe_sent else None
                if ts is None:
                    self._take_turn(row, now)
                    ts = self._send(row, card, parent_state)
        except LostClaim as lost:  # another worker has the row now: it sends it, and records it
            log.warning("%s; leaving it to that worker", lost)
            return
        except sla_senders.Dropped as dropped:  # what it was about is settled: never sent, not failed
            with self.rt.db.session() as s:
                outbox.cancel(s.get(OutboundMessage, row_id), str(dropped))
            return
        except _Paced as paced:  # released, not slept on: a worker comes back when the channel has room
            with self.rt.db.session() as s:
                outbox.wait(s.get(OutboundMessage, row_id), now, str(paced))
            report.waiting.append(row_id)
            report.note_retry(paced.seconds)
            return
        except _Wait as wait:
            with self.rt.db.session() as s:
                outbox.wait(s.get(OutboundMessage, row_id), now, str(wait), wait.until)
            report.waiting.append(row_id)
            report.note_retry(max(1.0, (wait.until - now).total_seconds()) if wait.until else 1.0)
            return
        except SlackApiError as exc:
            self._failed(row_id, exc, report, now)
            return
        except Refused as refused:  # another platform's answer, in the boundary's terms
            with self.rt.db.session() as s:
                row = s.get(OutboundMessage, row_id)
                if refused.permanent:
                    outbox.mark_failed(row, refused.reason)
                else:
                    delay = timedelta(seconds=refused.retry_after) if refused.retry_after is not None else None
                    outbox.mark_retry(row, now, refused.reason, delay)
                self._after_failure(s, row, report, now)
            return
        except (SlackClientError, OSError, _Retry, _Permanent) as exc:  # connection refused, timeout, DNS
            with self.rt.db.session() as s:
                row = s.get(OutboundMessage, row_id)
                if isinstance(exc, _Permanent):
                    outbox.mark_failed(row, str(exc))
                else:
                    unanswered = NO_ANSWER if isinstance(exc, (SlackClientError, OSError)) else ""
                    outbox.mark_retry(row, now, f"{unanswered}{type(exc).__name__}: {exc}")
                self._after_failure(s, row, report, now)
            return
        except Exception as exc:  # a bug or bad data in rendering (not Slack): tried again, parked after MAX_ATTEMPTS
            log.exception("outbox row %s could not be rendered or sent", row_id)
            with self.rt.db.session() as s:
                row = s.get(OutboundMessage, row_id)
                outbox.mark_retry(row, now, f"{type(exc).__name__}: {exc}"[:500])
                self._after_failure(s, row, report, now)
            return
        with self.rt.db.session() as s:
            row = s.get(OutboundMessage, row_id)
            outbox.mark_sent(row, now, ts)
            if row.intent == "parent" and row.item_id:
                item = s.get(FeedbackItem, row.item_id)
                item.channel_id, item.thread_ts = row.channel, ts
        report.sent.append(row_id)

    def _failed(self, row_id: int, exc: SlackApiError, report: Report, now) -> None:
        status = exc.response.status_code
        error = exc.response.get("error") if isinstance(exc.response.data, dict) else None
        error = error or f"http_{status}"
        with self.rt.db.session() as s:
            row = s.get(OutboundMessage, row_id)
            if status == 429 or status >= 500 or error in RETRYABLE_ERRORS:
                retry_after = exc.response.headers.get("Retry-After") or exc.response.headers.get("retry-after")
                delay = timedelta(seconds=int(retry_after)) if retry_after and str(retry_after).isdigit() else None
                outbox.mark_retry(row, now, error, delay)
            else:
                outbox.mark_failed(row, error)
            log.warning("outbox row %s (%s) failed: %s", row.id, row.intent, error)
            self._after_failure(s, row, report, now)

    def _after_failure(self, s, row: OutboundMessage, report: Report, now) -> None:
        if row.status == "pending":
            report.note_retry(max(1.0, (row.not_before - now).total_seconds()))
            return
        report.failed.append(row.id)
        if row.intent != "parked":  # parked for good: each admin hears of it once (not of their own notice)
            for admin in admins(self.rt.policy, self.rt.desk.group_members):
                outbox.enqueue(s, key=f"parked:{row.id}:{admin}", intent="parked", item_id=row.item_id, channel=admin,
                               user=admin, now=now,
                               locale=self.rt.policy.company.language, priority=0,
                               data={"row_id": row.id, "intent": row.intent, "error": row.last_error or ""})

    @staticmethod
    def _parent_state(s, row: OutboundMessage) -> OutboundMessage | None:
        """The latest thread-parent row of the item (ping and confirmation depend on it)."""
        if row.item_id is None or row.intent not in ("ping", "confirmation", "note"):
            return None
        return s.exec(select(OutboundMessage).where(OutboundMessage.item_id == row.item_id,
                                                   OutboundMessage.intent == "parent")
                      .order_by(OutboundMessage.id.desc())).first()

    # ------------------------------------------------------------------------------------------
    def _find_posted(self, row: OutboundMessage, card: ItemCard | None) -> str | None:
        """The ts of a message in Slack carrying this row's key (an earlier sender's post that
        reached Slack), from the channel's recent history or the thread's replies; None if absent."""
        if row.platform != SLACK:  # only Slack keeps the key on the post (message metadata) to look for
            log.warning("outbox row %s (%s) may have reached %s already; it cannot be looked for there, so it is "
                        "sent again (docs/teams.md, Nothing twice)", row.id, row.intent, row.platform)
            return None
        client, item = self.rt.client, card.item if card else None
        if row.intent in CHANNEL_POSTS and row.channel:
            def page(cursor):  # inside the lookup's try: a refused conversations.open means "send it"
                return client.conversations_history(channel=self.conversation_of(row.channel), include_all_metadata=True,
                                                    limit=HISTORY_PAGE_SIZE, cursor=cursor)
        elif row.intent in THREAD_POSTS and item and item.channel_id == row.channel and item.thread_ts:
            def page(cursor):
                return client.conversations_replies(channel=item.channel_id, ts=item.thread_ts, include_all_metadata=True,
                                                    limit=HISTORY_PAGE_SIZE, cursor=cursor)
        else:
            return None  # nothing posted in a channel, or no thread yet (then it cannot have been posted)
        for message in self.recent(page, row):
            if self.key_of(message) == row.key:
                log.info("outbox row %s (%s) was already posted as %s; not sending again", row.id, row.intent, message["ts"])
                return message["ts"]
        return None

    def conversation_of(self, channel: str) -> str:
        """Where a post to `channel` lands: a person's id means their DM with the bot (its own id)."""
        if channel.startswith(("U", "W")):
            return self.rt.client.conversations_open(users=channel)["channel"]["id"]
        return channel

    @staticmethod
    def key_of(message: dict) -> str | None:
        """The outbox key a message of ours carries in its metadata."""
        return ((message.get("metadata") or {}).get("event_payload") or {}).get("key")

    @staticmethod
    def recent(page: Callable, row: OutboundMessage):
        """The messages `page(cursor)` returns, page after page, up to HISTORY_PAGES; none where the
        bot may not read them (then sending again beats never sending)."""
        cursor = None
        try:
            for _ in range(HISTORY_PAGES):
                answer = page(cursor)
                yield from answer.get("messages") or []
                cursor = (answer.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    return
        except SlackApiError as exc:
            if exc.response.get("error") not in LOOKUP_IMPOSSIBLE:
                raise
            log.warning("cannot look for outbox row %s in Slack (%s); sending it", row.id, exc.response.get("error"))

    @staticmethod
    def _metadata(row: OutboundMessage, event_type: str) -> dict:
        """Slack message metadata carrying the outbox key, so a later sender can find the post."""
        return {"event_type": event_type, "event_payload": {"item_id": row.item_id, "key": row.key}}

    def _send(self, row: OutboundMessage, card: ItemCard | None, parent: OutboundMessage | None) -> str | None:
        """Render the row from the item as it is now and send it, by the sender its intent names."""
        senders = SENDERS if row.platform == SLACK else self.other_senders.get(row.platform, {})
        sender = senders.get(row.intent)
        if sender is None and row.platform != SLACK:
            raise _Permanent(f"not sendable on {row.platform} yet: {row.intent}")
        if sender is None:
            raise _Permanent(f"unknown_intent {row.intent}")
        if card is None and row.intent not in WITHOUT_ITEM:
            raise _Permanent("item_not_found")
        if row.platform == TEAMS:  # Teams throttles the bot as a whole as well as each conversation
            settings = self.rt.settings
            self.pace(f"teams-bot:{settings.teams_app_id}", settings.teams_bot_rate, settings.teams_bot_burst)
        return sender(self, row, card, parent)

    # ---- senders: one per intent (SENDERS below) --------------------------------------------
    def _notice(self, row, card, parent):
        return self._ephemeral(row, row.data.get("text", ""), row.data.get("blocks"))

    def messaging(self, row: OutboundMessage) -> Messaging:
        return self.platforms[row.platform]

    def _parent(self, row, card, parent):
        policy, lang = self.rt.policy, row.locale
        self.pace(row.channel)
        message = Message(parent_text(card, policy, lang), parent_blocks(card, policy, lang, now=self.rt.clock.now()),
                          key=row.key, item_id=row.item_id, event_type="voc_item")
        return self.messaging(row).post_parent(Conversation(row.platform, row.channel), message)

    def _refresh(self, row, card, parent):
        policy, lang = self.rt.policy, row.locale
        channel, ts = row.channel or card.item.channel_id, row.ts or card.item.thread_ts
        if not ts:
            self._wait_for_parent(parent)
        self.rt.client.chat_update(channel=channel, ts=ts, text=parent_text(card, policy, lang),
                                   blocks=parent_blocks(card, policy, lang, moved_to=row.data.get("moved_to"),
                                                        now=self.rt.clock.now()))
        return ts

    def in_thread(self, row, card, parent, text: str, blocks: list[dict] | None = None) -> str:
        """Post into the item's thread (once its parent is posted), carrying the row's key."""
        item = card.item
        if item.channel_id != row.channel or not item.thread_ts:
            self._wait_for_parent(parent)
        self.pace(item.channel_id)
        return self.messaging(row).reply(Thread(Conversation(row.platform, item.channel_id), item.thread_ts),
                                         Message(text, blocks, key=row.key, item_id=row.item_id))

    def _ping(self, row, card, parent):
        return self.in_thread(row, card, parent, ping_text(card, self.rt.policy, row.locale))

    def _note(self, row, card, parent):
        return self.in_thread(row, card, parent, note_text(card, self.rt.policy, row.locale, row.data))

    def _approval(self, row, card, parent):
        """An approver's DM, in their language: what is to be approved, drawn from the record now."""
        # A closure request approved, sent back, reopened or closed meanwhile: nothing to ask the QM.
        if (row.data or {}).get("subject", "closure") == "closure" and not card.closure_requested:
            raise sla_senders.Dropped("no closure awaits approval")
        link, lang = self.thread_url(card.item), self.locale_of(row.user, row.locale)
        request = request_of(row.data)
        with self.rt.db.session() as s:
            brief = approval_brief(s, card.item.id, self.rt.policy)
        return self._post(row.channel, text=approval_text(card, lang, request, brief),
                          blocks=approval_blocks(card, self.rt.policy, lang, request, brief, link),
                          metadata=self._metadata(row, "voc_message"))

    def _eightd_files(self, row, card, parent):
        if not card.item.thread_ts:
            self._wait_for_parent(parent)
        return self._upload_8d(row, card)

    def _visit_report_file(self, row, card, parent):
        """A field visit's signed report as PDF in the item's thread, in the customer's report language."""
        if not card.item.thread_ts:
            self._wait_for_parent(parent)
        found = item_documents.visit_file(self, card, int(row.data["visit_id"]))
        if found is None:
            raise sla_senders.Dropped("no such visit")
        lang, n, (name, content) = found
        self.pace(card.item.channel_id)
        self.leases.confirm(row)
        self.rt.client.files_upload_v2(
            channel=card.item.channel_id, thread_ts=card.item.thread_ts,
            file_uploads=[{"content": content, "filename": name, "title": name}],
            initial_comment=t("visit.files_comment", lang, ref=ref(card.item.number), n=n))
        return None

    def _proposal(self, row, card, parent):
        if card.item.status != "draft":  # filed or discarded meanwhile: a reminder has nothing to ask
            return None
        policy, lang, reminder = self.rt.policy, row.locale, bool(row.data.get("reminder"))
        return self._ephemeral(row, proposal_text(card, policy, lang, reminder), proposal_blocks(card, policy, lang, reminder))

    def _question(self, row, card, parent):
        if card.item.status != "draft":  # filed (an AA is not kept waiting) or dropped meanwhile: nothing to ask
            return None
        lang = row.locale
        return self._post(row.channel, text=question_text(lang, row.data),
                          blocks=question_blocks(card, self.rt.policy, lang, row.data), metadata=self._metadata(row, "voc_message"))

    def _upload_8d(self, row: OutboundMessage, card: ItemCard) -> str | None:
        """The 8D as PDF and XLSX in the customer's report language, into the item's thread (files upload v2)."""
        lang, files = item_documents.eightd_files(self, card)
        self.pace(card.item.channel_id)
        self.leases.confirm(row)  # rendering took seconds: post only if no other worker took the row meanwhile
        self.rt.client.files_upload_v2(
            channel=card.item.channel_id, thread_ts=card.item.thread_ts,
            initial_comment=t("eightd.files_comment", lang, ref=ref(card.item.number)),
            file_uploads=[{"content": content, "filename": name, "title": name} for name, content in files])
        return None

    @staticmethod
    def _wait_for_parent(parent: OutboundMessage | None) -> None:
        if parent is not None and parent.status in ("failed", "cancelled"):
            raise _Permanent("parent_not_posted")
        backing_off = parent is not None and parent.status == "pending"
        raise _Wait(outbox.WAITING_FOR_PARENT, parent.not_before if backing_off else None)

    def _confirmation(self, row: OutboundMessage, card: ItemCard, parent: OutboundMessage | None) -> str | None:
        policy, lang, item = self.rt.policy, row.locale, card.item
        link = error = None
        if item.thread_ts and item.channel_id:
            link = self.rt.client.chat_getPermalink(channel=item.channel_id, message_ts=item.thread_ts).get("permalink")
        elif parent is not None and parent.status == "failed":
            error = parent.last_error or "error"
        elif parent is not None and item.status != "withdrawn" and not (parent.status == "pending" and parent.attempts):
            self._wait_for_parent(parent)
        # else: Slack refused the parent once and it backs off; tell the reporter now rather than later.
        window = timedelta(minutes=policy.intake.undo_minutes)
        can_undo = bool(item.filed_at) and self.rt.clock.now() - item.filed_at <= window
        return self._ephemeral(row, confirmation_text(card, policy, lang, link, error),
                               confirmation_blocks(card, policy, lang, link, error, can_undo=can_undo))

    def _ephemeral(self, row: OutboundMessage, text: str, blocks: list[dict] | None) -> str | None:
        """Replace the message the person acted on (response_url), else an ephemeral where they are,
        else — where the bot cannot post there — a DM."""
        if row.data.get("response_url") and self._reply(row.data["response_url"], text, blocks,
                                                        replace=row.data.get("replace", True)):
            return None
        if row.channel:
            try:
                return self.rt.client.chat_postEphemeral(channel=row.channel, user=row.user, text=text,
                                                         blocks=blocks).get("message_ts")
            except SlackApiError as exc:
                if exc.response.get("error") not in EPHEMERAL_FALLBACK_ERRORS:
                    raise
        return self.rt.client.chat_postMessage(channel=row.user, text=text, blocks=blocks).get("ts")

    def thread_url(self, item: FeedbackItem) -> str | None:
        """The item's thread on the platform it lives on (a person on the other may be asked about it); None
        when it has none yet or Slack cannot give it."""
        if not (item.channel_id and item.thread_ts):
            return None
        if item.platform == TEAMS:
            from bot.teams.links import thread_link  # a pure function: no Teams SDK loaded for it

            return thread_link(item.channel_id, item.thread_ts, self.rt.settings.teams_tenant_id)
        try:
            return self.rt.client.chat_getPermalink(channel=item.channel_id, message_ts=item.thread_ts).get("permalink")
        except SlackApiError as exc:  # a channel the bot left, a deleted parent: the message without the link
            log.warning("no link to VOC-%s's thread: %s", item.number, exc.response.get("error"))
            return None

    def post(self, channel: str, **kwargs) -> str:
        return self._post(channel, **kwargs)

    def metadata(self, row: OutboundMessage, event_type: str) -> dict:
        return self._metadata(row, event_type)

    def _take_turn(self, row: OutboundMessage, now) -> None:
        """Posts into a department's channel wait behind the thread parents due there (a parent behind
        those filed before it): in a congested channel new items appear first, in filing order."""
        if row.intent not in TURN_TAKING or not row.channel:
            return
        with self.rt.db.session() as s:
            ahead = outbox.parent_ahead(s, row, now, self.rt.settings.claim_lease)
        if ahead:
            raise _Paced(1 / self.rt.settings.voc_channel_rate)

    def pace(self, channel: str, rate: float | None = None, burst: int | None = None) -> None:
        """Take the channel's token for one message, or raise _Paced with the seconds until there is one.
        `rate` and `burst` for another bucket than a channel's (Teams' pace of the whole bot)."""
        settings = self.rt.settings
        with self.rt.db.session() as s:
            wait = pacing.reserve(s, channel, time.time(), rate or settings.voc_channel_rate, burst or settings.voc_channel_burst)
        if wait > 0:
            raise _Paced(wait)

    def _post(self, channel: str, **kwargs) -> str:
        self.pace(channel)
        return self.platforms[SLACK].post_message(channel, **kwargs)

    @staticmethod
    def _reply(url: str, text: str, blocks: list[dict] | None, replace: bool = True) -> bool:
        """True when Slack took it; a 5xx/429 is retried later, an expired or used-up URL falls back."""
        response = WebhookClient(url, timeout=10).send(text=text, blocks=blocks, replace_original=replace,
                                                       response_type="ephemeral")
        if response.status_code == 429 or response.status_code >= 500:
            raise _Retry(f"response_url http_{response.status_code}")
        return response.status_code < 300


# Every intent the outbox knows and what sends it. The SLA's messages live in bot/sla_senders.py.
SENDERS: dict[str, Callable] = {
    "notice": Deliverer._notice,
    "parent": Deliverer._parent,
    "refresh": Deliverer._refresh,
    "ping": Deliverer._ping,
    "note": Deliverer._note,
    "confirmation": Deliverer._confirmation,
    "proposal": Deliverer._proposal,
    "question": Deliverer._question,
    "approval": Deliverer._approval,
    "eightd_files": Deliverer._eightd_files,
    "visit_report_file": Deliverer._visit_report_file,
    "reminder": sla_senders.clock_message,
    "escalation": sla_senders.clock_message,
    "sla_digest": sla_senders.digest,
    "parked": sla_senders.parked,
    "report": report_senders.report,
    "ledger_file": report_senders.ledger_to_asker,
    "audit_pack_file": report_senders.audit_pack_to_asker,
    "improvement_action": report_senders.improvement,
    **SATISFACTION_SENDERS,
}
# Where a sender that died mid-send may have posted, to look for the row's key before sending again.
CHANNEL_POSTS = {"parent", "approval", "sla_digest", "parked", "question", "improvement_action", *SATISFACTION_SENDERS}
THREAD_POSTS = {"ping", "note", "reminder", "escalation"}
# Posts that take their turn in a department's channel behind the thread parents due there.
TURN_TAKING = {"parent", *THREAD_POSTS}
# Messages that belong to no item (a person's digest, an admin's notice).
WITHOUT_ITEM = {"notice", "sla_digest", "parked", "report", "ledger_file", "audit_pack_file", "improvement_action",
                *SATISFACTION_SENDERS}
