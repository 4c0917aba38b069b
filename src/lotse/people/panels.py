"""Sections of the person page that other apps contribute (enrolments and
events, tandems, cases, placements). Each app registers its panels in
AppConfig.ready(); the person page never imports them."""

from __future__ import annotations

from lotse.core.panels import Panel as PersonPanel
from lotse.core.panels import Panels

PAGE = Panels("person")
register = PAGE.register
for_person = PAGE.shown

__all__ = ["PAGE", "PersonPanel", "for_person", "register"]
