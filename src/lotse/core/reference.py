"""Languages and countries from ISO lists (pycountry), named in the UI language."""

from __future__ import annotations

import gettext
from functools import cache

import pycountry
from django.utils.translation import get_language

# The languages offices meet most, by ISO 639-3 code; any other ISO 639-3 code
# is accepted too (e.g. from an import).
COMMON_LANGUAGES = (
    "deu", "eng", "ara", "ukr", "rus", "tur", "prs", "pus", "fas", "kmr", "ckb", "tir",
    "amh", "som", "fra", "spa", "ita", "pol", "ron", "bul", "sqi", "srp", "hrv", "bos",
    "urd", "hin", "ben", "tam", "vie", "zho", "kur", "aze", "kat", "hye", "ell", "por",
)  # fmt: skip


@cache
def _catalogue(domain: str, language: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language], fallback=True)


def language_name(code: str) -> str:
    language = pycountry.languages.get(alpha_3=code)
    if language is None:
        return code
    return _catalogue("iso639-3", get_language() or "de").gettext(language.name)


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    name = getattr(country, "common_name", None) or country.name
    translated = _catalogue("iso3166-1", get_language() or "de").gettext(country.name)
    return translated if translated != country.name else name


def language_choices() -> list[tuple[str, str]]:
    return list(_language_choices(get_language() or "de"))


def country_choices() -> list[tuple[str, str]]:
    return list(_country_choices(get_language() or "de"))


# The lists only change with the UI language: build them once per language.
@cache
def _language_choices(language: str) -> tuple[tuple[str, str], ...]:
    return tuple(
        sorted(((code, language_name(code)) for code in COMMON_LANGUAGES), key=lambda c: c[1])
    )


@cache
def _country_choices(language: str) -> tuple[tuple[str, str], ...]:
    return tuple(
        sorted(
            ((country.alpha_2, country_name(country.alpha_2)) for country in pycountry.countries),
            key=lambda c: c[1],
        )
    )


def is_language(code: str) -> bool:
    return pycountry.languages.get(alpha_3=code) is not None


def is_country(code: str) -> bool:
    return pycountry.countries.get(alpha_2=code) is not None
