"""A local Microsoft Teams, as a bot sees it (Bot Framework): the channel's signed activities to the
bot's messaging endpoint, and the connector REST API the bot calls back. Imports nothing of `bot/`."""
from teams_emulator.channel_side import TeamsSide
from teams_emulator.keys import SigningKeys
from teams_emulator.server import TeamsEmulatorServer
from teams_emulator.tenant import Tenant

__all__ = ["SigningKeys", "TeamsEmulatorServer", "TeamsSide", "Tenant"]
