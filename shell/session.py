"""The shell without a terminal: lines in, lines out. The terminal loop and the tests both drive it.

Each line does what a person would do in Slack (a slash command, a message, a button,
a form) through `World.slack`, which sends the bot the requests Slack would send. Then
the session waits for the bot to finish and prints what appeared in the emulated Slack.
"""
from __future__ import annotations

import re
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterator

from dateutil import parser as dateparser

from bot import action_ids as ids
from domain.i18n import fmt_when
from shell.render import blocks_to_lines
from shell.render_teams import card_to_lines
from shell.texts import say
from shell.world import World
from slack_emulator.demo import PEOPLE, SALES_FLOOR, person_name
from slack_emulator.slack_side import initial_value
from slack_emulator.workspace import Ephemeral, Message

_DELTA = re.compile(r"^\+(\d+(?:\.\d+)?)\s*([mhd])$")
_COMMAND = re.compile(r"^/[A-Za-z]")  # "/clock +1h", not "/2" or "N/A"
MAX_CLOCK_JUMP = timedelta(days=366)  # a year (and its reports) in one move; more, in steps


@contextmanager
def interrupt_flag() -> Iterator[threading.Event]:
    """While a long command runs, the first Ctrl-C (SIGINT) sets the flag it checks between steps;
    a second one interrupts it at once (KeyboardInterrupt, reported by `handle`). Outside the main
    thread (where no signal handler can be set) the flag is never set."""
    flag = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield flag
        return

    def on_interrupt(signum, frame) -> None:
        if flag.is_set():
            raise KeyboardInterrupt
        flag.set()

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield flag
    finally:
        signal.signal(signal.SIGINT, previous)


@dataclass
class ModalState:
    view_id: str
    inputs: list[dict]
    index: int = 0
    answers: dict = field(default_factory=dict)


# The bot's slash commands: typed in the shell, they reach the bot as Slack sends them.
BOT_COMMANDS = (ids.COMMAND, ids.COMPLAINT_COMMAND, ids.COMPLAINTS_COMMAND, ids.DIGEST_COMMAND, ids.EXPORT_COMMAND,
                ids.SURVEY_COMMAND, ids.SATISFACTION_COMMAND, ids.CUSTOMER_COMMAND,
                ids.VISIT_COMMAND, ids.RETURN_COMMAND, ids.CLAIM_COMMAND)


@dataclass
class HomeTab:
    """The person's App Home as shown once: where its numbered buttons came from."""
    blocks: list
    text: str = ""


