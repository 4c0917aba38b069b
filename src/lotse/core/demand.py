"""Demand for support, counted from the records of the apps that know it (the
pool's participant needs, case intakes): the network's gap report sets it
against the capacity of the local offers. Apps register a provider in
AppConfig.ready(); every import still points down to core.

A provider answers, for one organisation, how many people need support in
each area (`SupportArea` codes): counts only, never who."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Source:
    label: Promise | str  # e.g. "participants in the pool"
    count: Callable[[int], Counter]  # organisation id -> Counter[area code]


_SOURCES: list[Source] = []


def register(source: Source) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def sources() -> list[Source]:
    return list(_SOURCES)
