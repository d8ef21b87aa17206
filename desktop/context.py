"""What every window and dialog is handed by the composition root (desktop/app.py): the database,
the event hub, the dialog wrapper, the command runner, and who is acting at which desk."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.dialogs import Dialogs
from desktop.events import EventHub
from desktop.runner import CommandRunner
from models.db import Database
from models.dto import Actor


@dataclass
class DeskContext:
    db: Database
    hub: EventHub
    dialogs: Dialogs
    runner: CommandRunner
    user_id: int | None = None  # None: the local operator until sign-in is wired in
    desk_id: int | None = None  # the desk chosen in the main window's selector

    def actor(self) -> Actor:
        return Actor(self.user_id, self.desk_id)


def build_context(db: Database, dialogs: Dialogs | None = None, user_id: int | None = None) -> DeskContext:
    hub = EventHub()
    dialogs = dialogs or Dialogs()
    return DeskContext(db, hub, dialogs, CommandRunner(db, hub, dialogs), user_id)
