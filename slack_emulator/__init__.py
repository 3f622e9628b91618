"""A local stand-in for Slack: the Web API (workspace + HTTP server) and Slack's requests to the app.

Used by the end-to-end tests and by `voc shell`, so what the shell shows is what Slack would receive.
"""
from slack_emulator.server import EmulatorServer  # noqa: F401
from slack_emulator.slack_side import SlackSide  # noqa: F401
from slack_emulator.workspace import Ephemeral, Message, Workspace  # noqa: F401