class ShellSession:
    def __init__(self, world: World, *, lang: str | None = None, user: str = "sales-emma",
                 out: Callable[[str], None] | None = None, prompt_drawn: bool = False, platform: str = "slack"):
        """`prompt_drawn`: the terminal shows `prompt()` itself (line editing); otherwise a form's
        question is printed as a line, for a person or a script answering through a pipe.
        `platform`: whose look the bot's messages are drawn in (teams: as Adaptive Cards, shell/render_teams.py)."""
        self.world, self.ws = world, world.ws
        self.platform = platform
        self.prompt_drawn = prompt_drawn
        self.lang = lang or world.lang
        self.out_fn = out
        self.lines: list[str] = []
        self.user = PEOPLE[user][0]
        self.channel = SALES_FLOOR[0]
        self.choices: dict[int, tuple[Message | Ephemeral, str, str | None]] = {}  # source, action id, menu option
        self.modal: ModalState | None = None
        self._seen_messages: dict[int, int] = {}
        self._seen_ephemerals: dict[int, int] = {}
        self._seen_views: set[str] = set()
        self.done = False

    # ---- output ----------------------------------------------------------------------------------
    def say(self, text: str) -> None:
        for line in text.splitlines() or [""]:
            self.lines.append(line)
            if self.out_fn:
                self.out_fn(line)

    def t(self, key: str, **params) -> str:
        return say(key, self.lang, **params)

    def handle_name(self, uid: str) -> str:
        return self.ws.users.get(uid, {}).get("name", uid)

    def channel_name(self, cid: str) -> str:
        c = self.ws.channels.get(cid, {})
        return ("@" + self.handle_name(c["user"]) + " ↔ VOC Desk") if c.get("is_im") else "#" + c.get("name", cid)

    def prompt(self) -> str:
        if self.modal is not None:
            block = self.modal.inputs[self.modal.index]
            return f"  {self._field_prompt(block)}: "
        return f"{self.handle_name(self.user)} {self.channel_name(self.channel)}> "

    def welcome(self) -> None:
        self.say(self.t("welcome", user=self.handle_name(self.user), channel=self.channel_name(self.channel)))
        if self.platform == "teams":
            self.say(self.t("teams_look"))
        self.warn_about_calendar()

    def warn_about_calendar(self) -> None:
        """A year without holiday data is said on the first screen, as every other start says it."""
        from domain.sla.calendar import calendar_warnings

        policy = self.world.policy
        for warning in calendar_warnings(policy, self.world.clock.now().astimezone(policy.tz).date(), self.lang):
            self.say(f"⚠ {warning}")

    # ---- input -----------------------------------------------------------------------------------
    def handle(self, line: str) -> None:
        """One line of input. Nothing a person types ends the session: an unexpected error is
        reported as a line and the shell goes on."""
        try:
            self._handle(line)
        except KeyboardInterrupt:  # Ctrl-C cancels the command running, not the session
            self.say(self.t("interrupted", when=fmt_when(self.world.clock.now(), self.world.policy.tz, self.lang)))
        except Exception as exc:  # the session (the person's world) is worth more than one command
            self.say(self.t("failed", error=f"{type(exc).__name__}: {exc}"))

    def _handle(self, line: str) -> None:
        line = line.strip()
        if self.modal is not None:
            self._answer(line)
            return
        if not line:
            return
        if line.isdigit():  # a number is a button press, never chat
            line = f"/click {line}"
        if not line.startswith("/"):
            self._post(line)
            return
        cmd, _, rest = line.partition(" ")
        rest = rest.strip()
        handler = {
            "/help": lambda: self.say(self.t("help")), "/as": lambda: self._as(rest), "/who": self._who,
            "/channels": self._channels, "/open": lambda: self._open(rest), "/dm": lambda: self._dm(rest),
            "/thread": lambda: self._thread(rest), "/react": lambda: self._react(rest),
            "/click": lambda: self._click(rest), "/clock": lambda: self._clock(rest),
            "/lang": lambda: self._lang(rest), "/quit": self._quit, "/exit": self._quit, "/home": self._home,
        }.get(cmd)
        if handler is not None:
            handler()
            return
        if cmd in BOT_COMMANDS:  # the bot's own slash commands, as Slack sends them
            self.world.slack.command(self.user, self.channel, rest, command=cmd)
            self.refresh()
            return
        self.say(self.t("unknown", cmd=cmd))

    # ---- what people do --------------------------------------------------------------------------
    def _post(self, text: str) -> None:
        if self.ws.channels.get(self.channel, {}).get("is_im"):
            self._dm(text)
            return
        self.world.slack.post_message(self.user, self.channel, text)
        self.refresh()

    def _dm(self, text: str) -> None:
        self.world.slack.dm(self.user, text)
        self.refresh()

    def _thread(self, rest: str) -> None:
        number, _, text = rest.partition(" ")
        if not text.strip():  # Slack posts no empty message: nor does the shell
            self.say(self.t("thread_no_text", n=number.removeprefix("VOC-") or "1"))
            return
        item = self._item(number)
        if item is None or not item.thread_ts:
            self.say(self.t("no_item", n=number))
            return
        self.world.slack.post_message(self.user, item.channel_id, text.strip(), thread_ts=item.thread_ts)
        self.refresh()

    def _react(self, rest: str) -> None:
        number, _, emoji = rest.partition(" ")
        item = self._item(number)
        parent = next((m for m in self.ws.messages if item and m.ts == item.thread_ts), None)
        if parent is None:
            self.say(self.t("no_item", n=number))
            return
        name = emoji.strip().strip(":") or "eyes"
        self.world.slack.react(self.user, parent, name)  # the bot hears it (reaction_added), as in Slack
        self.say(self.t("reacted", emoji=f":{name}:", n=number))
        self.refresh()

    def _click(self, rest: str) -> None:
        number = int(rest) if rest.isdigit() else -1
        if number not in self.choices:
            self.say(self.t("no_choice", n=rest))
            return
        source, action_id, value = self.choices[number]
        if not _has_button(source.blocks, action_id, value):  # the message was replaced: the button is gone
            self.say(self.t("button_gone", n=number))
            return
        if isinstance(source, HomeTab):
            self.world.slack.click_in_home(self.user, action_id)
        elif value is None:
            self.world.slack.click(self.user, source, action_id)
        else:  # an option of a menu
            self.world.slack.choose(self.user, source, action_id, value)
        self.refresh()

    def click_by(self, action_id: str, containing: str | None = None, option: str | None = None) -> int:
        """The number of the newest button with this action (in a message mentioning `containing`);
        with `option`, the newest menu entry whose value starts with it."""
        for number in sorted(self.choices, reverse=True):
            source, aid, value = self.choices[number]
            if option is not None and not (value or "").startswith(option + ":"):
                continue
            if aid == action_id and (containing is None or containing in source.text + str(source.blocks)):
                return number
        raise LookupError(f"no {action_id} button on screen")

    # ---- the shell's own commands ------------------------------------------------------------------
    def _as(self, who: str) -> None:
        found = PEOPLE.get(who.lstrip("@"))
        if found is None:
            self.say(self.t("no_such_person", who=who))
            return
        self.user = found[0]
        self.say(self.t("you_are", user=who.lstrip("@"), name=person_name(who.lstrip("@"), self.lang)))
        self.refresh()

    def _who(self) -> None:
        self.say(self.t("people"))
        for handle, (uid, name, locale, _dept) in PEOPLE.items():
            self.say(f"  {handle:<18} {person_name(handle, self.lang)} [{self.ws.users[uid]['locale']}]")

    def _channels(self) -> None:
        self.say(self.t("channels"))
        for cid, c in self.ws.channels.items():
            if c.get("is_im") and c.get("user") != self.user:
                continue
            count = len(self.ws.channel_messages(cid, include_replies=True))
            mark = "*" if cid == self.channel else " "
            self.say(f" {mark}{self.channel_name(cid):<28} {count}")

    def _open(self, what: str) -> None:
        name = what.lstrip("#")
        if name in ("dm", "@vocdesk", "vocdesk"):
            self.channel = self.ws.dm_channel(self.user)
        else:
            cid = next((cid for cid, c in self.ws.channels.items() if c["name"] == name or cid == name), None)
            if cid is None:
                self.say(self.t("no_such_channel", what=what))
                return
            self.channel = cid
        self.say(self.t("in_channel", channel=self.channel_name(self.channel)))
        for msg in self.ws.channel_messages(self.channel, include_replies=True)[-10:]:
            self._show_message(msg)

    def _clock(self, rest: str) -> None:
        clock, tz = self.world.clock, self.world.policy.tz
        if rest:
            m = _DELTA.match(rest.replace(" ", ""))
            try:
                if m:
                    amount, unit = float(m.group(1)), m.group(2)
                    moment = clock.now() + timedelta(**{{"m": "minutes", "h": "hours", "d": "days"}[unit]: amount})
                else:
                    moment = dateparser.parse(rest)
                    moment = moment if moment.tzinfo else moment.replace(tzinfo=tz)
                    if moment < clock.now():  # what was sent cannot be unsent: time only goes forward
                        self.say(self.t("clock_backwards", when=fmt_when(clock.now(), tz, self.lang)))
                        return
            except (ValueError, OverflowError):
                self.say(self.t("clock_bad"))
                return
            if moment - clock.now() > MAX_CLOCK_JUMP:  # each day on the way is ticked: years would take hours
                self.say(self.t("clock_too_far", days=MAX_CLOCK_JUMP.days))
                return
            with interrupt_flag() as interrupted:  # Ctrl-C stops the walk at the next tick, not the session
                # the scheduler's ticks on the way (reminders, escalations, reports), shown as they come
                walked = self.world.advance_to(moment, after_each=lambda: self.refresh(settle=False), stop=interrupted.is_set)
            self.refresh()
            if not walked:
                self.say(self.t("clock_stopped"))
        self.say(self.t("clock", when=fmt_when(clock.now(), tz, self.lang), tz=self.world.policy.company.timezone))
        self.refresh(settle=False)

    def _lang(self, rest: str) -> None:
        if rest in ("en", "zh"):
            self.lang = rest
        elif rest:
            self.say(self.t("lang_bad", code=rest))
            return
        self.say(self.t("lang"))

    def _quit(self) -> None:
        self.done = True

    def _item(self, number: str):
        from models import FeedbackItem

        if not number.lstrip("VOC-").isdigit():
            return None
        with self.world.rt.db.session() as s:
            return s.get(FeedbackItem, int(number.lstrip("VOC-")))

    # ---- showing what happened ---------------------------------------------------------------------
    def refresh(self, settle: bool = True) -> None:
        if settle:
            self.world.settle()
        with self.ws.lock:
            messages = list(self.ws.messages)
            ephemerals = [e for e in self.ws.ephemerals if e.user == self.user]
            views = [v for v in self.ws.views.values() if v.user == self.user and v.open and v.id not in self._seen_views]
        for i, msg in enumerate(messages):
            if self._seen_messages.get(i) != msg.revision:
                edited = i in self._seen_messages
                self._seen_messages[i] = msg.revision
                self._show_message(msg, edited=edited)
        for eph in ephemerals:
            if self._seen_ephemerals.get(eph.id) != eph.replaced:
                self._seen_ephemerals[eph.id] = eph.replaced
                self._show_ephemeral(eph)
        for view in views:
            self._seen_views.add(view.id)
            self._start_modal(view)

    def _home(self) -> None:
        """App Home, as the bot draws it when the person opens the tab; its buttons are numbered too."""
        self.world.slack.open_home(self.user)
        self.world.settle()
        home = self.ws.homes.get(self.user)
        if home is None:
            return
        tab = HomeTab(home.view.get("blocks", []))
        self.say(f"── {self.t('home')} · @{self.handle_name(self.user)}")
        for line in self._view_lines(tab.blocks, "", tab):
            self.say("   " + line)
        self.refresh()

    def _view_lines(self, blocks: list | None, fallback: str, source) -> list[str]:
        """A view as lines, in Slack's look or (`--platform teams`) as the Adaptive Card Teams shows."""
        if self.platform == "teams":
            return card_to_lines(blocks, fallback, lambda uid: self.ws.users.get(uid, {}).get("name"), self._choose(source),
                                 lambda group: self.ws.usergroups.get(group, {}).get("handle"))
        return blocks_to_lines(blocks, fallback, self.ws, self._choose(source), self.lang)

    def _choose(self, source) -> Callable[..., int]:
        def register(element: dict, value: str | None = None) -> int:
            number = max(self.choices, default=0) + 1
            self.choices[number] = (source, element["action_id"], value)
            return number
        return register

    def _show_message(self, msg: Message, edited: bool = False) -> None:
        author = "VOC Desk" if msg.user == self.ws.bot_user else "@" + self.handle_name(msg.user)
        where = self.channel_name(msg.channel)
        tags = []
        if msg.thread_ts:
            tags.append(self.t("in_thread"))
        if edited:
            tags.append(self.t("edited"))
        when = self._posted_at(datetime.fromtimestamp(float(msg.ts), tz=timezone.utc))
        self.say(f"── {where} · {author} · {when}" + (f" ({', '.join(tags)})" if tags else ""))
        for line in self._view_lines(msg.blocks, msg.text, msg):
            self.say(("   ↳ " if msg.thread_ts else "   ") + line)
        if msg.files:
            self.say(("   ↳ " if msg.thread_ts else "   ") + "📎 " + ", ".join(f["name"] for f in msg.files))
            folder = self.world.save_files(msg.files)
            self.say(("   ↳ " if msg.thread_ts else "   ") + self.t("files_saved", folder=folder))
        if msg.reactions:
            self.say("   " + " ".join(f":{k}: {len(v)}" for k, v in msg.reactions.items()))

    def _posted_at(self, moment: datetime) -> str:
        """When a message was posted (its ts follows the virtual clock), not what the clock says now:
        the time alone on the clock's day, the date too on any other (after a jump of days)."""
        tz = self.world.policy.tz
        full = fmt_when(moment, tz, self.lang)
        same_day = moment.astimezone(tz).date() == self.world.clock.now().astimezone(tz).date()
        return full[-5:] if same_day else full

    def _show_ephemeral(self, eph: Ephemeral) -> None:
        self.say(f"── {self.channel_name(eph.channel)} · VOC Desk ({self.t('only_you')})")
        for line in self._view_lines(eph.blocks, eph.text, eph):
            self.say("   " + line)

    # ---- forms -----------------------------------------------------------------------------------------
    def _start_modal(self, view) -> None:
        blocks = view.view.get("blocks", [])
        inputs = [b for b in blocks if b.get("type") == "input"]
        self.modal = ModalState(view.id, inputs)
        self.say(self.t("modal", title=view.view["title"]["text"]))
        first = blocks.index(inputs[0]) if inputs else len(blocks)
        shown = [b for b in blocks[:first] if b.get("type") in ("section", "context")]  # what the form says first
        for line in blocks_to_lines(shown, "", self.ws, self._choose(view), self.lang) if shown else []:
            self.say("    " + line)
        self._show_field()

    def _field_prompt(self, block: dict) -> str:
        element, label = block["element"], block["label"]["text"]
        current = self.modal.answers.get(block["block_id"], initial_value(element))
        kind = element["type"]
        if kind == "static_select":
            text = next((o["text"]["text"] for o in element["options"] if o["value"] == current), "")
            return f"{label}{'' if block.get('optional') else ' *'} [{text}]"
        if kind == "checkboxes" and len(element["options"]) > 1:
            chosen = [o["text"]["text"] for o in element["options"] if o["value"] in (current or [])]
            return f"{label} [{', '.join(chosen)}]"
        if kind == "checkboxes":
            return f"{label} ({self.t('yes_no')}) [{self.t('yes' if current else 'no')}]"
        if kind == "users_select":
            return f"{label}{'' if block.get('optional') else ' *'} (@name) [{self.handle_name(current) if current else ''}]"
        if kind == "multi_users_select":
            names = ", ".join(self.handle_name(u) for u in current or [])
            return f"{label}{'' if block.get('optional') else ' *'} (@name, @name) [{names}]"
        if kind == "datepicker":
            return f"{label}{'' if block.get('optional') else ' *'} (YYYY-MM-DD) [{current or ''}]"
        shown = (current or "")[:60] + ("…" if current and len(current) > 60 else "")
        return f"{label}{'' if block.get('optional') else ' *'} [{shown}]"

    def _show_field(self) -> None:
        """The field's question: its hint (or the placeholder Slack shows in an empty box), its
        choices, and, unless the terminal draws it as the prompt, the label with the current value."""
        block = self.modal.inputs[self.modal.index]
        hint = (block.get("hint") or block["element"].get("placeholder") or {}).get("text")
        if hint:
            self.say(f"    ({hint})")
        if block["element"]["type"] == "static_select" or (block["element"]["type"] == "checkboxes"
                                                          and len(block["element"]["options"]) > 1):
            options = block["element"]["options"]
            self.say("    " + "  ".join(f"{i}) {o['text']['text']}" for i, o in enumerate(options, 1)))
        if not self.prompt_drawn:  # a pipe (--plain) or a test: the question is a line of output
            self.say(self.prompt().rstrip())

    def _answer(self, line: str) -> None:
        state = self.modal
        if line == "/cancel":
            self.ws.views[state.view_id].open = False
            self.modal = None
            self.say(self.t("modal_closed"))
            return
        block = state.inputs[state.index]
        element, bid = block["element"], block["block_id"]
        if _COMMAND.match(line):  # a command typed into a form is not an answer: say how to leave it
            self.say(self.t("modal_command", cmd=line.split()[0]))
            self._show_field()
            return
        if element["type"] == "number_input" and not element.get("is_decimal_allowed") and line not in ("", "-") \
                and not _fits(element, line):
            self.say(self.t("modal_number", low=element.get("min_value", "0"), high=element.get("max_value", "…")))
            self._show_field()  # Slack's client refuses it in the field, before the form is sent
            return
        if line == "-":
            state.answers[bid] = [] if element["type"] in ("checkboxes", "multi_users_select") else ("" if element["type"] == "plain_text_input" else None)
        elif line:
            if element["type"] == "static_select":
                options = element["options"]
                chosen = options[int(line) - 1] if line.isdigit() and 0 < int(line) <= len(options) else next(
                    (o for o in options if line.lower() in (o["value"].lower(), o["text"]["text"].lower())), None)
                if chosen is None:
                    self._show_field()
                    return
                state.answers[bid] = chosen["value"]
            elif element["type"] == "checkboxes" and len(element["options"]) > 1:  # "1,3": the options numbered
                picked = {int(x) for x in re.split(r"[,，\s]+", line) if x.isdigit()}
                state.answers[bid] = [o["value"] for i, o in enumerate(element["options"], 1) if i in picked]
            elif element["type"] == "checkboxes":
                state.answers[bid] = [o["value"] for o in element["options"]] if line.lower() in ("y", "yes", "是", "1") else []
            elif element["type"] == "users_select":
                found = PEOPLE.get(line.lstrip("@"))
                if found is None:
                    self.say(self.t("no_such_person", who=line))
                    self._show_field()
                    return
                state.answers[bid] = found[0]
            elif element["type"] == "multi_users_select":  # "@quality-zhou, @sales-emma"
                words = [w.lstrip("@") for w in re.split(r"[,，\s]+", line) if w.strip()]
                unknown = [w for w in words if w not in PEOPLE]
                if unknown:
                    self.say(self.t("no_such_person", who=unknown[0]))
                    self._show_field()
                    return
                state.answers[bid] = [PEOPLE[w][0] for w in words]
            else:
                state.answers[bid] = line
        state.index += 1
        if state.index < len(state.inputs):
            self._show_field()
            return
        sent = self.world.slack.submit_view(self.user, state.view_id, state.answers)
        errors = (sent.response_json or {}).get("errors") if sent.response_json.get("response_action") == "errors" else None
        if errors:
            self.say(self.t("modal_errors"))
            for bid, message in errors.items():
                label = next(b["label"]["text"] for b in state.inputs if b["block_id"] == bid)
                self.say(f"    {label}: {message}")
            first = min(i for i, b in enumerate(state.inputs) if b["block_id"] in errors)
            state.index = first
            self._show_field()
            return
        self.modal = None
        self.refresh()



def _fits(element: dict, typed: str) -> bool:
    """What Slack's client accepts in a whole-number `number_input`: digits within its bounds."""
    if not typed.isdecimal():
        return False
    low, high = element.get("min_value"), element.get("max_value")
    return (low is None or int(typed) >= int(low)) and (high is None or int(typed) <= int(high))


def _has_button(blocks: list | None, action_id: str, value: str | None = None) -> bool:
    return any(e.get("action_id") == action_id and (value is None or any(o["value"] == value for o in e.get("options", [])))
               for b in blocks or [] for e in b.get("elements", []) or [])
