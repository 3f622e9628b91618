"""`/return RMA-7`: a return without a complaint, where it stands, and a button for the step it waits
for (the same form as a complaint's return step). Pure: the domain's StandaloneReturn in, blocks out."""
from __future__ import annotations

from bot import action_ids as ids
from bot.views.common import button, escape, md
from bot.views.records import return_line
from domain.i18n import t
from domain.lifecycle.standalone_work import StandaloneReturn


def standalone_return_blocks(found: StandaloneReturn, lang: str) -> list[dict]:
    text = md("return.standalone", lang, line=return_line(found.ret, lang), customer=found.customer)
    if found.note:
        text = f"{text}\n> {escape(found.note)}"  # the note is the recorder's text: data, never markup
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": str(text)}}]
    if found.next_step:
        blocks.append({"type": "actions", "elements": [
            button(t(f"action.{found.next_step}", lang), ids.RMA_STEP, f"{found.next_step}:{found.ret.id}", style="primary")]})
    else:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": str(md("return.closed", lang))}]})
    return blocks
