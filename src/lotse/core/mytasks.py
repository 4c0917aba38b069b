"""The "my tasks" of a signed-in user: what is due or overdue in the records
they are responsible for. Apps contribute a provider in AppConfig.ready(); the
dashboard shows the tasks and `lotse send_task_digest` mails them.

A task's `text` may name people (the dashboard is behind the sign-in); its
`mail_text` must not, because e-mail leaves Lotse's access control."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise

if TYPE_CHECKING:
    from lotse.accounts.models import User


@dataclass(frozen=True)
class Task:
    group: Promise | str  # e.g. "Tandems without a meeting"
    text: str
    mail_text: str
    url: str
    due_on: datetime.date | None = None
    overdue: bool = False


Provider = Callable[["User", datetime.date], list[Task]]

_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def for_user(user: User, today: datetime.date) -> list[Task]:
    """Every provider's tasks for `user` (whose membership is set and whose
    organisation's scope is active), overdue first, then by due date."""
    tasks = [task for provider in _PROVIDERS for task in provider(user, today)]
    tasks.sort(key=lambda task: (not task.overdue, task.due_on or datetime.date.max))
    return tasks


def grouped(tasks: list[Task]) -> list[tuple[str, list[Task]]]:
    groups: dict[str, list[Task]] = {}
    for task in tasks:
        groups.setdefault(str(task.group), []).append(task)
    return list(groups.items())
