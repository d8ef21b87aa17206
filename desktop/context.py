"""What every window and dialog is handed by the composition root (desktop/app.py): the database,
the event hub, the dialog wrapper, the command runner, and who is acting at which desk."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.dialogs import Dialogs
from desktop.events import EventHub
from desktop.runner import CommandRunner
from models.cases.drafts import DraftStore
from models.db import Database
from models.dto import Actor


@dataclass
class DeskContext:
    db: Database
    hub: EventHub
    dialogs: Dialogs
    runner: CommandRunner
    user_id: int | None = None  # the signed-in user (None only in tests: the local operator)
    desk_id: int | None = None  # the desk chosen in the main window's selector
    drafts: DraftStore | None = None  # where forms autosave typed input (None: no autosave)

    def actor(self) -> Actor:
        return Actor(self.user_id, self.desk_id)


def build_context(db: Database, dialogs: Dialogs | None = None, user_id: int | None = None, *,
                  desk_id: int | None = None, drafts: DraftStore | None = None) -> DeskContext:
    hub = EventHub()
    dialogs = dialogs or Dialogs()
    return DeskContext(db, hub, dialogs, CommandRunner(db, hub, dialogs), user_id, desk_id, drafts)
