"""The baseline: a bolt app whose /feedback only acks, on the same server and settings as `voc web`."""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from slack_bolt import App  # noqa: E402
from slack_bolt.adapter.wsgi import SlackRequestHandler  # noqa: E402

from bot.slack_client import make_client  # noqa: E402
from cli.web import WebServer  # noqa: E402


def main() -> None:
    client = make_client(os.environ["SLACK_BOT_TOKEN"], os.environ["SLACK_API_URL"])
    # BARE_IN_THREAD=1: ack in the request thread, as `voc web` does (no 10 ms polling for the ack).
    app = App(signing_secret=os.environ["SLACK_SIGNING_SECRET"], client=client,
              process_before_response=os.environ.get("BARE_IN_THREAD") == "1")
    app.command("/feedback")(lambda ack: ack(text="Got it — filing your feedback…"))
    server = WebServer(SlackRequestHandler(app), host="127.0.0.1", port=int(os.environ["PORT"]),
                       threads=int(os.environ.get("WEB_THREADS", "16")))
    print("bare app listening", flush=True)
    server.run_forever()


if __name__ == "__main__":
    main()
